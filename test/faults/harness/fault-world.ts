// One test file's world: a throwaway PostgreSQL cluster and (optionally) a throwaway Redis, each behind
// a FaultProxy, and Corkboard server processes connected through the proxies. Everything is torn down
// by `world.teardown.run()` (call it in afterAll), in reverse order, even after a failure.
import fs from 'node:fs';
import { randomBytes } from 'node:crypto';
import sharp from 'sharp';
import { ApiClient } from './api-client.js';
import { CorkboardProcess, type StartOptions } from './corkboard-process.js';
import { FaultProxy } from './fault-proxy.js';
import { PostgresCluster } from './postgres-cluster.js';
import { RedisServer } from './redis-server.js';
import { Teardown } from './teardown.js';

export const DATABASE = 'corkboard';

export interface FaultWorld {
  teardown: Teardown;
  postgres: PostgresCluster;
  /** Corkboard reaches PostgreSQL through this proxy. */
  pgProxy: FaultProxy;
  redis?: RedisServer;
  /** Corkboard reaches Redis through this proxy (when the world has Redis). */
  redisProxy?: FaultProxy;
  /** The environment a server of this world runs with (database and Redis through the proxies). */
  env: Record<string, string>;
  /** Starts a Corkboard process in this world; `env` adds or overrides settings. */
  startServer(options?: Partial<StartOptions>): Promise<CorkboardProcess>;
}

export interface WorldOptions {
  redis: boolean;
}

export async function startFaultWorld(options: WorldOptions): Promise<FaultWorld> {
  const teardown = new Teardown();
  try {
    const postgres = await PostgresCluster.start(teardown);
    await postgres.createDatabase(DATABASE);
    const pgProxy = await FaultProxy.start(teardown, postgres.port);
    const redis = options.redis ? await RedisServer.start(teardown) : undefined;
    const redisProxy = redis ? await FaultProxy.start(teardown, redis.port) : undefined;
    const env: Record<string, string> = {
      DATABASE_URL: postgres.url(DATABASE, pgProxy.port),
      REDIS_KEY_PREFIX: `faults-${randomBytes(4).toString('hex')}:`,
      // Background readers poll often, so a test sees their work (and their failures) quickly.
      CHANGE_POLL_MS: '100',
      JOB_POLL_MS: '100',
      ...(redis && redisProxy ? { REDIS_URL: redis.url(redisProxy.port) } : {}),
    };
    return {
      teardown,
      postgres,
      pgProxy,
      redis,
      redisProxy,
      env,
      startServer: (start) => CorkboardProcess.start(teardown, { ...start, env: { ...env, ...start?.env } }),
    };
  } catch (error) {
    await teardown.run().catch(() => undefined);
    throw error;
  }
}

/** `count` small PNGs of different colours, as base64, for pins (a feed shows one pin per picture). */
export async function smallPngs(count: number): Promise<string[]> {
  return Promise.all(
    Array.from({ length: count }, async (_, index) => {
      const background = `#${((index * 2654435761 + 0x3a7bd5) % 0xffffff).toString(16).padStart(6, '0')}`;
      const png = await sharp({ create: { width: 16, height: 12, channels: 3, background } }).png().toBuffer();
      return png.toString('base64');
    }),
  );
}

export function apiOf(server: CorkboardProcess): ApiClient {
  return new ApiClient(server.url);
}

/**
 * Prints a fault's measured figures, and appends them as one JSON line to the file named by
 * FAULTS_REPORT when set (docs/operations.md quotes these).
 */
export function report(fault: string, figures: Record<string, unknown>): void {
  const line = JSON.stringify({ fault, at: new Date().toISOString(), ...figures });
  console.log(`[faults] ${line}`);
  if (process.env.FAULTS_REPORT) fs.appendFileSync(process.env.FAULTS_REPORT, `${line}\n`);
}
