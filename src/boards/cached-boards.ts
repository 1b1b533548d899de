// Boards and their collaborators' roles through the cache, for read paths: the viewer's relation to
// each board is worked out from cached rows, so a warm read of a board, or of the boards behind a
// page of pins, sends no statement. Writes decide access from the database (BoardService), under
// their transaction's locks.
//
// An id that names no board costs what a board the viewer may not see costs: its roles are read too
// (an empty set, cached like any other), so a stranger's 404 for a hidden board and for a missing one
// make the same cache reads before they answer, and timing cannot tell them apart.
import type { CachedRows } from '../platform/cache/cached-rows.js';
import type { BoardRow } from '../platform/db/schema.js';
import type { Viewer } from '../platform/http/viewer.js';
import { readNeedsRelation, relationOf } from './board-access.js';
import type { CollaboratorRoles } from './board.repository.js';
import type { BoardWithViewerRelation } from './board.service.js';

export interface RelationOptions {
  /**
   * Whether the viewer's role on other people's boards that everyone may read is needed (true by
   * default). Reading those needs none, so readers that only decide who may read skip the lookups.
   */
  publicBoards?: boolean;
}

export class CachedBoards {
  constructor(
    private readonly boardRows: CachedRows<BoardRow>,
    private readonly roles: CachedRows<CollaboratorRoles>,
  ) {}

  /** The boards that exist among `boardIds`, by id. */
  async rows(boardIds: readonly string[]): Promise<Map<string, BoardRow>> {
    return this.boardRows.getMany(boardIds);
  }

  /**
   * The boards that exist among `boardIds`, each with the viewer's relation to it. Two cache reads
   * whatever the boards are: the rows, then the roles of other people's boards and of the ids that
   * name no board (so that a missing board is not answered sooner than a hidden one).
   */
  async withRelations(viewer: Viewer | null, boardIds: readonly string[], options: RelationOptions = {}): Promise<Map<string, BoardWithViewerRelation>> {
    const boards = await this.rows(boardIds);
    const rolesNeeded = (id: string): boolean => {
      const board = boards.get(id);
      if (!board) return true;
      return board.owner_id !== viewer?.userId && (options.publicBoards !== false || readNeedsRelation(board.privacy));
    };
    const roles = await this.roles.getMany(viewer ? [...new Set(boardIds)].filter(rolesNeeded) : []);
    return new Map(
      [...boards.values()].map((board) => {
        const role = viewer ? (roles.get(board.id)?.[viewer.userId] ?? null) : null;
        return [board.id, { board, relation: relationOf(viewer, board, role) }];
      }),
    );
  }
}
