// Exposure events: the log of "this user was shown this variation", appended by the request path
// (once per user and experiment per process) and read in (xid, id) order by a durable reader that
// keeps experiment_exposures (first exposure per user and experiment) from it. The event commits
// before the read that caused it answers, so an exposure survives a crash before the reader gets to
// it; the reader's position moves in the same transaction as the rows it writes, so a retried batch
// adds nothing twice.
import { type Kysely, sql } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    CREATE TABLE experiment_exposure_events (
      id bigserial PRIMARY KEY,
      xid xid8 NOT NULL DEFAULT pg_current_xact_id(),
      experiment_id bigint NOT NULL REFERENCES experiments (id) ON DELETE CASCADE,
      user_id bigint NOT NULL REFERENCES users (id) ON DELETE CASCADE,
      variation_index smallint NOT NULL CHECK (variation_index >= 0),
      exposed_at timestamptz NOT NULL DEFAULT now()
    );
    CREATE INDEX experiment_exposure_events_order_idx ON experiment_exposure_events (xid, id);
    CREATE INDEX experiment_exposure_events_user_idx ON experiment_exposure_events (user_id);
    CREATE INDEX experiment_exposure_events_experiment_idx ON experiment_exposure_events (experiment_id);
    CREATE INDEX experiment_exposure_events_time_idx ON experiment_exposure_events (exposed_at);
  `.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`DROP TABLE experiment_exposure_events`.execute(db);
}
