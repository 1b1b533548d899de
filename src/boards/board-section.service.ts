// Board section use cases. Anyone who can read a board sees its sections; its owner and editors
// create, rename and delete them. Deleting a section keeps its pins on the board, outside any
// section (as Pinterest does).
import { AppError } from '../platform/errors.js';
import type { IdGenerator } from '../platform/ids.js';
import { isUniqueViolation } from '../platform/db/pg-errors.js';
import type { BoardSectionRow } from '../platform/db/schema.js';
import { toPage, type Page, type PageQuery } from '../platform/http/pagination.js';
import type { Viewer } from '../platform/http/viewer.js';
import type { BoardSectionRepository } from './board-section.repository.js';
import { numericPageRequest, type BoardService } from './board.service.js';

export interface BoardSectionServiceDeps {
  boards: BoardService;
  sections: BoardSectionRepository;
  ids: IdGenerator;
}

export class BoardSectionService {
  constructor(private readonly deps: BoardSectionServiceDeps) {}

  async list(viewer: Viewer, boardId: string, query: PageQuery): Promise<Page<BoardSectionRow>> {
    const { board } = await this.deps.boards.getReadableBoard(viewer, boardId, 'boards');
    const request = numericPageRequest(query);
    const rows = await this.deps.sections.list(board.id, request);
    return toPage(rows, request.limit, (section) => [section.id]);
  }

  /**
   * list() for many boards with one page request, in one statement whatever their number (and one
   * for the boards when they are not cached). Each entry is that board's page, or the AppError list()
   * would throw for it.
   */
  async listMany(viewer: Viewer, boardIds: readonly string[], query: PageQuery): Promise<Array<Page<BoardSectionRow> | AppError>> {
    const readable = await this.deps.boards.readBoards(viewer, boardIds, 'boards');
    const request = numericPageRequest(query);
    const pages = await this.deps.sections.listMany([...readable.keys()], request);
    return boardIds.map((boardId) =>
      readable.has(boardId)
        ? toPage(pages.get(boardId) ?? [], request.limit, (section) => [section.id])
        : new AppError('BOARD_NOT_FOUND'),
    );
  }

  async create(viewer: Viewer, boardId: string, name: string): Promise<BoardSectionRow> {
    const { board } = await this.deps.boards.getContributableBoard(viewer, boardId, 'boards');
    return withSectionNameConflict(() =>
      this.deps.sections.insert({ id: this.deps.ids.next(), board_id: board.id, name: name.trim() }),
    );
  }

  async rename(viewer: Viewer, boardId: string, sectionId: string, name: string): Promise<BoardSectionRow> {
    const { board } = await this.deps.boards.getContributableBoard(viewer, boardId, 'boards');
    await this.deps.boards.getSection(board.id, sectionId);
    const renamed = await withSectionNameConflict(() => this.deps.sections.rename(board.id, sectionId, name.trim()));
    if (!renamed) throw new AppError('SECTION_NOT_FOUND');
    return renamed;
  }

  async delete(viewer: Viewer, boardId: string, sectionId: string): Promise<void> {
    const { board } = await this.deps.boards.getContributableBoard(viewer, boardId, 'boards');
    await this.deps.boards.getSection(board.id, sectionId);
    if (!(await this.deps.sections.delete(board.id, sectionId))) throw new AppError('SECTION_NOT_FOUND');
  }
}

async function withSectionNameConflict<T>(write: () => Promise<T>): Promise<T> {
  try {
    return await write();
  } catch (error) {
    if (isUniqueViolation(error, 'board_sections_board_name_key')) throw new AppError('SECTION_NAME_CONFLICT');
    throw error;
  }
}
