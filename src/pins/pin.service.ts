// Pin use cases: create (from an uploaded or fetched image), save (repin), read, edit, move, delete,
// and the pin lists of a board, a section and the viewer. Who may see a pin is decided by its board
// (board-access.ts through BoardService); who may change it by pin-access.ts. Every write and the
// counters it moves happen in one transaction; images are processed and stored before it opens.
import { AppError } from '../platform/errors.js';
import type { IdGenerator } from '../platform/ids.js';
import { isValidId } from '../platform/ids.js';
import { isForeignKeyViolation, isUniqueViolation } from '../platform/db/pg-errors.js';
import type { BoardRow, BoardSectionRow } from '../platform/db/schema.js';
import { pageRequest, toPage, type Page, type PageQuery, type PageRequest } from '../platform/http/pagination.js';
import type { Viewer } from '../platform/http/viewer.js';
import { canContribute, canRead, type BoardRelation } from '../boards/board-access.js';
import type { BoardService } from '../boards/board.service.js';
import type { MediaService, StagedImage } from '../media/media.service.js';
import { mayModifyPin, maySaveElsewhere } from './pin-access.js';
import { parseMediaSource } from './pin-media-source.js';
import type { PinChanges, PinDetails, PinRecord, PinRepository, RunPinTransaction } from './pin.repository.js';
import type { PinDetailsReader, PinDetailsWithBoard } from './pin-details-reader.js';
import type { BoardPageIds } from './board-page-ids.js';
import type { PinCreateBody, PinListQuery, PinSaveBody, PinUpdateBody } from './pin.schemas.js';

export interface PinServiceDeps {
  pins: PinRepository;
  /** Pin details through the cache, for reads that lead to no write. */
  reader: PinDetailsReader;
  /** Ids of board and section pages, cached per version of the board's contents. */
  boardPages: BoardPageIds;
  boards: BoardService;
  media: MediaService;
  ids: IdGenerator;
  transaction: RunPinTransaction;
}

interface PinText {
  title: string | null;
  description: string | null;
  link: string | null;
  alt_text: string | null;
  dominant_color: string | null;
}

interface Placement {
  board: BoardRow;
  section: BoardSectionRow | null;
  /** The pin this one is saved from. */
  parent: PinRecord | null;
  /** The new pin's image; null to reuse the parent's. */
  staged: StagedImage | null;
  text: PinText;
}

interface ReadablePin {
  pin: PinRecord;
  board: BoardRow;
  relation: BoardRelation;
}

// How often an edit is retried when someone else moves the pin between our checks and our write.
const MAX_UPDATE_ATTEMPTS = 3;

export class PinService {
  constructor(private readonly deps: PinServiceDeps) {}

  /** POST /v5/pins. With parent_pin_id the pin is a save of that pin (its image unless media_source is given). */
  async create(viewer: Viewer, body: PinCreateBody): Promise<PinDetails> {
    const source = body.media_source ? parseMediaSource(body.media_source) : null;
    const link = normalizeLink(body.link);
    const { board } = await this.deps.boards.getContributableBoard(viewer, body.board_id, 'pins');
    const section = body.board_section_id ? await this.deps.boards.getSection(board.id, body.board_section_id) : null;
    const parent = body.parent_pin_id ? this.assertMaySave(viewer, await this.readablePin(viewer, body.parent_pin_id), board) : null;
    if (!source && !parent) {
      throw new AppError(
        'INVALID_PARAMETERS',
        'Invalid body: media_source is required (or parent_pin_id, to save an existing pin).',
      );
    }
    // Access is settled before any image work, so nobody can make the server fetch or decode for a
    // board they may not pin to.
    const staged = source ? await this.deps.media.stage(source, viewer.userId) : null;
    const inherited = (field: keyof PinText): string | null => parent?.[field] ?? null;
    return this.place(viewer, {
      board,
      section,
      parent,
      staged,
      text: {
        title: body.title !== undefined ? body.title : inherited('title'),
        description: body.description !== undefined ? body.description : inherited('description'),
        link: link !== undefined ? link : inherited('link'),
        alt_text: body.alt_text !== undefined ? body.alt_text : inherited('alt_text'),
        dominant_color: body.dominant_color ?? staged?.image.dominant_color ?? inherited('dominant_color'),
      },
    });
  }

  /**
   * POST /v5/pins/{pin_id}/save: the viewer's own copy of a pin they can see, on a board they may
   * pin to. A board holds one save of a given pin; saving it again returns that pin.
   */
  async save(viewer: Viewer, pinId: string, body: PinSaveBody): Promise<PinDetails> {
    const readable = await this.readablePin(viewer, pinId);
    if (!body.board_id) {
      throw new AppError('INVALID_PARAMETERS', 'Invalid body: board_id is required; pins are saved onto a board.');
    }
    const { board } = await this.deps.boards.getContributableBoard(viewer, body.board_id, 'pins');
    const source = this.assertMaySave(viewer, readable, board);
    const section = body.board_section_id ? await this.deps.boards.getSection(board.id, body.board_section_id) : null;
    return this.place(viewer, {
      board,
      section,
      parent: source,
      staged: null,
      text: {
        title: source.title,
        description: source.description,
        link: source.link,
        alt_text: source.alt_text,
        dominant_color: source.dominant_color,
      },
    });
  }

  /** GET /v5/pins/{pin_id}: the pin when the viewer may read its board (from the cache when warm). */
  async get(viewer: Viewer, pinId: string): Promise<PinDetails> {
    const found = (await this.getReadableMany(viewer, [pinId])).get(pinId);
    // A pin on a board the viewer cannot see does not exist for them.
    if (!found) throw new AppError('PIN_NOT_FOUND');
    return found;
  }

  /**
   * get() for many pins at once: the pins the viewer may read, by id, each with its board (missing
   * and unreadable ids are left out). For lists assembled elsewhere (related pins, recommendations)
   * that must show nothing the viewer could not open with GET /v5/pins/{pin_id}.
   */
  async getReadableMany(viewer: Viewer, pinIds: readonly string[]): Promise<Map<string, PinDetailsWithBoard>> {
    return this.deps.reader.readReadable(pinIds, viewer);
  }

  /** Details of pins already known to be visible to the viewer (GraphQL's parent pins), from the cache. */
  async detailsOfVisible(viewer: Viewer, pinIds: readonly string[]): Promise<PinDetails[]> {
    return this.deps.reader.findDetails(pinIds, viewer);
  }

  /** PATCH /v5/pins/{pin_id}: text fields, and moving to another board and/or section. */
  async update(viewer: Viewer, pinId: string, body: PinUpdateBody): Promise<PinDetails> {
    const link = normalizeLink(body.link);
    for (let attempt = 1; ; attempt++) {
      const { pin, board, relation } = await this.readablePin(viewer, pinId);
      if (!mayModifyPin(viewer, board, relation, pin.owner_id)) throw new AppError('FORBIDDEN');

      const target =
        body.board_id !== undefined && body.board_id !== pin.board_id
          ? (await this.deps.boards.getContributableBoard(viewer, body.board_id, 'pins')).board
          : board;
      let sectionId = target.id === pin.board_id ? pin.board_section_id : null;
      if (body.board_section_id !== undefined) {
        sectionId = body.board_section_id === null ? null : (await this.deps.boards.getSection(target.id, body.board_section_id)).id;
      }
      const relocating = target.id !== pin.board_id || sectionId !== pin.board_section_id;
      if (relocating && !canContribute(viewer, board, relation, 'pins')) throw new AppError('FORBIDDEN');

      const changes: PinChanges = {};
      if (body.title !== undefined) changes.title = body.title;
      if (body.description !== undefined) changes.description = body.description;
      if (link !== undefined) changes.link = link;
      if (body.alt_text !== undefined) changes.alt_text = body.alt_text;
      if (relocating) {
        changes.board_id = target.id;
        changes.board_section_id = sectionId;
      }

      const outcome = await this.deps
        .transaction(async (tx) => {
          const current = await tx.pins.lockById(pin.id);
          if (!current) return 'gone' as const;
          // Our checks were made against where the pin was; if it has moved since, check again.
          if (current.board_id !== pin.board_id || current.board_section_id !== pin.board_section_id) return 'moved' as const;
          await tx.pins.update(pin.id, changes);
          if (relocating) {
            const counted = await tx.pins.adjustCounts([
              { board_id: pin.board_id, board_section_id: pin.board_section_id, owner_id: pin.owner_id, delta: -1 },
              { board_id: target.id, board_section_id: sectionId, owner_id: pin.owner_id, delta: 1 },
            ]);
            if (!counted) throw new AppError('BOARD_NOT_FOUND');
          }
          return 'updated' as const;
        })
        .catch(refuseDuplicateSave)
        .catch(notFoundForMissingReference);
      if (outcome === 'gone') throw new AppError('PIN_NOT_FOUND');
      if (outcome === 'updated') return this.details(viewer, pin.id);
      if (attempt >= MAX_UPDATE_ATTEMPTS) {
        throw new AppError('UNAVAILABLE', 'The pin is being moved by someone else; try again.');
      }
    }
  }

  /** DELETE /v5/pins/{pin_id}: by the pin's owner or the board's owner. */
  async delete(viewer: Viewer, pinId: string): Promise<void> {
    const { pin, board, relation } = await this.readablePin(viewer, pinId);
    if (!mayModifyPin(viewer, board, relation, pin.owner_id)) throw new AppError('FORBIDDEN');
    const deleted = await this.deps.transaction(async (tx) => {
      const removed = await tx.pins.delete(pin.id);
      if (!removed) return false;
      await tx.pins.adjustCounts(
        [{ board_id: removed.board_id, board_section_id: removed.board_section_id, owner_id: removed.owner_id, delta: -1 }],
        removed.parent_pin_id ? { pinId: removed.parent_pin_id, delta: -1 } : undefined,
      );
      return true;
    });
    if (!deleted) throw new AppError('PIN_NOT_FOUND');
  }

  /** GET /v5/pins: the viewer's own pins on boards they may read, newest first. */
  async listOwn(viewer: Viewer, query: PinListQuery): Promise<Page<PinDetails>> {
    const page = idPageRequest(query);
    // Nothing here is promoted and every pin is REGULAR, so these filters can only match nothing.
    if (query.pin_filter === 'has_been_promoted') return { items: [], next: null };
    if (query.creative_types && !query.creative_types.includes('REGULAR')) return { items: [], next: null };
    const rows = await this.deps.pins.listOwnedBy(
      viewer,
      {
        includeProtected: query.include_protected_pins ?? false,
        privateOnly: query.pin_type === 'PRIVATE',
        origin: query.pin_filter === 'exclude_native' ? 'saves' : query.pin_filter === 'exclude_repins' ? 'originals' : null,
      },
      page,
    );
    return toPage(rows, page.limit, (row) => [row.pin.id]);
  }

  /** GET /v5/boards/{board_id}/pins. */
  async listBoard(viewer: Viewer, boardId: string, query: PageQuery & { creative_types?: string[] }): Promise<Page<PinDetails>> {
    const page = idPageRequest(query);
    const board = await this.boardWithReadablePins(viewer, boardId);
    if (query.creative_types && !query.creative_types.includes('REGULAR')) return { items: [], next: null };
    const rows = await this.pinsOnPage(viewer, board, null, page);
    return toPage(rows, page.limit, (row) => [row.pin.id]);
  }

  /** GET /v5/boards/{board_id}/sections/{section_id}/pins. */
  async listSection(viewer: Viewer, boardId: string, sectionId: string, query: PageQuery): Promise<Page<PinDetails>> {
    const page = idPageRequest(query);
    const board = await this.boardWithReadablePins(viewer, boardId);
    const section = await this.deps.boards.getSection(board.id, sectionId);
    const rows = await this.pinsOnPage(viewer, board, section.id, page);
    return toPage(rows, page.limit, (row) => [row.pin.id]);
  }

  /**
   * A page of a board's (or section's) pins: the cached ids of the page, each pin read through the
   * pin cache. Should one of them no longer be there (a pin removed without moving the board's
   * version), the page is read from the database instead, so no page comes back short.
   */
  private async pinsOnPage(viewer: Viewer, board: BoardRow, sectionId: string | null, page: PageRequest): Promise<PinDetails[]> {
    const ids = await this.deps.boardPages.read(board, sectionId, page);
    const found = await this.deps.reader.read(ids, viewer);
    const rows: PinDetails[] = [];
    for (const id of ids) {
      const details = found.get(id);
      const stillThere = details?.readable && details.pin.board_id === board.id && (sectionId === null || details.pin.board_section_id === sectionId);
      if (!details || !stillThere) {
        await this.deps.boardPages.forget(board, sectionId, page);
        return this.deps.pins.listOnBoard(board.id, sectionId, viewer, page);
      }
      rows.push({ pin: details.pin, image: details.image, boardOwnerUsername: details.boardOwnerUsername, parentVisible: details.parentVisible });
    }
    return rows;
  }

  /**
   * listBoard and listSection for many boards or sections at once, with one page request: a few
   * statements whatever their number (GraphQL lists of boards ask for each board's pins). Each entry
   * is that place's page, or the AppError the single-place call would throw for it.
   */
  async listPlaces(
    viewer: Viewer,
    places: readonly { boardId: string; sectionId: string | null }[],
    query: PageQuery,
  ): Promise<Array<Page<PinDetails> | AppError>> {
    const page = idPageRequest(query);
    const boards = await this.deps.boards.readBoards(viewer, places.map((place) => place.boardId), 'boards');
    const sections = await this.deps.boards.findSections(places.flatMap((place) => (place.sectionId ? [place.sectionId] : [])));
    const targets = places.map((place) => {
      const found = boards.get(place.boardId);
      if (!found || !canRead(viewer, found.board, found.relation, 'pins')) return new AppError('BOARD_NOT_FOUND');
      if (place.sectionId === null) return { kind: 'board' as const, id: found.board.id };
      const section = sections.get(place.sectionId);
      if (!section || section.board_id !== found.board.id) return new AppError('SECTION_NOT_FOUND');
      return { kind: 'section' as const, id: section.id };
    });
    const idsOf = (kind: 'board' | 'section') =>
      targets.flatMap((target) => (!(target instanceof AppError) && target.kind === kind ? [target.id] : []));
    const [onBoards, inSections] = await Promise.all([
      this.deps.pins.listLatestPerPlace('board', idsOf('board'), viewer, page),
      this.deps.pins.listLatestPerPlace('section', idsOf('section'), viewer, page),
    ]);
    return targets.map((target) => {
      if (target instanceof AppError) return target;
      const rows = (target.kind === 'board' ? onBoards : inSections).get(target.id) ?? [];
      return toPage(rows, page.limit, (row) => [row.pin.id]);
    });
  }

  private async place(viewer: Viewer, placement: Placement): Promise<PinDetails> {
    const { board, section, parent, staged, text } = placement;
    const pinId = await this.deps
      .transaction(async (tx) => {
        const image = staged ? await this.deps.media.commit(staged, tx.images) : null;
        const imageId = image?.id ?? parent?.image_id;
        if (!imageId) throw new Error('a pin needs an image or a parent pin');
        const newPin = {
          id: this.deps.ids.next(),
          owner_id: viewer.userId,
          board_id: board.id,
          board_section_id: section?.id ?? null,
          image_id: imageId,
          parent_pin_id: parent?.id ?? null,
          ...text,
        };
        // A lost race with another save of the same pin onto this board yields that save's pin;
        // should it be deleted before we read it, try again.
        for (let attempt = 0; attempt < 3; attempt++) {
          const inserted = await tx.pins.insert(newPin);
          if (inserted) {
            const counted = await tx.pins.adjustCounts(
              [{ board_id: board.id, board_section_id: newPin.board_section_id, owner_id: viewer.userId, delta: 1 }],
              parent ? { pinId: parent.id, delta: 1 } : undefined,
            );
            if (!counted) throw new AppError('BOARD_NOT_FOUND');
            return inserted.id;
          }
          const existing = parent ? await tx.pins.findSave(board.id, parent.id) : undefined;
          if (existing) return existing.id;
        }
        throw new AppError('UNAVAILABLE', 'The pin is being saved and removed concurrently; try again.');
      })
      .catch(notFoundForMissingReference);
    return this.details(viewer, pinId);
  }

  private async details(viewer: Viewer, pinId: string): Promise<PinDetails> {
    const [details] = await this.deps.pins.findDetails([pinId], viewer);
    if (!details) throw new AppError('PIN_NOT_FOUND');
    return details;
  }

  /**
   * The source of a save onto `target`, or PIN_SAVE_NOT_ALLOWED (403; the viewer can see the pin, so
   * the refusal tells them nothing new) when the save would take a hidden pin out of its board's
   * audience. Checked before anything is written.
   */
  private assertMaySave(viewer: Viewer, source: ReadablePin, target: BoardRow): PinRecord {
    if (target.id === source.board.id || maySaveElsewhere(viewer, source.board, source.relation, source.pin.owner_id)) return source.pin;
    throw new AppError('PIN_SAVE_NOT_ALLOWED');
  }

  /**
   * The pin with its board when the viewer may read it; PIN_NOT_FOUND (404) otherwise. A pin that
   * does not exist reads the board of its own id (which names none) as a hidden pin reads its board,
   * so the writes' 404s (save, edit, delete) send the same two statements for both and timing cannot
   * tell them apart (pin-details-reader.ts does the same for reads).
   */
  private async readablePin(viewer: Viewer, pinId: string): Promise<ReadablePin> {
    if (!isValidId(pinId)) throw new AppError('PIN_NOT_FOUND');
    const pin = await this.deps.pins.findById(pinId);
    const board = await this.readableBoardOf(viewer, pin?.board_id ?? pinId);
    if (!pin) throw new AppError('PIN_NOT_FOUND');
    return { pin, ...board };
  }

  private async readableBoardOf(viewer: Viewer, boardId: string): Promise<{ board: BoardRow; relation: BoardRelation }> {
    try {
      return await this.deps.boards.getReadableBoard(viewer, boardId, 'pins');
    } catch (error) {
      // A pin on a board the viewer cannot see does not exist for them.
      if (error instanceof AppError && error.kind === 'BOARD_NOT_FOUND') throw new AppError('PIN_NOT_FOUND');
      throw error;
    }
  }

  /** A board whose pins the viewer may list: readable as a board and, for its pins, with the pins scopes. */
  private async boardWithReadablePins(viewer: Viewer, boardId: string): Promise<BoardRow> {
    const found = (await this.deps.boards.readBoards(viewer, [boardId], 'boards')).get(boardId);
    if (!found || !canRead(viewer, found.board, found.relation, 'pins')) throw new AppError('BOARD_NOT_FOUND');
    return found.board;
  }
}

/** The page request of a list keyed by pin id; a bookmark that holds no id is INVALID_BOOKMARK. */
function idPageRequest(query: PageQuery): PageRequest {
  const page = pageRequest(query, 1);
  const after = page.after?.[0];
  if (after !== undefined && !isValidId(after)) throw new AppError('INVALID_BOOKMARK');
  return page;
}

/** undefined stays undefined (not given), '' becomes null (cleared); anything else must be an http(s) URL. */
function normalizeLink(link: string | null | undefined): string | null | undefined {
  if (link === undefined || link === null) return link;
  const trimmed = link.trim();
  if (trimmed === '') return null;
  const protocol = URL.canParse(trimmed) ? new URL(trimmed).protocol : '';
  if (protocol !== 'http:' && protocol !== 'https:') {
    throw new AppError('INVALID_PARAMETERS', 'Invalid body: link must be an http or https URL.');
  }
  return trimmed;
}

/** Moving a save onto a board that already holds a save of the same Pin would make two. */
function refuseDuplicateSave(error: unknown): never {
  if (isUniqueViolation(error, 'pins_one_save_per_board')) throw new AppError('PIN_ALREADY_SAVED_TO_BOARD');
  throw error;
}

/**
 * A row referenced by the write vanished between our checks and the transaction (a concurrent
 * delete): answer as if it had been gone from the start.
 */
function notFoundForMissingReference(error: unknown): never {
  if (isForeignKeyViolation(error)) {
    const constraint = (error as { constraint?: string }).constraint ?? '';
    if (constraint.includes('section')) throw new AppError('SECTION_NOT_FOUND');
    if (constraint.includes('board')) throw new AppError('BOARD_NOT_FOUND');
    throw new AppError('PIN_NOT_FOUND');
  }
  throw error;
}
