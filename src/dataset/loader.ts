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
import { copyRows, type CopyConnection } from './copy-connection.js';

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

/**
 * Drops the foreign keys of `table` and returns the statements that add them back. Checked row by
 * row, five foreign keys cost the pins table one index lookup each per row; added back once the rows
 * are in, each is checked in one join over the whole table, and a row naming no parent still fails
 * the load.
 */
async function dropForeignKeys(trx: Queryable, table: string): Promise<string[]> {
  const { rows } = await sql<{ name: string; definition: string }>`
    SELECT conname AS name, pg_get_constraintdef(oid) AS definition
    FROM pg_constraint WHERE conrelid = ${table}::regclass AND contype = 'f'
    ORDER BY conname`.execute(trx);
  for (const row of rows) await sql`ALTER TABLE ${sql.table(table)} DROP CONSTRAINT ${sql.id(row.name)}`.execute(trx);
  return rows.map((row) => `ALTER TABLE ${table} ADD CONSTRAINT "${row.name}" ${row.definition}`);
}

/**
 * Disables, for the load, the triggers of `table` that skip bulk loads anyway (their function returns
 * at once while corkboard.skip_change_log is on: change log, image references, unfollow records), so
 * PostgreSQL does not queue and call a function per row only for it to return. Any other trigger
 * stays on. Returns the statements that enable them again.
 */
async function disableSkippedTriggers(trx: Queryable, table: string): Promise<string[]> {
  const { rows } = await sql<{ name: string }>`
    SELECT t.tgname AS name FROM pg_trigger t JOIN pg_proc p ON p.oid = t.tgfoid
    WHERE t.tgrelid = ${table}::regclass AND NOT t.tgisinternal AND t.tgenabled = 'O'
      AND (p.prosrc LIKE '%change_log_skipped()%' OR p.prosrc LIKE '%corkboard.skip_change_log%')
    ORDER BY t.tgname`.execute(trx);
  for (const row of rows) await sql`ALTER TABLE ${sql.table(table)} DISABLE TRIGGER ${sql.id(row.name)}`.execute(trx);
  return rows.map((row) => `ALTER TABLE ${table} ENABLE TRIGGER "${row.name}"`);
}

export interface LoadTableOptions {
  batchRows?: number;
  onRows?: (loaded: number) => void;
  /** Called when the rows are in and the indexes are being rebuilt. */
  onIndexing?: () => void;
  /** On PostgreSQL: load through COPY on this connection (the whole transaction runs on it). */
  copy?: CopyConnection;
}

export async function loadTable(db: Db, source: TableSource, options: LoadTableOptions = {}): Promise<void> {
  const batchRows = options.batchRows ?? DEFAULT_BATCH_ROWS;
  const { copy } = options;
  await (copy?.db ?? db).transaction().execute(async (trx) => {
    // A crash mid-load means loading again anyway: no need to wait for the commit to reach the disk.
    await sql`SET LOCAL synchronous_commit TO OFF`.execute(trx);
    // A generated dataset is not news to anyone's feed: keep its rows out of the change log.
    await sql`SET LOCAL corkboard.skip_change_log = 'on'`.execute(trx);
    // Index builds sort every row: in memory rather than in temporary files (PostgreSQL's default is
    // 64 MB; the embedded database keeps it, its memory being the generator's own).
    if (copy) await sql`SET LOCAL maintenance_work_mem TO '512MB'`.execute(trx);
    const restore: string[] = [];
    if (source.count > 0) {
      restore.push(...(await dropSecondaryIndexes(trx, source.table)));
      restore.push(...(await dropForeignKeys(trx, source.table)));
      restore.push(...(await disableSkippedTriggers(trx, source.table)));
    }
    const batches = function* () {
      for (let start = 0; start < source.count; start += batchRows) {
        const end = Math.min(source.count, start + batchRows);
        yield { values: source.batch(start, end), end };
      }
    };
    if (copy) {
      // Rendered as the stream asks for more, while PostgreSQL stores what it already has.
      const chunks = function* () {
        for (const { values, end } of batches()) {
          yield copyRows(values);
          options.onRows?.(end);
        }
      };
      await copy.copyIn(source.table, source.columns.map((column) => column.name), chunks());
    } else {
      const names = sql.join(source.columns.map((column) => sql.ref(column.name)));
      for (const { values, end } of batches()) {
        const arrays = sql.join(values.map((column, i) => sql`${column}::${sql.raw(source.columns[i]?.type ?? 'text')}[]`));
        await sql`INSERT INTO ${sql.table(source.table)} (${names}) SELECT * FROM unnest(${arrays})`.execute(trx);
        options.onRows?.(end);
      }
    }
    if (restore.length > 0) options.onIndexing?.();
    // Rebuilding a unique index also re-checks that the rows honour it; adding a foreign key back
    // checks every row's parent.
    for (const statement of restore) await sql.raw(statement).execute(trx);
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
