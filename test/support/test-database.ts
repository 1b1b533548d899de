// A private database per test file: a fresh PostgreSQL database when DATABASE_URL is set, otherwise a
// PGlite restored from the migrated snapshot the global setup made.
import fs from 'node:fs/promises';
import { randomBytes } from 'node:crypto';
import { PGlite } from '@electric-sql/pglite';
import pg from 'pg';
import { inject } from 'vitest';
import { PGLITE_EXTENSIONS, openDatabase, type DatabaseHandle } from '../../src/platform/db/database.js';

export interface TestDatabase {
  handle: DatabaseHandle;
  /** The connection string of the private PostgreSQL database, when on PostgreSQL. */
  url: string | undefined;
  drop(): Promise<void>;
}

async function createPostgresDatabase(adminUrl: string): Promise<TestDatabase> {
  const name = `corkboard_test_${process.pid}_${randomBytes(4).toString('hex')}`;
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name}`);
  await admin.end();
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  const handle = await openDatabase({ databaseUrl: url.toString() });
  return {
    handle,
    url: url.toString(),
    async drop() {
      await handle.close();
      const cleanup = new pg.Client({ connectionString: adminUrl });
      await cleanup.connect();
      await cleanup.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await cleanup.end();
    },
  };
}

async function createPgliteDatabase(): Promise<TestDatabase> {
  const snapshot = await fs.readFile(inject('pgliteSnapshotPath'));
  const pglite = await PGlite.create({ loadDataDir: new Blob([snapshot]), extensions: PGLITE_EXTENSIONS });
  const handle = await openDatabase({ pglite });
  return {
    handle,
    url: undefined,
    async drop() {
      await handle.close();
      await pglite.close();
    },
  };
}

export async function createTestDatabase(): Promise<TestDatabase> {
  const adminUrl = process.env.DATABASE_URL;
  return adminUrl ? createPostgresDatabase(adminUrl) : createPgliteDatabase();
}
