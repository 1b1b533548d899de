// Collaborators and followers of a board (both extensions to Pinterest's v5 API).
// - Anyone who can read a board sees its collaborators; only its owner invites, changes roles or
//   removes them, and a collaborator may leave on their own.
// - Inviting someone who already collaborates changes their role (201 for a new collaborator,
//   200 for a role change), so an invitation can be retried safely.
// - Anyone who can read a board may follow it, except its owner; following twice is one follow.
import { AppError } from '../platform/errors.js';
import { isValidId } from '../platform/ids.js';
import { isForeignKeyViolation } from '../platform/db/pg-errors.js';
import type { CollaboratorRole } from '../platform/db/schema.js';
import { toPage, type Page, type PageQuery } from '../platform/http/pagination.js';
import type { Viewer } from '../platform/http/viewer.js';
import type { AccountRepository } from '../accounts/account.repository.js';
import { assertAccess, canLeave, canManage } from './board-access.js';
import type { BoardMembersRepository, CollaboratorRow } from './board-members.repository.js';
import { numericPageRequest, type BoardCard, type BoardService } from './board.service.js';

export interface BoardMembersServiceDeps {
  boards: BoardService;
  members: BoardMembersRepository;
  accounts: AccountRepository;
}

export class BoardMembersService {
  constructor(private readonly deps: BoardMembersServiceDeps) {}

  async listCollaborators(viewer: Viewer, boardId: string, query: PageQuery): Promise<Page<CollaboratorRow>> {
    const { board } = await this.deps.boards.getReadableBoard(viewer, boardId, 'boards');
    const request = numericPageRequest(query, 2);
    const rows = await this.deps.members.listCollaborators(board.id, request);
    return toPage(rows, request.limit, (row) => [row.created_us, row.user_id]);
  }

  /**
   * listCollaborators() for many boards with one page request, in one statement whatever their
   * number (and one for the boards when they are not cached). Each entry is that board's page, or
   * the AppError listCollaborators() would throw for it.
   */
  async listCollaboratorsMany(viewer: Viewer, boardIds: readonly string[], query: PageQuery): Promise<Array<Page<CollaboratorRow> | AppError>> {
    const readable = await this.deps.boards.readBoards(viewer, boardIds, 'boards');
    const request = numericPageRequest(query, 2);
    const pages = await this.deps.members.listCollaboratorsMany([...readable.keys()], request);
    return boardIds.map((boardId) =>
      readable.has(boardId)
        ? toPage(pages.get(boardId) ?? [], request.limit, (row) => [row.created_us, row.user_id])
        : new AppError('BOARD_NOT_FOUND'),
    );
  }

  async invite(
    viewer: Viewer,
    boardId: string,
    input: { username: string; role: CollaboratorRole },
  ): Promise<{ collaborator: CollaboratorRow; created: boolean }> {
    const { board } = await this.deps.boards.getManageableBoard(viewer, boardId);
    const user = await this.deps.accounts.findByUsername(input.username);
    if (!user) throw new AppError('USER_NOT_FOUND');
    if (user.id === board.owner_id) throw new AppError('CANNOT_INVITE_OWNER');
    try {
      const { created } = await this.deps.members.upsertCollaborator({
        boardId: board.id,
        userId: user.id,
        role: input.role,
        invitedBy: viewer.userId,
      });
      return { collaborator: await this.requireCollaborator(board.id, user.id), created };
    } catch (error) {
      // The board (or the invitee) was deleted meanwhile.
      if (isForeignKeyViolation(error)) throw new AppError('BOARD_NOT_FOUND');
      throw error;
    }
  }

  async changeRole(viewer: Viewer, boardId: string, username: string, role: CollaboratorRole): Promise<CollaboratorRow> {
    const { board } = await this.deps.boards.getManageableBoard(viewer, boardId);
    const user = await this.deps.accounts.findByUsername(username);
    if (!user || !(await this.deps.members.updateCollaboratorRole(board.id, user.id, role))) {
      throw new AppError('COLLABORATOR_NOT_FOUND');
    }
    return this.requireCollaborator(board.id, user.id);
  }

  /** The owner removes anyone; a collaborator may remove only themselves. */
  async remove(viewer: Viewer, boardId: string, username: string): Promise<void> {
    const { board, relation } = await this.deps.boards.getReadableBoard(viewer, boardId, 'boards');
    const leaving = username.toLowerCase() === viewer.username.toLowerCase();
    assertAccess(canManage(viewer, board, relation) || (leaving && canLeave(viewer, board, relation)), true);
    const user = leaving ? { id: viewer.userId } : await this.deps.accounts.findByUsername(username);
    if (!user || !(await this.deps.members.removeCollaborator(board.id, user.id))) {
      throw new AppError('COLLABORATOR_NOT_FOUND');
    }
  }

  /** Follows a board the viewer can read; following again changes nothing. */
  async follow(viewer: Viewer, boardId: string): Promise<BoardCard> {
    const { board } = await this.deps.boards.getReadableBoard(viewer, boardId, 'boards');
    if (board.owner_id === viewer.userId) throw new AppError('CANNOT_FOLLOW_OWN_BOARD');
    try {
      await this.deps.members.follow(viewer.userId, board.id);
    } catch (error) {
      if (isForeignKeyViolation(error)) throw new AppError('BOARD_NOT_FOUND');
      throw error;
    }
    return this.deps.boards.get(viewer, board.id);
  }

  /**
   * Stops following. Unfollowing a board one does not follow is not an error; a follower may also
   * unfollow a board that has since become hidden from them.
   */
  async unfollow(viewer: Viewer, boardId: string): Promise<void> {
    let readable = true;
    try {
      await this.deps.boards.getReadableBoard(viewer, boardId, 'boards');
    } catch (error) {
      if (!(error instanceof AppError && error.kind === 'BOARD_NOT_FOUND')) throw error;
      readable = false;
    }
    const removed = isValidId(boardId) && (await this.deps.members.unfollow(viewer.userId, boardId));
    if (!readable && !removed) throw new AppError('BOARD_NOT_FOUND');
  }

  private async requireCollaborator(boardId: string, userId: string): Promise<CollaboratorRow> {
    const collaborator = await this.deps.members.findCollaborator(boardId, userId);
    if (!collaborator) throw new AppError('COLLABORATOR_NOT_FOUND');
    return collaborator;
  }
}
