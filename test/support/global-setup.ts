// Runs once before all test files. Embedded default: migrate one PGlite database and save a snapshot
// that every test file restores in a fraction of initdb's ~4 s. With DATABASE_URL / REDIS_URL set
// (as .ci/run sets them), check the services answer: an unreachable service fails the run.
import fs from 'node:fs/promises';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import pg from 'pg';
import type { TestProject } from 'vitest/node';
import { PGLITE_EXTENSIONS, openDatabase } from '../../src/platform/db/database.js';
import { migrateToLatest } from '../../src/platform/db/migrate.js';

declare module 'vitest' {
  export interface ProvidedContext {
    pgliteSnapshotPath: string;
  }
}

async function pingRedis(url: string): Promise<void> {
  const { hostname, port } = new URL(url);
  await new Promise<void>((resolve, reject) => {
    const socket = net.connect({ host: hostname || '127.0.0.1', port: Number(port || 6379) });
    const timer = setTimeout(() => socket.destroy(new Error('timed out')), 3000);
    socket.once('connect', () => socket.write('PING\r\n'));
    socket.once('data', (data) => {
      clearTimeout(timer);
      socket.end();
      if (data.toString().startsWith('+PONG') || data.toString().startsWith('-NOAUTH')) resolve();
      else reject(new Error(`unexpected answer ${data.toString().trim()}`));
    });
    socket.once('error', (error) => {
      clearTimeout(timer);
      reject(error);
    });
  });
}

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  if (process.env.DATABASE_URL) {
    const client = new pg.Client({ connectionString: process.env.DATABASE_URL });
    try {
      await client.connect();
      await client.query('SELECT 1');
    } catch (error) {
      throw new Error(`DATABASE_URL is set but PostgreSQL is unreachable: ${(error as Error).message}`, { cause: error });
    } finally {
      await client.end().catch(() => undefined);
    }
  }
  if (process.env.REDIS_URL) {
    try {
      await pingRedis(process.env.REDIS_URL);
    } catch (error) {
      throw new Error(`REDIS_URL is set but Redis is unreachable: ${(error as Error).message}`, { cause: error });
    }
  }

  const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'corkboard-test-'));
  const snapshotPath = path.join(dir, 'migrated.tar');
  const pglite = await PGlite.create('memory://', { extensions: PGLITE_EXTENSIONS });
  const handle = await openDatabase({ pglite });
  await migrateToLatest(handle.db);
  await handle.close();
  const dump = await pglite.dumpDataDir('none');
  await fs.writeFile(snapshotPath, Buffer.from(await dump.arrayBuffer()));
  await pglite.close();
  project.provide('pgliteSnapshotPath', snapshotPath);

  return async () => {
    await fs.rm(dir, { recursive: true, force: true });
  };
}
