// Runs the timestamped migrations in ./migrations (up/down, raw SQL through Kysely) in name order.
import { Migrator, sql, type MigrationResultSet } from 'kysely';
import type { Db } from './database.js';
import { migrations } from './migrations/index.js';

export function createMigrator(db: Db): Migrator {
  return new Migrator({ db, provider: { getMigrations: async () => migrations } });
}

function unwrap(result: MigrationResultSet): void {
  if (result.error) {
    const failed = result.results?.find((item) => item.status === 'Error');
    const cause = result.error instanceof Error ? result.error.message : JSON.stringify(result.error);
    throw new Error(`Migration ${failed?.migrationName ?? '(unknown)'} failed: ${cause}`, {
      cause: result.error,
    });
  }
}

/**
 * Whether every migration has been applied, and nothing else, from one read of Kysely's bookkeeping
 * table: the usual case at start, answered without the Migrator's table checks and lock (about a
 * dozen statements, a noticeable share of an embedded start).
 */
async function upToDate(db: Db): Promise<boolean> {
  const table = await sql<{ exists: boolean }>`SELECT to_regclass('kysely_migration') IS NOT NULL AS exists`.execute(db);
  if (!table.rows[0]?.exists) return false;
  const applied = (await sql<{ name: string }>`SELECT name FROM kysely_migration`.execute(db)).rows.map((row) => row.name).sort();
  const known = Object.keys(migrations).sort();
  return applied.length === known.length && applied.every((name, i) => name === known[i]);
}

export async function migrateToLatest(db: Db): Promise<void> {
  if (await upToDate(db)) return;
  unwrap(await createMigrator(db).migrateToLatest());
}

export async function migrateDown(db: Db): Promise<void> {
  unwrap(await createMigrator(db).migrateDown());
}
