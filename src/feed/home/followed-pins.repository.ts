// SQL for DatabaseFollowingTimeline: the newest pins of everyone and every board a user follows, in
// one statement. Each followed person and board is one index scan (pins by owner, pins by board,
// newest first) that stops after `limit` rows; the union is cut to the newest `limit`.
import { sql } from 'kysely';
import type { Queryable } from '../../platform/db/database.js';
import { EPOCH_MS } from '../../platform/ids.js';
import { boardReadableByEveryone } from '../../boards/board-visibility.sql.js';

export class FollowedPinsRepository {
  constructor(private readonly db: Queryable) {}

  /** Pin ids, newest first, whose timeline score (../timeline/timeline.ts) is below `beforeScore`. */
  async newest(userId: string, limit: number, beforeScore?: number): Promise<string[]> {
    const below = belowScore(beforeScore);
    const result = await sql<{ id: string }>`
      SELECT DISTINCT id FROM (
        SELECT picked.id FROM user_follows f
        CROSS JOIN LATERAL (
          SELECT p.id FROM pins p JOIN boards b ON b.id = p.board_id
          WHERE p.owner_id = f.followee_id AND ${boardReadableByEveryone('b')} AND ${below}
          ORDER BY p.id DESC LIMIT ${limit}
        ) picked
        WHERE f.follower_id = ${userId}
        UNION ALL
        SELECT picked.id FROM board_follows f
        JOIN boards b ON b.id = f.board_id AND ${boardReadableByEveryone('b')}
        CROSS JOIN LATERAL (
          SELECT p.id FROM pins p
          WHERE p.board_id = f.board_id AND p.owner_id <> ${userId} AND ${below}
          ORDER BY p.id DESC LIMIT ${limit}
        ) picked
        WHERE f.user_id = ${userId}
      ) followed
      ORDER BY id DESC
      LIMIT ${limit}
    `.execute(this.db);
    return result.rows.map((row) => row.id);
  }
}

/** p.id scores below `beforeScore`: an earlier millisecond, or the same one with a lower sequence. */
function belowScore(beforeScore: number | undefined) {
  if (beforeScore === undefined) return sql<boolean>`true`;
  const relativeMs = Math.floor(beforeScore) - EPOCH_MS;
  const sequence = Math.ceil((beforeScore - Math.floor(beforeScore)) * 4096);
  return sql<boolean>`((p.id >> 22) < ${relativeMs} OR ((p.id >> 22) = ${relativeMs} AND (p.id & 4095) < ${sequence}))`;
}
