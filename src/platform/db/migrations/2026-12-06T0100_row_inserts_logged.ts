// Inserts of users, boards and pins are logged in change_log too ('rows.changed', as their updates
// and deletes are since 2026-11-28T0300), so the caches may remember an id that names no row whatever
// its age: when a row is later inserted under an id some process remembered as missing, every
// process drops that entry by reading the log. Before, only ids older than a minute were remembered
// as missing, and for that minute a missing id read the database while a hidden one was cached: an
// attacker probing fresh (time-ordered) ids could tell which hid something.
import { type Kysely, sql } from 'kysely';

const TABLES = ['users', 'boards', 'pins'] as const;

export async function up(db: Kysely<unknown>): Promise<void> {
  for (const table of TABLES) {
    await sql
      .raw(
        `CREATE TRIGGER ${table}_rows_insert AFTER INSERT ON ${table}
         REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION change_log_rows('id')`,
      )
      .execute(db);
  }
}

export async function down(db: Kysely<unknown>): Promise<void> {
  for (const table of TABLES) await sql.raw(`DROP TRIGGER ${table}_rows_insert ON ${table}`).execute(db);
}
