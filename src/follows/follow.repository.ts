// SQL for follows: people following people (user_follows) and the boards a person follows
// (board_follows, written by the boards feature). The counters on users change in the same
// transaction as the follow row, and only when a row was really added or removed.
import { sql, type SqlBool } from 'kysely';
import type { Db, Tx } from '../platform/db/database.js';
import type { BoardRow } from '../platform/db/schema.js';
import type { Viewer } from '../platform/http/viewer.js';
import { boardReadableBy } from '../boards/board-visibility.sql.js';
import type { FollowCursor } from './follow-cursor.js';

/** A person in a follow list, with when the follow happened (see follow-cursor.ts). */
export interface FollowedUserRow {
  id: string;
  username: string;
  followed_at: string;
}

export type FollowedBoardRow = BoardRow & { followed_at: string };

/** A timestamptz as `YYYY-MM-DDTHH:MM:SS.ffffffZ`, keeping PostgreSQL's microseconds. */
function microsecondIso(column: string) {
  return sql<string>`to_char(${sql.ref(column)} AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"')`;
}

/** Rows strictly after the cursor in (followed time desc, id desc) order. */
function afterCursor(timeColumn: string, idColumn: string, after: FollowCursor) {
  return sql<SqlBool>`(${sql.ref(timeColumn)}, ${sql.ref(idColumn)}) < (${after.followedAt}::timestamptz, ${after.id}::bigint)`;
}

export class FollowRepository {
  constructor(private readonly db: Db) {}

  /** Makes `followerId` follow `followeeId`; true when this call created the follow. */
  async addUserFollow(followerId: string, followeeId: string): Promise<boolean> {
    return this.db.transaction().execute(async (trx) => {
      const inserted = await trx
        .insertInto('user_follows')
        .values({ follower_id: followerId, followee_id: followeeId })
        .onConflict((conflict) => conflict.columns(['follower_id', 'followee_id']).doNothing())
        .returning('follower_id')
        .executeTakeFirst();
      if (!inserted) return false;
      await adjustFollowCounts(trx, followerId, followeeId, 1);
      return true;
    });
  }

  /** Ends the follow if there is one; true when this call removed it. */
  async removeUserFollow(followerId: string, followeeId: string): Promise<boolean> {
    return this.db.transaction().execute(async (trx) => {
      const deleted = await trx
        .deleteFrom('user_follows')
        .where('follower_id', '=', followerId)
        .where('followee_id', '=', followeeId)
        .returning('follower_id')
        .executeTakeFirst();
      if (!deleted) return false;
      await adjustFollowCounts(trx, followerId, followeeId, -1);
      return true;
    });
  }

  /** People who follow `userId`, newest follow first; fetches `limit + 1` rows. */
  async listFollowers(userId: string, after: FollowCursor | null, limit: number): Promise<FollowedUserRow[]> {
    let query = this.db
      .selectFrom('user_follows as uf')
      .innerJoin('users as u', 'u.id', 'uf.follower_id')
      .select(['u.id', 'u.username', microsecondIso('uf.created_at').as('followed_at')])
      .where('uf.followee_id', '=', userId);
    if (after) query = query.where(afterCursor('uf.created_at', 'uf.follower_id', after));
    return query.orderBy('uf.created_at', 'desc').orderBy('uf.follower_id', 'desc').limit(limit + 1).execute();
  }

  /** People `userId` follows, newest follow first; fetches `limit + 1` rows. */
  async listFollowing(userId: string, after: FollowCursor | null, limit: number): Promise<FollowedUserRow[]> {
    let query = this.db
      .selectFrom('user_follows as uf')
      .innerJoin('users as u', 'u.id', 'uf.followee_id')
      .select(['u.id', 'u.username', microsecondIso('uf.created_at').as('followed_at')])
      .where('uf.follower_id', '=', userId);
    if (after) query = query.where(afterCursor('uf.created_at', 'uf.followee_id', after));
    return query.orderBy('uf.created_at', 'desc').orderBy('uf.followee_id', 'desc').limit(limit + 1).execute();
  }

  /** Which of `followeeIds` `followerId` follows. */
  async followedAmong(followerId: string, followeeIds: readonly string[]): Promise<Set<string>> {
    if (followeeIds.length === 0) return new Set();
    const rows = await this.db
      .selectFrom('user_follows')
      .select('followee_id')
      .where('follower_id', '=', followerId)
      .where('followee_id', 'in', [...new Set(followeeIds)])
      .execute();
    return new Set(rows.map((row) => row.followee_id));
  }

  /** Which of `boardIds` `userId` follows. */
  async followedBoardsAmong(userId: string, boardIds: readonly string[]): Promise<Set<string>> {
    if (boardIds.length === 0) return new Set();
    const rows = await this.db
      .selectFrom('board_follows')
      .select('board_id')
      .where('user_id', '=', userId)
      .where('board_id', 'in', [...new Set(boardIds)])
      .execute();
    return new Set(rows.map((row) => row.board_id));
  }

  /**
   * Boards the viewer follows and may still read (a followed board that turned SECRET or PROTECTED
   * drops out for non-members), newest follow first; fetches `limit + 1` rows.
   */
  async listFollowedBoards(viewer: Viewer, after: FollowCursor | null, limit: number): Promise<FollowedBoardRow[]> {
    let query = this.db
      .selectFrom('board_follows as bf')
      .innerJoin('boards', 'boards.id', 'bf.board_id')
      .selectAll('boards')
      .select(microsecondIso('bf.created_at').as('followed_at'))
      .where('bf.user_id', '=', viewer.userId)
      .where(boardReadableBy(viewer, 'boards', 'boards'));
    if (after) query = query.where(afterCursor('bf.created_at', 'bf.board_id', after));
    return query.orderBy('bf.created_at', 'desc').orderBy('bf.board_id', 'desc').limit(limit + 1).execute();
  }
}

/**
 * Moves both people's counters by `delta`. The two rows are locked in ascending id order, so two
 * people following each other at the same moment cannot deadlock.
 */
async function adjustFollowCounts(trx: Tx, followerId: string, followeeId: string, delta: 1 | -1): Promise<void> {
  const followerFirst = BigInt(followerId) < BigInt(followeeId);
  const updateFollower = () =>
    trx
      .updateTable('users')
      .set((eb) => ({ following_count: eb('following_count', '+', delta) }))
      .where('id', '=', followerId)
      .execute();
  const updateFollowee = () =>
    trx
      .updateTable('users')
      .set((eb) => ({ follower_count: eb('follower_count', '+', delta) }))
      .where('id', '=', followeeId)
      .execute();
  if (followerFirst) {
    await updateFollower();
    await updateFollowee();
  } else {
    await updateFollowee();
    await updateFollower();
  }
}
