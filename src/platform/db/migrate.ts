// Runs the timestamped migrations in ./migrations (up/down, raw SQL through Kysely) in name order.
import { Migrator, type MigrationResultSet } from 'kysely';
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

export async function migrateToLatest(db: Db): Promise<void> {
  unwrap(await createMigrator(db).migrateToLatest());
}

export async function migrateDown(db: Db): Promise<void> {
  unwrap(await createMigrator(db).migrateDown());
}
