// Deleting a row makes the database look up every row that references it; a foreign key without an
// index led by its columns turns each such delete (an account deletion, say) into a scan of the
// referencing table. This checks the migrated schema for any.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'kysely';
import { createTestDatabase, type TestDatabase } from '../../../test/support/test-database.js';
import { migrateToLatest } from './migrate.js';

/** Keys whose parent rows are never deleted, so no delete ever looks their rows up. */
const NEVER_DELETED_PARENTS = new Set<string>([]);

let database: TestDatabase;
beforeAll(async () => {
  database = await createTestDatabase();
  await migrateToLatest(database.handle.db);
});
afterAll(async () => database.drop());

describe('migrated schema', () => {
  it('backs every foreign key with an index led by its columns', async () => {
    const { rows } = await sql<{ constraint: string; table: string; indexed: boolean }>`
      SELECT c.conname AS constraint, c.conrelid::regclass::text AS table, EXISTS (
          SELECT 1 FROM pg_index i
          WHERE i.indrelid = c.conrelid
            AND (i.indkey::int2[])[0:cardinality(c.conkey) - 1] @> c.conkey
            AND (i.indkey::int2[])[0:cardinality(c.conkey) - 1] <@ c.conkey
        ) AS indexed
      FROM pg_constraint c
      WHERE c.contype = 'f' AND c.connamespace = 'public'::regnamespace
      ORDER BY 2, 1
    `.execute(database.handle.db);
    expect(rows.length, 'the schema has foreign keys').toBeGreaterThan(10);
    const unindexed = rows.filter((row) => !row.indexed && !NEVER_DELETED_PARENTS.has(row.constraint));
    expect(unindexed).toEqual([]);
  });
});
