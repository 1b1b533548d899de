// Board use cases: who may reach a board (for every feature that works on boards), and creating,
// listing, changing and deleting boards. Every decision about who may see or change a board comes
// from board-access.ts; this service applies it and turns refusals into the right errors.
import { AppError } from '../platform/errors.js';
import { isValidId, type IdGenerator } from '../platform/ids.js';
import { isUniqueViolation } from '../platform/db/pg-errors.js';
import type { BoardPrivacy, BoardRow, BoardSectionRow } from '../platform/db/schema.js';
import type { Page, PageQuery, PageRequest } from '../platform/http/pagination.js';
import { pageRequest, toPage } from '../platform/http/pagination.js';
import type { Viewer } from '../platform/http/viewer.js';
import {
  assertAccess,
  canContribute,
  canManage,
  canRead,
  canSetPrivacy,
  relationOf,
  type BoardRelation,
  type ScopeFamily,
} from './board-access.js';
import type { BoardChanges, BoardRepository } from './board.repository.js';
import type { BoardPrivacyFilter } from './board.schemas.js';
import type { CachedBoards } from './cached-boards.js';

export interface BoardServiceDeps {
  boards: BoardRepository;
  ids: IdGenerator;
  /** Boards through the cache, for read paths; decisions that lead to a write read the database. */
  cached: CachedBoards;
}

export interface BoardWithViewerRelation {
  board: BoardRow;
  relation: BoardRelation;
}

/** A board with what its v5 representation shows besides the row: owner and newest pin images. */
export interface BoardCard {
  board: BoardRow;
  ownerUsername: string;
  /** Image capabilities (their URLs) of the newest pins, newest first; the first is the cover. */
  imageCapabilities: string[];
}

const PRIVACIES_FOR_FILTER: Record<BoardPrivacyFilter, readonly BoardPrivacy[]> = {
  ALL: ['PUBLIC', 'PROTECTED', 'SECRET'],
  PUBLIC: ['PUBLIC'],
  PROTECTED: ['PROTECTED'],
  SECRET: ['SECRET'],
  PUBLIC_AND_SECRET: ['PUBLIC', 'SECRET'],
};

/**
 * A page request whose bookmark keys must all be 64-bit decimal integers (ids, timestamps). A bookmark
 * forged with other keys answers 400 INVALID_BOOKMARK instead of reaching SQL.
 */
export function numericPageRequest(query: PageQuery, arity = 1): PageRequest {
  const request = pageRequest(query, arity);
  if (request.after && !request.after.every(isValidId)) throw new AppError('INVALID_BOOKMARK');
  return request;
}

export class BoardService {
  constructor(private readonly deps: BoardServiceDeps) {}

  /** The board when `viewer` may read it; BOARD_NOT_FOUND (404) otherwise, existing or not. */
  async getReadableBoard(viewer: Viewer, boardId: string, family: ScopeFamily): Promise<BoardWithViewerRelation> {
    const found = isValidId(boardId) ? await this.deps.boards.findWithRelation(boardId, viewer.userId) : undefined;
    if (!found) throw new AppError('BOARD_NOT_FOUND');
    const relation = relationOf(viewer, found.board, found.collaboratorRole);
    if (!canRead(viewer, found.board, relation, family)) throw new AppError('BOARD_NOT_FOUND');
    return { board: found.board, relation };
  }

  /**
   * The boards among `boardIds` that `viewer` may read, by id (the batch form of getReadableBoard: an
   * id missing from the map is BOARD_NOT_FOUND for this viewer), from the cache: for reads that lead
   * to no write (GET of a board, GraphQL relations and lists, pins and feeds shown to the viewer), no
   * statement when the boards are cached.
   */
  async readBoards(viewer: Viewer, boardIds: readonly string[], family: ScopeFamily): Promise<Map<string, BoardWithViewerRelation>> {
    const found = await this.deps.cached.withRelations(viewer, boardIds.filter(isValidId));
    for (const [id, { board, relation }] of found) if (!canRead(viewer, board, relation, family)) found.delete(id);
    return found;
  }

  /** Sections by id, in one statement, without any access check: callers check the section's board. */
  async findSections(sectionIds: readonly string[]): Promise<Map<string, BoardSectionRow>> {
    const rows = await this.deps.boards.findSectionsByIds(sectionIds.filter(isValidId));
    return new Map(rows.map((section) => [section.id, section]));
  }

  /** The board when `viewer` may add or move pins and sections on it: 404 when not readable, 403 when read-only. */
  async getContributableBoard(viewer: Viewer, boardId: string, family: ScopeFamily): Promise<BoardWithViewerRelation> {
    const readable = await this.getReadableBoard(viewer, boardId, family);
    assertAccess(canContribute(viewer, readable.board, readable.relation, family), true);
    return readable;
  }

  /** The board when `viewer` may update, delete it or manage its collaborators: 404 / 403 as above. */
  async getManageableBoard(viewer: Viewer, boardId: string): Promise<BoardWithViewerRelation> {
    const readable = await this.getReadableBoard(viewer, boardId, 'boards');
    assertAccess(canManage(viewer, readable.board, readable.relation), true);
    return readable;
  }

  /** A section of `boardId` (whose access the caller has already checked), or SECTION_NOT_FOUND. */
  async getSection(boardId: string, sectionId: string): Promise<BoardSectionRow> {
    const section = isValidId(sectionId) ? await this.deps.boards.findSection(boardId, sectionId) : undefined;
    if (!section) throw new AppError('SECTION_NOT_FOUND');
    return section;
  }

  async create(viewer: Viewer, input: { name: string; description?: string | null; privacy?: BoardPrivacy }): Promise<BoardCard> {
    const privacy = input.privacy ?? 'PUBLIC';
    assertMaySetPrivacy(viewer, privacy);
    try {
      const board = await this.deps.boards.insert({
        id: this.deps.ids.next(),
        owner_id: viewer.userId,
        name: input.name.trim(),
        description: input.description ?? null,
        privacy,
      });
      return { board, ownerUsername: viewer.username, imageCapabilities: [] };
    } catch (error) {
      if (isUniqueViolation(error, 'boards_owner_name_key')) throw new AppError('BOARD_NAME_CONFLICT');
      throw error;
    }
  }

  async get(viewer: Viewer, boardId: string): Promise<BoardCard> {
    const readable = (await this.readBoards(viewer, [boardId], 'boards')).get(boardId);
    if (!readable) throw new AppError('BOARD_NOT_FOUND');
    return this.requireCard(readable.board);
  }

  /**
   * The viewer's boards and the group boards they collaborate on, newest first, limited to what
   * the token may read (SECRET ones need boards:read_secret) and to the privacy filter.
   */
  async list(viewer: Viewer, query: PageQuery & { privacy?: BoardPrivacyFilter }): Promise<Page<BoardCard>> {
    const request = numericPageRequest(query);
    const rows = await this.deps.boards.listForMember(viewer, PRIVACIES_FOR_FILTER[query.privacy ?? 'ALL'], request);
    const page = toPage(rows, request.limit, (board) => [board.id]);
    return { items: await this.cards(page.items), next: page.next };
  }

  async update(viewer: Viewer, boardId: string, changes: BoardChanges): Promise<BoardCard> {
    await this.getManageableBoard(viewer, boardId);
    if (changes.privacy !== undefined) assertMaySetPrivacy(viewer, changes.privacy);
    try {
      const board = await this.deps.boards.update(boardId, { ...changes, name: changes.name?.trim() });
      if (!board) throw new AppError('BOARD_NOT_FOUND');
      return await this.requireCard(board);
    } catch (error) {
      if (isUniqueViolation(error, 'boards_owner_name_key')) throw new AppError('BOARD_NAME_CONFLICT');
      throw error;
    }
  }

  /** Deletes the board with its sections and pins (see BoardRepository.delete for the counters). */
  async delete(viewer: Viewer, boardId: string): Promise<void> {
    await this.getManageableBoard(viewer, boardId);
    const deleted = await this.deps.boards.delete(boardId);
    if (!deleted) throw new AppError('BOARD_NOT_FOUND');
  }

  /**
   * Cards for boards the caller has already filtered for the viewer (lists of followed boards use
   * this too): one statement for the whole list, in the list's order.
   */
  async cards(boards: readonly BoardRow[]): Promise<BoardCard[]> {
    const details = await this.deps.boards.findCardDetails(boards.map((board) => board.id));
    return boards.flatMap((board) => {
      const found = details.get(board.id);
      // A board deleted between the two statements drops out of the list.
      return found ? [{ board, ownerUsername: found.ownerUsername, imageCapabilities: found.imageCapabilities }] : [];
    });
  }

  private async requireCard(board: BoardRow): Promise<BoardCard> {
    const [card] = await this.cards([board]);
    if (!card) throw new AppError('BOARD_NOT_FOUND');
    return card;
  }
}

/** Making content secret needs boards:write_secret, like writing to a secret board. */
function assertMaySetPrivacy(viewer: Viewer, privacy: BoardPrivacy): void {
  if (!canSetPrivacy(viewer, privacy)) {
    throw new AppError('MISSING_SCOPE', 'Authorization failed: the token lacks scope boards:write_secret.');
  }
}
