// Bulk loading: each batch of rows is one INSERT ... SELECT FROM unnest($1::bigint[], $2::text[], ...)
// statement (one parameter per column whatever the batch size, fast on PostgreSQL and PGlite alike),
// committed in its own transaction so memory and WAL stay bounded however big the dataset is.
import { sql } from 'kysely';
import type { Db } from '../platform/db/database.js';
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

/** Empties every table the dataset fills (accounts, tokens, boards, pins, images, follows). */
export async function resetTables(db: Db): Promise<void> {
  await sql`TRUNCATE ${sql.join(DATASET_TABLES.map((table) => sql.table(table)))} CASCADE`.execute(db);
}

export async function loadTable(
  db: Db,
  source: TableSource,
  options: { batchRows?: number; onRows?: (loaded: number) => void } = {},
): Promise<void> {
  const batchRows = options.batchRows ?? DEFAULT_BATCH_ROWS;
  const names = sql.join(source.columns.map((column) => sql.ref(column.name)));
  for (let start = 0; start < source.count; start += batchRows) {
    const end = Math.min(source.count, start + batchRows);
    const values = source.batch(start, end);
    const arrays = sql.join(values.map((column, i) => sql`${column}::${sql.raw(source.columns[i]?.type ?? 'text')}[]`));
    await db.transaction().execute(async (trx) => {
      // A crash mid-load means loading again anyway, so there is nothing to gain from waiting for
      // each commit to reach the disk.
      await sql`SET LOCAL synchronous_commit TO OFF`.execute(trx);
      await sql`INSERT INTO ${sql.table(source.table)} (${names}) SELECT * FROM unnest(${arrays})`.execute(trx);
    });
    options.onRows?.(end);
  }
}

/** Refreshes the planner's statistics on the loaded tables. */
export async function analyzeTables(db: Db): Promise<void> {
  await sql`ANALYZE ${sql.join(DATASET_TABLES.map((table) => sql.table(table)))}`.execute(db);
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
