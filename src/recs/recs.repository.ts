// SQL for related pins: streaming the boards and the pin-board edges to build the graph (keyset
// pages on primary keys, so any size streams in constant memory and other statements interleave),
// the lookups that keep the graph fresh as changes arrive, and what a user's recommendations are
// seeded with (their latest pins and close-ups).
import { sql } from 'kysely';
import type { Queryable } from '../platform/db/database.js';
import type { BoardPrivacy } from '../platform/db/schema.js';

export interface PinEdgeRow {
  id: string;
  board_id: string;
  parent_pin_id: string | null;
}

export interface BoardPrivacyRow {
  id: string;
  privacy: BoardPrivacy;
}

/** A pin the user created, saved or looked at closely, with when. */
export interface UserPinEvent {
  pin_id: string;
  parent_pin_id: string | null;
  at: Date;
}

export class RecsRepository {
  constructor(private readonly db: Queryable) {}

  /** Every board's id and privacy, in pages of ascending id. */
  async *allBoards(pageSize: number): AsyncGenerator<BoardPrivacyRow[]> {
    let after = '0';
    for (;;) {
      const rows = await this.db
        .selectFrom('boards')
        .select(['id', 'privacy'])
        .where('id', '>', after)
        .orderBy('id')
        .limit(pageSize)
        .execute();
      if (rows.length === 0) return;
      yield rows;
      after = rows[rows.length - 1]!.id;
    }
  }

  /** Every pin's id, board and parent, in pages of ascending id (parents come before their saves). */
  async *pinEdges(pageSize: number): AsyncGenerator<PinEdgeRow[]> {
    let after = '0';
    for (;;) {
      const rows = await this.db
        .selectFrom('pins')
        .select(['id', 'board_id', 'parent_pin_id'])
        .where('id', '>', after)
        .orderBy('id')
        .limit(pageSize)
        .execute();
      if (rows.length === 0) return;
      yield rows;
      after = rows[rows.length - 1]!.id;
    }
  }

  /** The original pin (root of the parent chain) of each existing pin, keyed by pin id. */
  async rootsOf(pinIds: readonly string[]): Promise<Map<string, string>> {
    if (pinIds.length === 0) return new Map();
    const result = await sql<{ id: string; root_id: string }>`
      WITH RECURSIVE chain(id, current, parent, depth) AS (
        SELECT p.id, p.id, p.parent_pin_id, 0 FROM pins p WHERE p.id = ANY(${[...new Set(pinIds)]}::bigint[])
        UNION ALL
        SELECT c.id, p.id, p.parent_pin_id, c.depth + 1 FROM chain c JOIN pins p ON p.id = c.parent
        WHERE c.depth < 32
      )
      SELECT id::text AS id, current::text AS root_id FROM chain WHERE parent IS NULL OR depth = 32
    `.execute(this.db);
    return new Map(result.rows.map((row) => [row.id, row.root_id]));
  }

  async boardPrivacies(boardIds: readonly string[]): Promise<Map<string, BoardPrivacy>> {
    if (boardIds.length === 0) return new Map();
    const rows = await this.db.selectFrom('boards').select(['id', 'privacy']).where('id', 'in', [...new Set(boardIds)]).execute();
    return new Map(rows.map((row) => [row.id, row.privacy]));
  }

  /** The pins on a board with their parents, oldest first (to find the originals a board now holds). */
  async pinsOnBoard(boardId: string): Promise<PinEdgeRow[]> {
    return this.db.selectFrom('pins').select(['id', 'board_id', 'parent_pin_id']).where('board_id', '=', boardId).orderBy('id').execute();
  }

  /** The user's latest pins (created or saved, on any of their boards), newest first. */
  async latestPinsOf(userId: string, limit: number): Promise<UserPinEvent[]> {
    return this.db
      .selectFrom('pins')
      .select(['id as pin_id', 'parent_pin_id', 'created_at as at'])
      .where('owner_id', '=', userId)
      .orderBy('id', 'desc')
      .limit(limit)
      .execute();
  }

  /** The user's latest close-ups (engagement events), newest first, with the pin's parent. */
  async latestCloseupsOf(userId: string, limit: number): Promise<UserPinEvent[]> {
    const rows = await this.db
      .selectFrom('engagement_events as e')
      .innerJoin('pins as p', 'p.id', 'e.pin_id')
      .select(['p.id as pin_id', 'p.parent_pin_id', 'e.occurred_at as at'])
      .where('e.user_id', '=', userId)
      .where('e.kind', '=', 'closeup')
      .orderBy('e.created_at', 'desc')
      .limit(limit)
      .execute();
    return rows;
  }

  async usernameOf(userId: string): Promise<string | undefined> {
    const row = await this.db.selectFrom('users').select('username').where('id', '=', userId).executeTakeFirst();
    return row?.username;
  }
}
