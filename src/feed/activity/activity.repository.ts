// SQL for who is active: user_activity holds when each person last used the API. Fan-out on write
// reads it to skip people who have not been around for FEED_ACTIVE_DAYS.
import { sql } from 'kysely';
import type { Queryable } from '../../platform/db/database.js';

export class ActivityRepository {
  constructor(private readonly db: Queryable) {}

  /**
   * Records that the user is active now, unless a write less than `minIntervalMs` ago already did.
   * Returns the new last-active time, or undefined when nothing was written.
   */
  async touch(userId: string, minIntervalMs: number): Promise<Date | undefined> {
    const result = await sql<{ last_active_at: Date }>`
      INSERT INTO user_activity AS a (user_id, last_active_at) VALUES (${userId}, now())
      ON CONFLICT (user_id) DO UPDATE SET last_active_at = excluded.last_active_at
        WHERE a.last_active_at < now() - make_interval(secs => ${minIntervalMs / 1000})
      RETURNING last_active_at
    `.execute(this.db);
    return result.rows[0]?.last_active_at;
  }

  async lastActive(userId: string): Promise<Date | undefined> {
    const row = await this.db.selectFrom('user_activity').select('last_active_at').where('user_id', '=', userId).executeTakeFirst();
    return row?.last_active_at;
  }

  /** Sets the last-active time of several people (data loads, benchmarks, tests of the window). */
  async setLastActive(userIds: readonly string[], at: Date): Promise<void> {
    if (userIds.length === 0) return;
    await sql`
      INSERT INTO user_activity (user_id, last_active_at)
      SELECT unnest(${userIds}::bigint[]), ${at}::timestamptz
      ON CONFLICT (user_id) DO UPDATE SET last_active_at = excluded.last_active_at
    `.execute(this.db);
  }
}
