// Following timelines on the embedded side, and who counts as active for fan-out.
// - user_activity: when each person last used the API (written at most every few minutes per
//   person). Fan-out on write delivers only to people active within FEED_ACTIVE_DAYS.
// - feed_timeline_heads / feed_timelines: a following timeline per person when no Redis is
//   configured (with REDIS_URL they are Redis sorted sets and these tables stay empty). A head marks
//   a timeline as present until `expires_at`; deliveries only reach timelines that have one, so a
//   timeline is either complete or absent (and then rebuilt from the follow graph).
import { type Kysely, sql } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    CREATE TABLE user_activity (
      user_id bigint PRIMARY KEY REFERENCES users (id) ON DELETE CASCADE,
      last_active_at timestamptz NOT NULL DEFAULT now()
    );

    CREATE TABLE feed_timeline_heads (
      user_id bigint PRIMARY KEY REFERENCES users (id) ON DELETE CASCADE,
      built boolean NOT NULL DEFAULT false,
      expires_at timestamptz NOT NULL
    );
    CREATE INDEX feed_timeline_heads_expires_idx ON feed_timeline_heads (expires_at);

    CREATE TABLE feed_timelines (
      user_id bigint NOT NULL REFERENCES feed_timeline_heads (user_id) ON DELETE CASCADE,
      pin_id bigint NOT NULL,
      score double precision NOT NULL,
      PRIMARY KEY (user_id, pin_id)
    );
    CREATE INDEX feed_timelines_order_idx ON feed_timelines (user_id, score DESC);
  `.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`DROP TABLE feed_timelines, feed_timeline_heads, user_activity`.execute(db);
}
