// A second API process on the same database as a test app, as a second machine would be: its own
// container (caches, change-log readers, Redis connections) and its own pool. PGlite admits one
// process, so there the second shares the database handle; everything else is its own.
import type { FastifyInstance, InjectOptions, LightMyRequestResponse } from 'fastify';
import net from 'node:net';
import type { Config } from '../../src/config.js';
import { createContainer, type Container } from '../../src/container.js';
import { buildApp } from '../../src/app.js';
import { openDatabase } from '../../src/platform/db/database.js';
import type { TestApp, TestUser } from './test-app.js';

export interface SecondProcess {
  app: FastifyInstance;
  container: Container;
  /** Injects a request; `as` adds the user's bearer token (or the token itself). */
  request(options: InjectOptions & { as?: TestUser | string | null }): Promise<LightMyRequestResponse>;
  close(): Promise<void>;
}

/** Starts a second API process next to `t`; `config` overrides parts of `t`'s configuration. */
export async function startSecondProcess(t: TestApp, config: Partial<Config> = {}): Promise<SecondProcess> {
  const url = t.config.databaseUrl;
  const ownPool = url !== undefined;
  const database = ownPool ? await openDatabase({ databaseUrl: url }) : t.container.database;
  const container = await createContainer({ ...t.config, ...config }, { database, passwordLogCost: 10 });
  const app = await buildApp(container);
  await app.ready();
  await container.start({ worker: false });
  return {
    app,
    container,
    request({ as, headers, ...options }) {
      const token = typeof as === 'string' ? as : as?.token;
      return app.inject({ ...options, headers: { ...(token ? { authorization: `Bearer ${token}` } : {}), ...headers } });
    },
    async close() {
      await app.close();
      await container.background.stop();
      if (ownPool) await database.close();
    },
  };
}

/** A Redis URL nothing listens on (a port that was free a moment ago): every command fails at once. */
export async function unreachableRedisUrl(): Promise<string> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as net.AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return `redis://127.0.0.1:${port}`;
}
