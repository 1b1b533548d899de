// Timelines in the database, when no Redis is configured: a head row per person marks the timeline
// as present (built) or being built until `expires_at`, and feed_timelines holds its entries. Being
// tables, timelines survive a restart of the embedded server, and several processes on one
// PostgreSQL share them. Deliveries and rebuilds trim each timeline they touch to FEED_TIMELINE_MAX;
// maintain(), which the worker runs periodically, drops expired timelines.
import { sql } from 'kysely';
import type { Db } from '../../platform/db/database.js';
import type { TimelineEntry, TimelineReadOptions } from './timeline.js';
import { BUILD_WINDOW_MS, type StoredPage, type TimelineStore } from './timeline-store.js';

export class DatabaseTimelineStore implements TimelineStore {
  readonly kind = 'database' as const;

  constructor(
    private readonly db: Db,
    private readonly options: { maxItems: number },
  ) {}

  async read(userId: string, { limit, beforeScore }: TimelineReadOptions): Promise<StoredPage | undefined> {
    const result = await sql<{ built: boolean; size: number; pin_id: string | null; score: number | null }>`
      SELECT h.built, stored.size, t.pin_id::text AS pin_id, t.score
      FROM feed_timeline_heads h
      -- Counted once per read in a lateral (as a select-list subquery it would run once per entry).
      CROSS JOIN LATERAL (SELECT count(*)::int AS size FROM feed_timelines c WHERE c.user_id = h.user_id) stored
      LEFT JOIN LATERAL (
        SELECT pin_id, score FROM feed_timelines
        WHERE user_id = h.user_id AND score < ${beforeScore ?? Number.MAX_VALUE}
        ORDER BY score DESC, pin_id DESC
        LIMIT ${Math.max(0, limit)}
      ) t ON true
      WHERE h.user_id = ${userId} AND h.expires_at > now()
    `.execute(this.db);
    const first = result.rows[0];
    if (!first?.built) return undefined;
    const entries = result.rows.filter((row) => row.pin_id !== null).map((row) => ({ pinId: row.pin_id!, score: Number(row.score) }));
    return { entries, full: first.size >= this.options.maxItems };
  }

  async beginBuild(userId: string): Promise<void> {
    await this.db.transaction().execute(async (tx) => {
      await tx.deleteFrom('feed_timelines').where('user_id', '=', userId).execute();
      await sql`
        INSERT INTO feed_timeline_heads (user_id, built, expires_at)
        VALUES (${userId}, false, now() + make_interval(secs => ${BUILD_WINDOW_MS / 1000}))
        ON CONFLICT (user_id) DO UPDATE SET built = false, expires_at = excluded.expires_at
      `.execute(tx);
    });
  }

  async finishBuild(userId: string, entries: readonly TimelineEntry[], expiresAt: Date): Promise<void> {
    await this.db.transaction().execute(async (tx) => {
      await sql`
        INSERT INTO feed_timeline_heads (user_id, built, expires_at) VALUES (${userId}, true, ${expiresAt})
        ON CONFLICT (user_id) DO UPDATE SET built = true, expires_at = excluded.expires_at
      `.execute(tx);
      if (entries.length > 0) {
        await sql`
          INSERT INTO feed_timelines (user_id, pin_id, score)
          SELECT ${userId}, unnest(${entries.map((entry) => entry.pinId)}::bigint[]), unnest(${entries.map((entry) => entry.score)}::float8[])
          ON CONFLICT DO NOTHING
        `.execute(tx);
      }
      });
    await this.trim([userId]);
  }

  /** Keeps the newest FEED_TIMELINE_MAX entries of each user's timeline. */
  private async trim(userIds: readonly string[]): Promise<void> {
    await sql`
      DELETE FROM feed_timelines t
      USING unnest(${[...userIds]}::bigint[]) AS u (user_id)
      CROSS JOIN LATERAL (
        SELECT x.score, x.pin_id FROM feed_timelines x WHERE x.user_id = u.user_id
        ORDER BY x.score DESC, x.pin_id DESC OFFSET ${this.options.maxItems} LIMIT 1
      ) cutoff
      WHERE t.user_id = u.user_id AND (t.score, t.pin_id) <= (cutoff.score, cutoff.pin_id)
    `.execute(this.db);
  }

  async deliver(userIds: readonly string[], entries: readonly TimelineEntry[]): Promise<number> {
    if (userIds.length === 0 || entries.length === 0) return 0;
    const result = await sql<{ user_id: string }>`
      WITH reached AS (
        SELECT user_id FROM feed_timeline_heads
        WHERE user_id = ANY(${userIds}::bigint[]) AND expires_at > now()
      ), added AS (
        INSERT INTO feed_timelines (user_id, pin_id, score)
        SELECT r.user_id, e.pin_id, e.score FROM reached r
        CROSS JOIN unnest(${entries.map((entry) => entry.pinId)}::bigint[], ${entries.map((entry) => entry.score)}::float8[]) AS e (pin_id, score)
        ON CONFLICT DO NOTHING
      )
      SELECT user_id::text AS user_id FROM reached
    `.execute(this.db);
    const reached = result.rows.map((row) => row.user_id);
    if (reached.length > 0) await this.trim(reached);
    return reached.length;
  }

  async remove(userIds: readonly string[], pinIds: readonly string[]): Promise<void> {
    if (userIds.length === 0 || pinIds.length === 0) return;
    await this.db
      .deleteFrom('feed_timelines')
      .where('user_id', 'in', [...userIds])
      .where('pin_id', 'in', [...pinIds])
      .execute();
  }

  async pinIds(userId: string): Promise<string[]> {
    const rows = await this.db.selectFrom('feed_timelines').select('pin_id').where('user_id', '=', userId).execute();
    return rows.map((row) => row.pin_id);
  }

  async keepAlive(userId: string, expiresAt: Date): Promise<void> {
    // An expired timeline stays expired (it missed deliveries meanwhile): the next read rebuilds it.
    await this.db
      .updateTable('feed_timeline_heads')
      .set({ expires_at: expiresAt })
      .where('user_id', '=', userId)
      .where('built', '=', true)
      .where('expires_at', '>', new Date())
      .execute();
  }

  async drop(userId: string): Promise<void> {
    await this.db.deleteFrom('feed_timeline_heads').where('user_id', '=', userId).execute();
  }

  async maintain(): Promise<void> {
    await sql`DELETE FROM feed_timeline_heads WHERE expires_at < now()`.execute(this.db);
  }

  async close(): Promise<void> {}
}
