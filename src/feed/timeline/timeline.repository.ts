// SQL that reads the follow graph for timelines: whom a person follows (and which of those are
// celebrities, merged at read time), the newest pins of a set of sources, and whether a person
// still reaches a pin. "Reaches" is the one rule fan-out, rebuilds and removals share: the pin is on
// a board everyone may read (boardReadableByEveryone), is not the person's own, and the person follows its creator or its board, where
// that creator or board has at most FEED_CELEBRITY_FOLLOWERS followers (else it is merged at read).
import { sql, type RawBuilder } from 'kysely';
import type { Queryable } from '../../platform/db/database.js';
import { EPOCH_MS } from '../../platform/ids.js';
import { boardReadableByEveryone } from '../../boards/board-visibility.sql.js';

/** The people and boards a person follows, split by how their pins reach the person. */
export interface FollowedSources {
  /** Fanned out on write: their pins are in the stored timeline. */
  users: string[];
  boards: string[];
  /** Over the threshold: their pins are merged in when the timeline is read. */
  celebrityUsers: string[];
  celebrityBoards: string[];
}

export interface SourceSet {
  users: readonly string[];
  boards: readonly string[];
}

/** Ids whose score is below `beforeScore` (timelineScore): the same millisecond, lower sequence, or earlier. */
function idsBelowScore(column: RawBuilder<unknown>, beforeScore: number | undefined): RawBuilder<boolean> {
  if (beforeScore === undefined) return sql<boolean>`true`;
  const relativeMs = Math.floor(beforeScore) - EPOCH_MS;
  const sequence = Math.ceil((beforeScore - Math.floor(beforeScore)) * 4096);
  return sql<boolean>`((${column} >> 22) < ${relativeMs} OR ((${column} >> 22) = ${relativeMs} AND (${column} & 4095) < ${sequence}))`;
}

/** From this many sources on, newestPins reads each source's newest few first to find a cutoff. */
const NEWEST_TWO_PASS_SOURCES = 16;
/** The fewest pins per source that first pass takes. */
const NEWEST_SAMPLE_MIN = 8;

/** Timelines are built for followers from what everyone may read; `b` is the pin's board. */
const everyone = boardReadableByEveryone('b');

export class TimelineRepository {
  constructor(private readonly db: Queryable) {}

  async followedSources(userId: string, celebrityFollowers: number): Promise<FollowedSources> {
    const rows = await sql<{ kind: 'user' | 'board'; id: string; celebrity: boolean }>`
      SELECT 'user' AS kind, u.id::text AS id, u.follower_count > ${celebrityFollowers} AS celebrity
      FROM user_follows f JOIN users u ON u.id = f.followee_id
      WHERE f.follower_id = ${userId}
      UNION ALL
      SELECT 'board', b.id::text, b.follower_count > ${celebrityFollowers}
      FROM board_follows f JOIN boards b ON b.id = f.board_id
      WHERE f.user_id = ${userId} AND ${everyone}
    `.execute(this.db);
    const sources: FollowedSources = { users: [], boards: [], celebrityUsers: [], celebrityBoards: [] };
    for (const row of rows.rows) {
      if (row.kind === 'user') (row.celebrity ? sources.celebrityUsers : sources.users).push(row.id);
      else (row.celebrity ? sources.celebrityBoards : sources.boards).push(row.id);
    }
    return sources;
  }

  /**
   * The newest pins (ids, newest first) on PUBLIC boards created by `sources.users` or placed on
   * `sources.boards`, not by `viewerId`, with a score below `beforeScore`. One index scan per source
   * (pins by owner, pins by board), each stopping after `limit` rows.
   *
   * With many sources that is many rows (400 sources of 130 pins each: 52,000, each checked against
   * its board) for `limit` kept, so a first pass takes only each source's newest few: the `limit`-th
   * newest of those is a lower bound of the answer's oldest pin (they are all real candidates, so at
   * least `limit` pins are that new), and the second pass reads each source down to it only.
   */
  async newestPins(viewerId: string, sources: SourceSet, limit: number, beforeScore?: number): Promise<string[]> {
    const sourceCount = sources.users.length + sources.boards.length;
    if (limit <= 0 || sourceCount === 0) return [];
    const below = idsBelowScore(sql.ref('p.id'), beforeScore);
    const newest = (perSource: number, atLeast: RawBuilder<unknown>) => sql`
      SELECT picked.id FROM unnest(${[...sources.users]}::bigint[]) AS s (id)
      CROSS JOIN LATERAL (
        SELECT p.id FROM pins p JOIN boards b ON b.id = p.board_id
        WHERE p.owner_id = s.id AND p.id >= ${atLeast} AND ${everyone} AND p.owner_id <> ${viewerId} AND ${below}
        ORDER BY p.id DESC LIMIT ${perSource}
      ) picked
      UNION ALL
      SELECT picked.id FROM unnest(${[...sources.boards]}::bigint[]) AS s (id)
      CROSS JOIN LATERAL (
        SELECT p.id FROM pins p JOIN boards b ON b.id = p.board_id
        WHERE p.board_id = s.id AND p.id >= ${atLeast} AND ${everyone} AND p.owner_id <> ${viewerId} AND ${below}
        ORDER BY p.id DESC LIMIT ${perSource}
      ) picked
    `;
    const sampled = Math.max(NEWEST_SAMPLE_MIN, Math.ceil((2 * limit) / sourceCount));
    const query =
      sourceCount < NEWEST_TWO_PASS_SOURCES || sampled >= limit
        ? sql<{ id: string }>`
            SELECT DISTINCT id FROM (${newest(limit, sql`0`)}) candidates
            ORDER BY id DESC LIMIT ${limit}
          `
        : sql<{ id: string }>`
            WITH sample AS (${newest(sampled, sql`0`)}),
            cutoff AS (
              SELECT coalesce((SELECT DISTINCT id FROM sample ORDER BY id DESC OFFSET ${limit - 1} LIMIT 1), 0) AS min_id
            )
            SELECT DISTINCT id FROM (${newest(limit, sql`(SELECT min_id FROM cutoff)`)}) candidates
            ORDER BY id DESC LIMIT ${limit}
          `;
    const result = await query.execute(this.db);
    return result.rows.map((row) => row.id);
  }

  /** Which of `pinIds` the user reaches now (see the rule above). */
  async reachablePins(userId: string, pinIds: readonly string[], celebrityFollowers: number): Promise<Set<string>> {
    if (pinIds.length === 0) return new Set();
    // Lateral lookups keep every step an index probe (a join could hash all users or boards).
    const result = await sql<{ id: string }>`
      SELECT p.id::text AS id
      FROM unnest(${[...pinIds]}::bigint[]) AS wanted (id)
      JOIN pins p ON p.id = wanted.id
      CROSS JOIN LATERAL (SELECT privacy, follower_count FROM boards WHERE id = p.board_id) b
      CROSS JOIN LATERAL (SELECT follower_count FROM users WHERE id = p.owner_id) author
      WHERE ${everyone} AND p.owner_id <> ${userId}
        AND (
          (author.follower_count <= ${celebrityFollowers}
            AND EXISTS (SELECT 1 FROM user_follows f WHERE f.follower_id = ${userId} AND f.followee_id = p.owner_id))
          OR (b.follower_count <= ${celebrityFollowers}
            AND EXISTS (SELECT 1 FROM board_follows f WHERE f.user_id = ${userId} AND f.board_id = p.board_id))
        )
    `.execute(this.db);
    return new Set(result.rows.map((row) => row.id));
  }

  /** Which of `userIds` reach the pin now (see the rule above); empty when the pin is gone or not PUBLIC. */
  async usersReaching(pinId: string, userIds: readonly string[], celebrityFollowers: number): Promise<Set<string>> {
    if (userIds.length === 0) return new Set();
    // The pin's one row first (materialized), then one or two index probes per user.
    const result = await sql<{ id: string }>`
      WITH target AS MATERIALIZED (
        SELECT p.owner_id, p.board_id,
          (SELECT follower_count FROM users WHERE id = p.owner_id) <= ${celebrityFollowers} AS via_author,
          b.follower_count <= ${celebrityFollowers} AS via_board
        FROM pins p JOIN boards b ON b.id = p.board_id
        WHERE p.id = ${pinId} AND ${everyone}
      )
      SELECT u.id::text AS id
      FROM target CROSS JOIN unnest(${[...userIds]}::bigint[]) AS u (id)
      WHERE u.id <> target.owner_id
        AND (
          (target.via_author AND EXISTS (SELECT 1 FROM user_follows f WHERE f.follower_id = u.id AND f.followee_id = target.owner_id))
          OR (target.via_board AND EXISTS (SELECT 1 FROM board_follows f WHERE f.user_id = u.id AND f.board_id = target.board_id))
        )
    `.execute(this.db);
    return new Set(result.rows.map((row) => row.id));
  }
}
