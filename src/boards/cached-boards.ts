// Boards and their collaborators' roles through the cache, for read paths: the viewer's relation to
// each board is worked out from cached rows, so a warm read of a board, or of the boards behind a
// page of pins, sends no statement. Writes decide access from the database (BoardService), under
// their transaction's locks.
import type { CachedRows } from '../platform/cache/cached-rows.js';
import type { BoardRow } from '../platform/db/schema.js';
import type { Viewer } from '../platform/http/viewer.js';
import { relationOf, type BoardRelation } from './board-access.js';
import type { CollaboratorRoles } from './board.repository.js';
import type { BoardWithViewerRelation } from './board.service.js';

export class CachedBoards {
  constructor(
    private readonly boardRows: CachedRows<BoardRow>,
    private readonly roles: CachedRows<CollaboratorRoles>,
  ) {}

  /** The boards that exist among `boardIds`, by id. */
  async rows(boardIds: readonly string[]): Promise<Map<string, BoardRow>> {
    return this.boardRows.getMany(boardIds);
  }

  /** The viewer's relation to each of `boards` (collaborator roles are looked up for other people's boards only). */
  async relations(viewer: Viewer | null, boards: readonly BoardRow[]): Promise<Map<string, BoardRelation>> {
    const others = viewer ? boards.filter((board) => board.owner_id !== viewer.userId).map((board) => board.id) : [];
    const roles = await this.roles.getMany(others);
    return new Map(boards.map((board) => [board.id, relationOf(viewer, board, viewer ? (roles.get(board.id)?.[viewer.userId] ?? null) : null)]));
  }

  /** The boards that exist among `boardIds`, each with the viewer's relation to it. */
  async withRelations(viewer: Viewer | null, boardIds: readonly string[]): Promise<Map<string, BoardWithViewerRelation>> {
    const boards = [...(await this.rows(boardIds)).values()];
    const relations = await this.relations(viewer, boards);
    return new Map(boards.map((board) => [board.id, { board, relation: relations.get(board.id) ?? 'none' }]));
  }
}
