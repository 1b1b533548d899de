// SQL for boards, their sections and collaborators.
import type { Queryable } from '../platform/db/database.js';
import type { BoardRow, BoardSectionRow, CollaboratorRole } from '../platform/db/schema.js';

export interface BoardWithRelation {
  board: BoardRow;
  /** The viewer's collaborator role on the board, or null. */
  collaboratorRole: CollaboratorRole | null;
}

export class BoardRepository {
  constructor(private readonly db: Queryable) {}

  /** The board and the viewer's collaborator role, in one statement. */
  async findWithRelation(boardId: string, viewerId: string | null): Promise<BoardWithRelation | undefined> {
    const row = await this.db
      .selectFrom('boards')
      .leftJoin('board_collaborators as bc', (join) =>
        join.onRef('bc.board_id', '=', 'boards.id').on('bc.user_id', '=', viewerId ?? '0'),
      )
      .selectAll('boards')
      .select('bc.role as collaborator_role')
      .where('boards.id', '=', boardId)
      .executeTakeFirst();
    if (!row) return undefined;
    const { collaborator_role, ...board } = row;
    return { board, collaboratorRole: collaborator_role };
  }

  async findSection(boardId: string, sectionId: string): Promise<BoardSectionRow | undefined> {
    return this.db
      .selectFrom('board_sections')
      .selectAll()
      .where('id', '=', sectionId)
      .where('board_id', '=', boardId)
      .executeTakeFirst();
  }
}
