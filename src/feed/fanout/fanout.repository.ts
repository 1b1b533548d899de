// SQL for fan-out: who should receive a pin (the active followers of its creator and of its boards,
// once each), and what a board's pins and authors are when its privacy changes.
import { sql } from 'kysely';
import type { Queryable } from '../../platform/db/database.js';
import { boardReadableByEveryone } from '../../boards/board-visibility.sql.js';

export interface RecipientQuery {
  authorId: string;
  boardIds: readonly string[];
  activeDays: number;
  /** Sources with more followers than this are skipped (merged at read time); undefined: none skipped. */
  celebrityFollowers?: number;
}

export class FanoutRepository {
  constructor(private readonly db: Queryable) {}

  /** Followers of the author and of the boards, active within `activeDays`, without the author; by id. */
  async recipients({ authorId, boardIds, activeDays, celebrityFollowers }: RecipientQuery): Promise<string[]> {
    const limit = celebrityFollowers ?? 2_147_483_647;
    const result = await sql<{ user_id: string }>`
      SELECT f.user_id FROM (
        SELECT uf.follower_id AS user_id FROM user_follows uf JOIN users a ON a.id = uf.followee_id
        WHERE uf.followee_id = ${authorId} AND a.follower_count <= ${limit}
        UNION
        SELECT bf.user_id FROM board_follows bf JOIN boards b ON b.id = bf.board_id
        WHERE bf.board_id = ANY(${[...boardIds]}::bigint[]) AND b.follower_count <= ${limit}
      ) f
      JOIN user_activity act ON act.user_id = f.user_id
      WHERE f.user_id <> ${authorId} AND act.last_active_at > now() - make_interval(days => ${activeDays})
      ORDER BY f.user_id
    `.execute(this.db);
    return result.rows.map((row) => row.user_id);
  }

  /** The board's newest pins with their creators, newest first. */
  async newestOnBoard(boardId: string, limit: number): Promise<Array<{ pinId: string; ownerId: string }>> {
    const rows = await this.db
      .selectFrom('pins')
      .select(['id', 'owner_id'])
      .where('board_id', '=', boardId)
      .orderBy('id', 'desc')
      .limit(limit)
      .execute();
    return rows.map((row) => ({ pinId: row.id, ownerId: row.owner_id }));
  }

  /** Everyone who created a pin on the board (the owner and any collaborators who pinned). */
  async authorsOnBoard(boardId: string): Promise<string[]> {
    const rows = await this.db.selectFrom('pins').select('owner_id').distinct().where('board_id', '=', boardId).execute();
    return rows.map((row) => row.owner_id);
  }

  /** Active followers of any of the people or boards (celebrities included), once each, by id. */
  async activeFollowersOf(userIds: readonly string[], boardIds: readonly string[], activeDays: number): Promise<string[]> {
    const result = await sql<{ user_id: string }>`
      SELECT f.user_id FROM (
        SELECT follower_id AS user_id FROM user_follows WHERE followee_id = ANY(${[...userIds]}::bigint[])
        UNION
        SELECT user_id FROM board_follows WHERE board_id = ANY(${[...boardIds]}::bigint[])
      ) f
      JOIN user_activity act ON act.user_id = f.user_id
      WHERE act.last_active_at > now() - make_interval(days => ${activeDays})
      ORDER BY f.user_id
    `.execute(this.db);
    return result.rows.map((row) => row.user_id);
  }

  /** Which of the pins are on the board. */
  async pinsOnBoard(boardId: string, pinIds: readonly string[]): Promise<string[]> {
    if (pinIds.length === 0) return [];
    const result = await sql<{ id: string }>`
      SELECT id FROM pins WHERE board_id = ${boardId} AND id = ANY(${[...pinIds]}::bigint[])
    `.execute(this.db);
    return result.rows.map((row) => row.id);
  }

  /** Whether the pin exists on a board everyone may read (what timelines may hold). */
  async pinReadableByEveryone(pinId: string): Promise<boolean> {
    const row = await this.db
      .selectFrom('pins')
      .innerJoin('boards', 'boards.id', 'pins.board_id')
      .select('pins.id')
      .where('pins.id', '=', pinId)
      .where(boardReadableByEveryone('boards'))
      .executeTakeFirst();
    return row !== undefined;
  }

  /** Whether the board exists and everyone may read it (what timelines may hold). */
  async boardReadableByEveryone(boardId: string): Promise<boolean> {
    const row = await this.db.selectFrom('boards').select('id').where('id', '=', boardId).where(boardReadableByEveryone('boards')).executeTakeFirst();
    return row !== undefined;
  }
}
