// Start-up checks the migrations with one read when they are all applied, and still applies any that
// are missing, whether the database is new or one migration behind.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'kysely';
import { createTestDatabase, type TestDatabase } from '../../../test/support/test-database.js';
import { migrateDown, migrateToLatest } from './migrate.js';
import { migrations } from './migrations/index.js';

let database: TestDatabase;
beforeAll(async () => {
  database = await createTestDatabase();
  await migrateToLatest(database.handle.db);
});
afterAll(async () => database.drop());

const applied = async () =>
  (await sql<{ name: string }>`SELECT name FROM kysely_migration`.execute(database.handle.db)).rows.map((row) => row.name).sort();

describe('migrateToLatest', () => {
  it('checks an up-to-date database in two statements, and applies a migration that is missing', async () => {
    const all = Object.keys(migrations).sort();
    expect(await applied()).toEqual(all);
    const before = database.handle.statements.total;
    await migrateToLatest(database.handle.db);
    expect(database.handle.statements.total - before).toBe(2);

    await migrateDown(database.handle.db);
    expect(await applied()).toEqual(all.slice(0, -1));
    await migrateToLatest(database.handle.db);
    expect(await applied()).toEqual(all);
  });
});
