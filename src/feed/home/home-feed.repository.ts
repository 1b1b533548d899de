// SQL the home feed reads besides the following timeline: the viewer's engagement signals (follows,
// saves, client events) for the affinity profile, the pins the viewer has already seen and the people
// and boards they unfollowed, the boards of a topic and the popular pins of boards for the picked
// pool, and the ranking features of a set of candidate pins. Everything offered to the feed is on a
// board everyone may read (boardReadableByEveryone); the page itself is hydrated once more through
// PinDetailsReader.findPublicDetails (rows as they are now: every write drops their cached copies
// before it answers), so a board that turned secret a moment ago still shows nothing.
import { sql } from 'kysely';
import type { Queryable } from '../../platform/db/database.js';
import type { CandidatePin } from './home-feed-ranking.js';
import { boardReadableByEveryone } from '../../boards/board-visibility.sql.js';

export type SignalKind = 'author' | 'board' | 'topic';

export interface SignalRow {
  kind: SignalKind;
  key: string;
  weight: number;
}

export interface SeenRow {
  pinId: string;
  atMs: number;
}

/** What the viewer's home feed leaves out (besides what is not PUBLIC). */
export interface LeftOut {
  /** Pins seen (impressions, last 30 days) and hidden (last year), with when. */
  seen: SeenRow[];
  /** People and boards the viewer unfollowed (and has not followed again). */
  unfollowedUsers: Set<string>;
  unfollowedBoards: Set<string>;
}

export interface SignalLimits {
  /** The viewer's most recent saves considered. */
  saves: number;
  /** The viewer's most recent close-up, click and hide events considered. */
  events: number;
}

export class HomeFeedRepository {
  constructor(private readonly db: Queryable) {}

  /**
   * The viewer's affinity signals from rows created at or before `asOf`, summed per author, board
   * and topic (a board's lower-cased name). Weights are documented in viewer-profile.ts.
   */
  async signals(userId: string, asOf: Date, limits: SignalLimits): Promise<SignalRow[]> {
    const result = await sql<SignalRow>`
      WITH recent_saves AS (
        SELECT s.board_id AS saved_to, s.parent_pin_id FROM pins s
        WHERE s.owner_id = ${userId} AND s.parent_pin_id IS NOT NULL AND s.created_at <= ${asOf}
        ORDER BY s.id DESC LIMIT ${limits.saves}
      ), recent_events AS (
        SELECT e.pin_id, e.kind FROM engagement_events e
        WHERE e.user_id = ${userId} AND e.pin_id IS NOT NULL AND e.kind IN ('closeup', 'click', 'hide')
          AND e.created_at <= ${asOf}
        ORDER BY e.created_at DESC LIMIT ${limits.events}
      ), signals (kind, key, weight) AS (
        SELECT 'author', followee_id::text, 2.0 FROM user_follows WHERE follower_id = ${userId} AND created_at <= ${asOf}
        UNION ALL
        SELECT 'board', board_id::text, 2.0 FROM board_follows WHERE user_id = ${userId} AND created_at <= ${asOf}
        UNION ALL
        SELECT 'topic', lower(name), 1.0 FROM boards WHERE owner_id = ${userId} AND created_at <= ${asOf}
        UNION ALL
        SELECT v.kind, v.key, 1.0
        FROM recent_saves s
        JOIN pins p ON p.id = s.parent_pin_id
        JOIN boards b ON b.id = p.board_id
        JOIN boards own ON own.id = s.saved_to
        CROSS JOIN LATERAL (VALUES ('author', p.owner_id::text), ('board', p.board_id::text), ('topic', lower(b.name)),
          ('topic', lower(own.name))) AS v (kind, key)
        UNION ALL
        SELECT v.kind, v.key, CASE WHEN e.kind = 'hide' THEN v.hide_weight ELSE 0.5 END
        FROM recent_events e
        JOIN pins p ON p.id = e.pin_id
        JOIN boards b ON b.id = p.board_id
        CROSS JOIN LATERAL (VALUES ('author', p.owner_id::text, -2.0), ('board', p.board_id::text, -2.0),
          ('topic', lower(b.name), 0.0)) AS v (kind, key, hide_weight)
      )
      SELECT kind, key, sum(weight)::float8 AS weight FROM signals GROUP BY kind, key
    `.execute(this.db);
    return result.rows;
  }

  /**
   * In one statement, what the viewer's feed leaves out: the pins they have seen, with when (their
   * newest impressions of the last 30 days and the pins they hid in the last year, never shown again),
   * and the people and boards they unfollowed; at most `limit` of each, most recent first.
   */
  async leftOut(userId: string, limit: number): Promise<LeftOut> {
    const result = await sql<{ kind: 'seen' | 'user' | 'board'; id: string; at_ms: number }>`
      (SELECT 'seen' AS kind, pin_id::text AS id, (extract(epoch FROM created_at) * 1000)::float8 AS at_ms
        FROM engagement_events
        WHERE user_id = ${userId} AND kind = 'impression' AND pin_id IS NOT NULL AND created_at >= now() - interval '30 days'
        ORDER BY created_at DESC LIMIT ${limit})
      UNION ALL
      (SELECT 'seen', pin_id::text, (extract(epoch FROM created_at) * 1000)::float8
        FROM engagement_events
        WHERE user_id = ${userId} AND kind = 'hide' AND pin_id IS NOT NULL AND created_at >= now() - interval '365 days'
        ORDER BY created_at DESC LIMIT ${limit})
      UNION ALL
      (SELECT 'user', followee_id::text, 0 FROM user_unfollows WHERE follower_id = ${userId} ORDER BY created_at DESC LIMIT ${limit})
      UNION ALL
      (SELECT 'board', board_id::text, 0 FROM board_unfollows WHERE user_id = ${userId} ORDER BY created_at DESC LIMIT ${limit})
    `.execute(this.db);
    const leftOut: LeftOut = { seen: [], unfollowedUsers: new Set(), unfollowedBoards: new Set() };
    for (const row of result.rows) {
      if (row.kind === 'seen') leftOut.seen.push({ pinId: row.id, atMs: row.at_ms });
      else (row.kind === 'user' ? leftOut.unfollowedUsers : leftOut.unfollowedBoards).add(row.id);
    }
    return leftOut;
  }

  /**
   * For each PUBLIC board asked for, in the order given: its most saved pins (at most the board's
   * `limit`) among its newest `recent` pins created at or before `maxPinId`. Looking at the newest
   * pins only keeps the cost of a board bounded (one short scan of pins_board_idx), however many pins
   * it holds, and favours what is popular lately.
   */
  async popularOnBoards(boards: ReadonlyArray<{ boardId: string; limit: number }>, recent: number, maxPinId: string): Promise<string[]> {
    if (boards.length === 0) return [];
    const result = await sql<{ id: string }>`
      SELECT top.id::text AS id
      FROM unnest(${boards.map((board) => board.boardId)}::bigint[], ${boards.map((board) => board.limit)}::int[])
        WITH ORDINALITY AS wanted (board_id, pin_limit, position)
      JOIN boards b ON b.id = wanted.board_id AND ${boardReadableByEveryone('b')}
      CROSS JOIN LATERAL (
        SELECT newest.id, newest.save_count FROM (
          SELECT p.id, p.save_count FROM pins p
          WHERE p.board_id = wanted.board_id AND p.id <= ${maxPinId}::bigint
          ORDER BY p.id DESC LIMIT ${recent}
        ) newest
        ORDER BY newest.save_count DESC, newest.id DESC LIMIT wanted.pin_limit
      ) top
      ORDER BY wanted.position, top.save_count DESC, top.id DESC
    `.execute(this.db);
    return result.rows.map((row) => row.id);
  }

  /**
   * Per topic (a lower-cased board name), its most followed PUBLIC boards with pins (an index range
   * scan of boards_public_topic_idx per topic).
   */
  async topicBoards(topics: readonly string[], boardsPerTopic: number): Promise<Map<string, string[]>> {
    const byTopic = new Map<string, string[]>(topics.map((topic) => [topic, []]));
    if (topics.length === 0) return byTopic;
    const result = await sql<{ topic: string; id: string }>`
      SELECT wanted.topic, board.id::text AS id
      FROM unnest(${[...topics]}::text[]) WITH ORDINALITY AS wanted (topic, position)
      CROSS JOIN LATERAL (
        SELECT b.id, b.follower_count FROM boards b
        WHERE lower(b.name) = wanted.topic AND ${boardReadableByEveryone('b')} AND b.pin_count > 0
        ORDER BY b.follower_count DESC, b.id DESC LIMIT ${boardsPerTopic}
      ) board
      ORDER BY wanted.position, board.follower_count DESC, board.id DESC
    `.execute(this.db);
    for (const row of result.rows) byTopic.get(row.topic)?.push(row.id);
    return byTopic;
  }

  /** The most followed PUBLIC boards with pins: what a viewer with no signals yet is offered. */
  async mostFollowedBoards(limit: number): Promise<string[]> {
    const result = await sql<{ id: string }>`
      SELECT id::text AS id FROM boards WHERE ${boardReadableByEveryone('boards')} AND pin_count > 0
      ORDER BY follower_count DESC, id DESC LIMIT ${limit}
    `.execute(this.db);
    return result.rows.map((row) => row.id);
  }

  /**
   * Ranking features of those of `pinIds` that are on a PUBLIC board, with close-ups counted up to
   * now. The same for every viewer, so they are cached per pin (candidate-features.ts); whose feed may
   * show which is decided there.
   */
  async pinFeatures(pinIds: readonly string[]): Promise<Map<string, CandidatePin>> {
    const found = new Map<string, CandidatePin>();
    if (pinIds.length === 0) return found;
    const result = await sql<{
      id: string;
      owner_id: string;
      board_id: string;
      image_id: string;
      topic: string;
      created_ms: number;
      save_count: number;
      closeups: number;
    }>`
      SELECT p.id::text AS id, p.owner_id::text AS owner_id, p.board_id::text AS board_id, p.image_id::text AS image_id,
        lower(b.name) AS topic, (extract(epoch FROM p.created_at) * 1000)::float8 AS created_ms, p.save_count,
        (SELECT count(*) FROM engagement_events e WHERE e.pin_id = p.id AND e.kind = 'closeup')::int AS closeups
      FROM pins p
      JOIN boards b ON b.id = p.board_id
      WHERE p.id = ANY(${[...new Set(pinIds)]}::bigint[]) AND ${boardReadableByEveryone('b')}
    `.execute(this.db);
    for (const row of result.rows) {
      found.set(row.id, {
        pinId: row.id,
        ownerId: row.owner_id,
        boardId: row.board_id,
        imageId: row.image_id,
        topic: row.topic,
        createdAtMs: row.created_ms,
        saves: row.save_count,
        closeups: row.closeups,
      });
    }
    return found;
  }
}
