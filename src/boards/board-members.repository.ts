// SQL for the people around a board: collaborators (who may read or edit it) and followers. Each
// write changes the board's collaborator_count or follower_count in the same transaction, by
// exactly the number of rows it added or removed, so concurrent identical requests count once.
import { sql } from 'kysely';
import type { Queryable } from '../platform/db/database.js';
import type { CollaboratorRole } from '../platform/db/schema.js';
import type { PageRequest } from '../platform/http/pagination.js';
import { inTransaction } from './board.repository.js';

export interface CollaboratorRow {
  user_id: string;
  username: string;
  role: CollaboratorRole;
  created_at: Date;
  /** created_at in microseconds since the epoch: the exact sort key behind bookmarks. */
  created_us: string;
}

// Microseconds keep the cursor exact where a JavaScript Date would round to milliseconds.
const createdMicros = sql<string>`(floor(extract(epoch from bc.created_at) * 1000000)::bigint)::text`;

export class BoardMembersRepository {
  constructor(private readonly db: Queryable) {}

  /** Collaborators in the order they joined; fetches `page.limit + 1` rows. */
  async listCollaborators(boardId: string, page: PageRequest): Promise<CollaboratorRow[]> {
    const after = page.after;
    return this.db
      .selectFrom('board_collaborators as bc')
      .innerJoin('users', 'users.id', 'bc.user_id')
      .select(['bc.user_id', 'users.username', 'bc.role', 'bc.created_at', createdMicros.as('created_us')])
      .where('bc.board_id', '=', boardId)
      .$if(after !== null, (qb) =>
        qb.where(
          sql<boolean>`(floor(extract(epoch from bc.created_at) * 1000000)::bigint, bc.user_id) > (${after?.[0] ?? '0'}::bigint, ${after?.[1] ?? '0'}::bigint)`,
        ),
      )
      .orderBy('bc.created_at', 'asc')
      .orderBy('bc.user_id', 'asc')
      .limit(page.limit + 1)
      .execute();
  }

  /**
   * The same page of several boards' collaborators in one statement (a LATERAL join runs
   * listCollaborators()'s scan once per board); keyed by board id.
   */
  async listCollaboratorsMany(boardIds: readonly string[], page: PageRequest): Promise<Map<string, CollaboratorRow[]>> {
    const pages = new Map<string, CollaboratorRow[]>();
    if (boardIds.length === 0) return pages;
    const after = page.after;
    const perBoard = this.db
      .selectFrom('board_collaborators as bc')
      .innerJoin('users', 'users.id', 'bc.user_id')
      .select(['bc.board_id', 'bc.user_id', 'users.username', 'bc.role', 'bc.created_at', createdMicros.as('created_us')])
      .where(sql<boolean>`bc.board_id = wanted.board_id`)
      .$if(after !== null, (qb) =>
        qb.where(
          sql<boolean>`(floor(extract(epoch from bc.created_at) * 1000000)::bigint, bc.user_id) > (${after?.[0] ?? '0'}::bigint, ${after?.[1] ?? '0'}::bigint)`,
        ),
      )
      .orderBy('bc.created_at', 'asc')
      .orderBy('bc.user_id', 'asc')
      .limit(page.limit + 1);
    const rows = await this.db
      .selectFrom(sql<{ board_id: string }>`(SELECT unnest(${[...new Set(boardIds)]}::bigint[]) AS board_id)`.as('wanted'))
      .innerJoinLateral(perBoard.as('c'), (join) => join.onTrue())
      .selectAll('c')
      .orderBy('c.created_at', 'asc')
      .orderBy('c.user_id', 'asc')
      .execute();
    for (const { board_id, ...row } of rows) pages.set(board_id, [...(pages.get(board_id) ?? []), row]);
    return pages;
  }

  async findCollaborator(boardId: string, userId: string): Promise<CollaboratorRow | undefined> {
    return this.db
      .selectFrom('board_collaborators as bc')
      .innerJoin('users', 'users.id', 'bc.user_id')
      .select(['bc.user_id', 'users.username', 'bc.role', 'bc.created_at', createdMicros.as('created_us')])
      .where('bc.board_id', '=', boardId)
      .where('bc.user_id', '=', userId)
      .executeTakeFirst();
  }

  /**
   * Adds a collaborator or, when they already are one, changes their role. `created` says which;
   * collaborator_count grows only on a new row.
   */
  async upsertCollaborator(input: {
    boardId: string;
    userId: string;
    role: CollaboratorRole;
    invitedBy: string;
  }): Promise<{ created: boolean }> {
    return inTransaction(this.db, async (trx) => {
      const row = await trx
        .insertInto('board_collaborators')
        .values({ board_id: input.boardId, user_id: input.userId, role: input.role, invited_by: input.invitedBy })
        .onConflict((oc) => oc.columns(['board_id', 'user_id']).doUpdateSet({ role: input.role }))
        // xmax is 0 exactly on a freshly inserted row version.
        .returning(sql<boolean>`(xmax = 0)`.as('created'))
        .executeTakeFirstOrThrow();
      if (row.created) {
        await trx
          .updateTable('boards')
          .set((eb) => ({ collaborator_count: eb('collaborator_count', '+', 1) }))
          .where('id', '=', input.boardId)
          .execute();
      }
      return { created: row.created };
    });
  }

  async updateCollaboratorRole(boardId: string, userId: string, role: CollaboratorRole): Promise<boolean> {
    const result = await this.db
      .updateTable('board_collaborators')
      .set({ role })
      .where('board_id', '=', boardId)
      .where('user_id', '=', userId)
      .executeTakeFirst();
    return result.numUpdatedRows > 0n;
  }

  async removeCollaborator(boardId: string, userId: string): Promise<boolean> {
    return inTransaction(this.db, async (trx) => {
      const removed = await trx
        .deleteFrom('board_collaborators')
        .where('board_id', '=', boardId)
        .where('user_id', '=', userId)
        .returning('user_id')
        .executeTakeFirst();
      if (!removed) return false;
      await trx
        .updateTable('boards')
        .set((eb) => ({ collaborator_count: eb('collaborator_count', '-', 1) }))
        .where('id', '=', boardId)
        .execute();
      return true;
    });
  }

  /** Follows the board; false when the user already followed it (nothing changes then). */
  async follow(userId: string, boardId: string): Promise<boolean> {
    return inTransaction(this.db, async (trx) => {
      const inserted = await trx
        .insertInto('board_follows')
        .values({ user_id: userId, board_id: boardId })
        .onConflict((oc) => oc.columns(['user_id', 'board_id']).doNothing())
        .returning('board_id')
        .executeTakeFirst();
      if (!inserted) return false;
      await trx
        .updateTable('boards')
        .set((eb) => ({ follower_count: eb('follower_count', '+', 1) }))
        .where('id', '=', boardId)
        .execute();
      return true;
    });
  }

  /** Unfollows the board; false when the user did not follow it. */
  async unfollow(userId: string, boardId: string): Promise<boolean> {
    return inTransaction(this.db, async (trx) => {
      const removed = await trx
        .deleteFrom('board_follows')
        .where('user_id', '=', userId)
        .where('board_id', '=', boardId)
        .returning('board_id')
        .executeTakeFirst();
      if (!removed) return false;
      await trx
        .updateTable('boards')
        .set((eb) => ({ follower_count: eb('follower_count', '-', 1) }))
        .where('id', '=', boardId)
        .execute();
      return true;
    });
  }
}
