// Bulk loading. Each batch of rows is one INSERT ... SELECT FROM unnest($1::bigint[], $2::text[], ...)
// statement: one parameter per column whatever the batch size, fast on PostgreSQL and PGlite alike.
// A table is loaded in one transaction that first drops its secondary indexes and rebuilds them at
// the end: building an index once from sorted rows is several times cheaper than updating it row by
// row (measured on 11M pins: 48 min with the indexes in place, under 10 without). DDL is
// transactional, so a load that fails or is killed rolls back to the empty table with its indexes,
// never to a table without them.
import { sql } from 'kysely';
import type { Db, Queryable } from '../platform/db/database.js';
import type { TableSource } from './rows.js';

/** Every table the generator writes, children first (the order TRUNCATE and deletes need). */
export const DATASET_TABLES = [
  'board_follows',
  'user_follows',
  'pins',
  'images',
  'board_collaborators',
  'board_sections',
  'boards',
  'oauth_tokens',
  'idempotency_keys',
  'users',
] as const;

export const DEFAULT_BATCH_ROWS = 5_000;

export class DatabaseNotEmptyError extends Error {
  constructor(readonly users: number) {
    super(`The database already holds ${users} users. Pass --reset to replace everything in it with the dataset.`);
  }
}

export async function countUsers(db: Db): Promise<number> {
  const row = await sql<{ n: number }>`SELECT count(*)::int AS n FROM users`.execute(db);
  return row.rows[0]?.n ?? 0;
}

/**
 * Empties every table the dataset fills (accounts, tokens, boards, pins, images, follows), with what
 * hangs off them (events, jobs and the change log would otherwise name rows that are gone).
 */
export async function resetTables(db: Db): Promise<void> {
  const derived = ['change_log', 'log_consumers', 'jobs'];
  const tables = [...DATASET_TABLES, ...derived].map((table) => sql.table(table));
  await sql`TRUNCATE ${sql.join(tables)} CASCADE`.execute(db);
}

/**
 * Drops the indexes of `table` that back no constraint (the primary key stays) and returns the
 * statements that recreate them, read from the live schema so later migrations' indexes are kept too.
 */
async function dropSecondaryIndexes(trx: Queryable, table: string): Promise<string[]> {
  const { rows } = await sql<{ name: string; definition: string }>`
    SELECT c.relname AS name, pg_get_indexdef(i.indexrelid) AS definition
    FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid
    WHERE i.indrelid = ${table}::regclass AND NOT i.indisprimary
      AND NOT EXISTS (SELECT 1 FROM pg_constraint k WHERE k.conindid = i.indexrelid)
    ORDER BY c.relname`.execute(trx);
  for (const row of rows) await sql`DROP INDEX ${sql.id(row.name)}`.execute(trx);
  return rows.map((row) => row.definition);
}

export interface LoadTableOptions {
  batchRows?: number;
  onRows?: (loaded: number) => void;
  /** Called when the rows are in and the indexes are being rebuilt. */
  onIndexing?: () => void;
}

export async function loadTable(db: Db, source: TableSource, options: LoadTableOptions = {}): Promise<void> {
  const batchRows = options.batchRows ?? DEFAULT_BATCH_ROWS;
  const names = sql.join(source.columns.map((column) => sql.ref(column.name)));
  await db.transaction().execute(async (trx) => {
    // A crash mid-load means loading again anyway: no need to wait for the commit to reach the disk.
    await sql`SET LOCAL synchronous_commit TO OFF`.execute(trx);
    // A generated dataset is not news to anyone's feed: keep its rows out of the change log.
    await sql`SET LOCAL corkboard.skip_change_log = 'on'`.execute(trx);
    const indexes = source.count > 0 ? await dropSecondaryIndexes(trx, source.table) : [];
    for (let start = 0; start < source.count; start += batchRows) {
      const end = Math.min(source.count, start + batchRows);
      const values = source.batch(start, end);
      const arrays = sql.join(values.map((column, i) => sql`${column}::${sql.raw(source.columns[i]?.type ?? 'text')}[]`));
      await sql`INSERT INTO ${sql.table(source.table)} (${names}) SELECT * FROM unnest(${arrays})`.execute(trx);
      options.onRows?.(end);
    }
    if (indexes.length > 0) options.onIndexing?.();
    // Rebuilding a unique index also re-checks that the rows honour it.
    for (const definition of indexes) await sql.raw(definition).execute(trx);
  });
}

/**
 * Marks the loaded images that no pin shows (the plan may draw more than its pins use): they are not
 * served and the worker collects them, as for any image whose pins are gone. Bulk loads skip the
 * triggers that keep these marks.
 */
export async function markUnreferencedImages(db: Db): Promise<number> {
  const result = await sql`
    UPDATE images SET unreferenced_at = now()
    WHERE unreferenced_at IS NULL AND NOT EXISTS (SELECT 1 FROM pins WHERE pins.image_id = images.id)`.execute(db);
  return Number(result.numAffectedRows ?? 0n);
}

/**
 * Vacuums the loaded tables and refreshes the planner's statistics. Freshly copied rows are not yet
 * marked visible to everyone: until a vacuum does it, the first reads of every page write hint bits
 * and index-only scans still visit the table, so the database would serve its first hours (and any
 * benchmark) slower than it will run.
 */
export async function analyzeTables(db: Db): Promise<void> {
  await sql`VACUUM (ANALYZE) ${sql.join(DATASET_TABLES.map((table) => sql.table(table)))}`.execute(db);
}

export async function databaseSize(db: Db): Promise<number | undefined> {
  try {
    const result = await sql<{ bytes: string }>`SELECT pg_database_size(current_database())::text AS bytes`.execute(db);
    const bytes = result.rows[0]?.bytes;
    return bytes === undefined ? undefined : Number(bytes);
  } catch {
    return undefined;
  }
}
