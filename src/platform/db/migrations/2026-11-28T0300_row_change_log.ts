// Cached rows: every UPDATE or DELETE of users, boards and pins, and every change of a board's
// collaborators, appends one change_log row per statement ('rows.changed', with the table and the
// ids it touched). Every process reads the change log, so a cached copy of such a row is dropped
// whichever code path (or operator's psql session) wrote it. Inserts of users, boards and pins need
// no entry: a row that did not exist was never cached.
import { type Kysely, sql } from 'kysely';

const WATCHED = [
  { table: 'users', events: ['UPDATE', 'DELETE'], idColumn: 'id' },
  { table: 'boards', events: ['UPDATE', 'DELETE'], idColumn: 'id' },
  { table: 'pins', events: ['UPDATE', 'DELETE'], idColumn: 'id' },
  { table: 'board_collaborators', events: ['INSERT', 'UPDATE', 'DELETE'], idColumn: 'board_id' },
] as const;

export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    CREATE FUNCTION change_log_rows() RETURNS trigger LANGUAGE plpgsql AS $$
    DECLARE
      changed text[];
    BEGIN
      IF change_log_skipped() THEN RETURN NULL; END IF;
      -- Inserts see only the new rows, updates and deletes the old ones (ids never change).
      IF TG_OP = 'INSERT' THEN
        EXECUTE format('SELECT array_agg(DISTINCT %I::text) FROM new_rows', TG_ARGV[0]) INTO changed;
      ELSE
        EXECUTE format('SELECT array_agg(DISTINCT %I::text) FROM old_rows', TG_ARGV[0]) INTO changed;
      END IF;
      IF changed IS NOT NULL THEN
        INSERT INTO change_log (kind, payload)
        VALUES ('rows.changed', jsonb_build_object('table', TG_TABLE_NAME, 'ids', to_jsonb(changed)));
      END IF;
      RETURN NULL;
    END $$;
  `.execute(db);
  for (const { table, events, idColumn } of WATCHED) {
    for (const event of events) {
      const transition = event === 'INSERT' ? 'NEW TABLE AS new_rows' : 'OLD TABLE AS old_rows';
      await sql
        .raw(
          `CREATE TRIGGER ${table}_rows_${event.toLowerCase()} AFTER ${event} ON ${table}
           REFERENCING ${transition} FOR EACH STATEMENT EXECUTE FUNCTION change_log_rows('${idColumn}')`,
        )
        .execute(db);
    }
  }
}

export async function down(db: Kysely<unknown>): Promise<void> {
  for (const { table, events } of WATCHED) {
    for (const event of events) await sql.raw(`DROP TRIGGER ${table}_rows_${event.toLowerCase()} ON ${table}`).execute(db);
  }
  await sql`DROP FUNCTION change_log_rows()`.execute(db);
}
