// SQL for pins: lookups, pages of pins with everything the v5 `Pin` shows (one statement per page,
// joined with images, board owners and the visibility of each pin's parent), and the writes that keep
// every counter exact. Counter updates always lock rows in the same order - boards (by id), then
// sections, then the saved-from pin, then users - so concurrent pin writes cannot deadlock each other
// or the board writes in board.repository.ts (which also lock the board before users).
import { sql, type Transaction } from 'kysely';
import type { Db, Queryable } from '../platform/db/database.js';
import type { BoardPrivacy, Database, PinRow } from '../platform/db/schema.js';
import type { PageRequest } from '../platform/http/pagination.js';
import type { Viewer } from '../platform/http/viewer.js';
import { boardReadableBy } from '../boards/board-visibility.sql.js';
import { MediaRepository } from '../media/media.repository.js';
import { readableByEveryone } from '../boards/board-access.js';

/** A pin row without its search vector (which only search reads). */
export type PinRecord = Omit<PinRow, 'search_vector'>;

/** The pin columns every reader selects (qualified). */
export const PIN_COLUMNS = [
  'pins.id',
  'pins.owner_id',
  'pins.board_id',
  'pins.board_section_id',
  'pins.image_id',
  'pins.parent_pin_id',
  'pins.title',
  'pins.description',
  'pins.link',
  'pins.alt_text',
  'pins.dominant_color',
  'pins.save_count',
  'pins.created_at',
] as const;

/** The same columns, unqualified, for RETURNING. */
const RETURNED_COLUMNS = [
  'id',
  'owner_id',
  'board_id',
  'board_section_id',
  'image_id',
  'parent_pin_id',
  'title',
  'description',
  'link',
  'alt_text',
  'dominant_color',
  'save_count',
  'created_at',
] as const;

/** A pin with what its v5 representation needs besides the row. */
export interface PinDetails {
  pin: PinRecord;
  image: PinImage;
  boardOwnerUsername: string;
  /** Whether the viewer may see the pin it was saved from (else parent_pin_id is not shown). */
  parentVisible: boolean;
}

/** What a pin shows of its image: the capability its URLs carry, and its size. */
export interface PinImage {
  capability: string;
  width: number;
  height: number;
}

/** A pin row with its image's size: what the pin cache holds (nothing that depends on a viewer). */
export interface PinCore {
  pin: PinRecord;
  image: PinImage;
}

export interface NewPin {
  id: string;
  owner_id: string;
  board_id: string;
  board_section_id: string | null;
  image_id: string;
  parent_pin_id: string | null;
  title: string | null;
  description: string | null;
  link: string | null;
  alt_text: string | null;
  dominant_color: string | null;
}

export interface PinChanges {
  title?: string | null;
  description?: string | null;
  link?: string | null;
  alt_text?: string | null;
  board_id?: string;
  board_section_id?: string | null;
}

/** One pin arriving at (+1) or leaving (-1) a place: a board, maybe a section, and its owner's counts. */
export interface PinPlacement {
  board_id: string;
  board_section_id: string | null;
  owner_id: string;
  delta: 1 | -1;
}

export interface OwnPinsFilter {
  includeProtected: boolean;
  /** Only pins on boards other people cannot see (Pinterest's pin_type=PRIVATE). */
  privateOnly: boolean;
  /** null: all; 'saves': only pins saved from another pin; 'originals': only pins that were not. */
  origin: 'saves' | 'originals' | null;
}

export class PinRepository {
  constructor(private readonly db: Queryable) {}

  async findById(pinId: string): Promise<PinRecord | undefined> {
    return this.db.selectFrom('pins').select(PIN_COLUMNS).where('pins.id', '=', pinId).executeTakeFirst();
  }

  /** The pin saved from `parentPinId` onto `boardId`, if any (there is at most one). */
  async findSave(boardId: string, parentPinId: string): Promise<PinRecord | undefined> {
    return this.db
      .selectFrom('pins')
      .select(PIN_COLUMNS)
      .where('pins.board_id', '=', boardId)
      .where('pins.parent_pin_id', '=', parentPinId)
      .executeTakeFirst();
  }

  /**
   * Reads the pin and holds its row lock until the transaction ends. FOR NO KEY UPDATE, so saves of
   * this pin (which only need its key to stay put) are not blocked by an edit.
   */
  async lockById(pinId: string): Promise<PinRecord | undefined> {
    return this.db.selectFrom('pins').select(PIN_COLUMNS).where('pins.id', '=', pinId).forNoKeyUpdate().executeTakeFirst();
  }

  /** Details of the given pins, in no particular order; missing ids are skipped. */
  async findDetails(pinIds: readonly string[], viewer: Viewer): Promise<PinDetails[]> {
    if (pinIds.length === 0) return [];
    const rows = await this.detailsQuery(viewer).where('pins.id', 'in', [...new Set(pinIds)]).execute();
    return rows.map(toDetails);
  }

  /** A page of a board's pins (or one section's), newest first; fetches `page.limit + 1`. */
  async listOnBoard(boardId: string, sectionId: string | null, viewer: Viewer, page: PageRequest): Promise<PinDetails[]> {
    const after = page.after?.[0];
    const rows = await this.detailsQuery(viewer)
      .where('pins.board_id', '=', boardId)
      .$if(sectionId !== null, (qb) => qb.where('pins.board_section_id', '=', sectionId))
      .$if(after !== undefined, (qb) => qb.where('pins.id', '<', after ?? '0'))
      .orderBy('pins.id', 'desc')
      .limit(page.limit + 1)
      .execute();
    return rows.map(toDetails);
  }

  /** boards.board_pins_modified_at in milliseconds: the version of what the board holds (board-page-ids.ts). */
  async boardVersion(boardId: string): Promise<number | undefined> {
    const row = await this.db.selectFrom('boards').select('board_pins_modified_at').where('id', '=', boardId).executeTakeFirst();
    return row?.board_pins_modified_at.getTime();
  }

  /** The ids listOnBoard would answer, in its order: one scan of the (board_id, id) or (board_section_id, id) index. */
  async listIdsOnBoard(boardId: string, sectionId: string | null, page: PageRequest): Promise<string[]> {
    const after = page.after?.[0];
    const rows = await this.db
      .selectFrom('pins')
      .select('id')
      .where('board_id', '=', boardId)
      .$if(sectionId !== null, (qb) => qb.where('board_section_id', '=', sectionId))
      .$if(after !== undefined, (qb) => qb.where('id', '<', after ?? '0'))
      .orderBy('id', 'desc')
      .limit(page.limit + 1)
      .execute();
    return rows.map((row) => row.id);
  }

  /**
   * The same page (newest first, `page.limit + 1` rows after the same cursor) of several boards'
   * pins, or of several sections' pins, in one statement: a LATERAL join runs the per-board keyset
   * scan once for each id, each on the (board_id, id) or (board_section_id, id) index. The caller
   * has checked that the viewer may read every board. Keyed by board (or section) id.
   */
  async listLatestPerPlace(
    place: 'board' | 'section',
    placeIds: readonly string[],
    viewer: Viewer,
    page: PageRequest,
  ): Promise<Map<string, PinDetails[]>> {
    const pages = new Map<string, PinDetails[]>();
    if (placeIds.length === 0) return pages;
    const column = place === 'board' ? 'pins.board_id' : 'pins.board_section_id';
    const after = page.after?.[0];
    const perPlace = this.detailsQuery(viewer)
      .select(sql<string>`wanted.place_id::text`.as('place_id'))
      .where(sql<boolean>`${sql.ref(column)} = wanted.place_id`)
      .$if(after !== undefined, (qb) => qb.where('pins.id', '<', after ?? '0'))
      .orderBy('pins.id', 'desc')
      .limit(page.limit + 1);
    const rows = await this.db
      .selectFrom(sql<{ place_id: string }>`(SELECT unnest(${[...new Set(placeIds)]}::bigint[]) AS place_id)`.as('wanted'))
      .innerJoinLateral(perPlace.as('p'), (join) => join.onTrue())
      .selectAll('p')
      .execute();
    for (const { place_id, ...row } of rows) {
      const list = pages.get(place_id) ?? [];
      list.push(toDetails(row));
      pages.set(place_id, list);
    }
    for (const list of pages.values()) list.sort((a, b) => compareIds(b.pin.id, a.pin.id));
    return pages;
  }

  /** A page of the viewer's own pins on boards they may read, newest first; fetches `page.limit + 1`. */
  async listOwnedBy(viewer: Viewer, filter: OwnPinsFilter, page: PageRequest): Promise<PinDetails[]> {
    const after = page.after?.[0];
    const privacies: BoardPrivacy[] = filter.privateOnly ? ['SECRET'] : ['PUBLIC', 'SECRET'];
    if (filter.includeProtected) privacies.push('PROTECTED');
    const rows = await this.detailsQuery(viewer)
      .where('pins.owner_id', '=', viewer.userId)
      .where(boardReadableBy(viewer, 'pins', 'boards'))
      .where('boards.privacy', 'in', privacies)
      .$if(filter.origin === 'saves', (qb) => qb.where('pins.parent_pin_id', 'is not', null))
      .$if(filter.origin === 'originals', (qb) => qb.where('pins.parent_pin_id', 'is', null))
      .$if(after !== undefined, (qb) => qb.where('pins.id', '<', after ?? '0'))
      .orderBy('pins.id', 'desc')
      .limit(page.limit + 1)
      .execute();
    return rows.map(toDetails);
  }

  /**
   * Inserts the pin. Returns undefined, writing nothing, when the board already holds a save of the
   * same parent pin (pins_one_save_per_board); a concurrent insert of that save is waited for.
   */
  async insert(pin: NewPin): Promise<PinRecord | undefined> {
    return this.db
      .insertInto('pins')
      .values(pin)
      .onConflict((oc) => oc.columns(['board_id', 'parent_pin_id']).where('parent_pin_id', 'is not', null).doNothing())
      .returning(RETURNED_COLUMNS)
      .executeTakeFirst();
  }

  async update(pinId: string, changes: PinChanges): Promise<PinRecord | undefined> {
    if (Object.keys(changes).length === 0) return this.findById(pinId);
    return this.db
      .updateTable('pins')
      .set(changes)
      .where('id', '=', pinId)
      .returning(RETURNED_COLUMNS)
      .executeTakeFirst();
  }

  async delete(pinId: string): Promise<PinRecord | undefined> {
    return this.db
      .deleteFrom('pins')
      .where('id', '=', pinId)
      .returning(RETURNED_COLUMNS)
      .executeTakeFirst();
  }

  /**
   * Moves the counters for pins arriving at or leaving places: boards.pin_count (and
   * board_pins_modified_at), board_sections.pin_count, the owner's pin_count and, for PUBLIC boards,
   * public_pin_count; plus the save_count of a saved-from pin. Run it in the transaction that wrote
   * the pins. Returns false when a board no longer exists (the caller should roll back).
   */
  async adjustCounts(placements: readonly PinPlacement[], savedFrom?: { pinId: string; delta: 1 | -1 }): Promise<boolean> {
    const boardDeltas = sumBy(placements, (p) => p.board_id);
    const privacyOf = new Map<string, BoardPrivacy>();
    for (const [boardId, delta] of sortedById(boardDeltas)) {
      const board = await this.db
        .updateTable('boards')
        // Strictly later than the last value, by a millisecond at least: it versions the board's
        // contents (board-page-ids.ts), and a Date keeps milliseconds only.
        .set((eb) => ({
          pin_count: eb('pin_count', '+', delta),
          board_pins_modified_at: sql<Date>`greatest(now(), board_pins_modified_at + interval '1 millisecond')`,
        }))
        .where('id', '=', boardId)
        .returning('privacy')
        .executeTakeFirst();
      if (!board) return false;
      privacyOf.set(boardId, board.privacy);
    }
    const sectionDeltas = sumBy(
      placements.filter((p) => p.board_section_id !== null),
      (p) => p.board_section_id ?? '',
    );
    for (const [sectionId, delta] of sortedById(sectionDeltas)) {
      if (delta === 0) continue;
      await this.db
        .updateTable('board_sections')
        .set((eb) => ({ pin_count: eb('pin_count', '+', delta) }))
        .where('id', '=', sectionId)
        .execute();
    }
    if (savedFrom) {
      await this.db
        .updateTable('pins')
        .set((eb) => ({ save_count: eb('save_count', '+', savedFrom.delta) }))
        .where('id', '=', savedFrom.pinId)
        .execute();
    }
    const owners = new Map<string, { all: number; public: number }>();
    for (const placement of placements) {
      const counts = owners.get(placement.owner_id) ?? { all: 0, public: 0 };
      counts.all += placement.delta;
      if (readableByEveryone(privacyOf.get(placement.board_id) ?? 'SECRET')) counts.public += placement.delta;
      owners.set(placement.owner_id, counts);
    }
    for (const [ownerId, counts] of [...owners].sort(([a], [b]) => compareIds(a, b))) {
      if (counts.all === 0 && counts.public === 0) continue;
      await this.db
        .updateTable('users')
        .set((eb) => ({ pin_count: eb('pin_count', '+', counts.all), public_pin_count: eb('public_pin_count', '+', counts.public) }))
        .where('id', '=', ownerId)
        .execute();
    }
    return true;
  }

  private detailsQuery(viewer: Viewer) {
    return this.db
      .selectFrom('pins')
      .innerJoin('images', 'images.id', 'pins.image_id')
      .innerJoin('boards', 'boards.id', 'pins.board_id')
      .innerJoin('users as board_owner', 'board_owner.id', 'boards.owner_id')
      .leftJoin('pins as parent', 'parent.id', 'pins.parent_pin_id')
      .leftJoin('boards as parent_board', 'parent_board.id', 'parent.board_id')
      .select(PIN_COLUMNS)
      .select([
        'images.capability as image_capability',
        'images.width as image_width',
        'images.height as image_height',
        'board_owner.username as board_owner_username',
        sql<boolean>`coalesce(${boardReadableBy(viewer, 'pins', 'parent_board')}, false)`.as('parent_visible'),
      ]);
  }
}

interface DetailsRow extends PinRecord {
  image_capability: string;
  image_width: number;
  image_height: number;
  board_owner_username: string;
  parent_visible: boolean;
}

function toDetails(row: DetailsRow): PinDetails {
  const { image_capability, image_width, image_height, board_owner_username, parent_visible, ...pin } = row;
  return {
    pin,
    image: { capability: image_capability, width: image_width, height: image_height },
    boardOwnerUsername: board_owner_username,
    parentVisible: parent_visible,
  };
}

function sumBy(placements: readonly PinPlacement[], keyOf: (placement: PinPlacement) => string): Map<string, number> {
  const sums = new Map<string, number>();
  for (const placement of placements) {
    const key = keyOf(placement);
    sums.set(key, (sums.get(key) ?? 0) + placement.delta);
  }
  return sums;
}

function compareIds(a: string, b: string): number {
  return a.length - b.length || (a < b ? -1 : a > b ? 1 : 0);
}

function sortedById(sums: Map<string, number>): Array<[string, number]> {
  return [...sums].sort(([a], [b]) => compareIds(a, b));
}

/** Repositories bound to one transaction, for pin writes that also record an image. */
export interface PinTransaction {
  pins: PinRepository;
  images: MediaRepository;
}

export type RunPinTransaction = <T>(work: (tx: PinTransaction) => Promise<T>) => Promise<T>;

export function pinTransactions(db: Db): RunPinTransaction {
  return (work) =>
    db
      .transaction()
      .execute((trx: Transaction<Database>) => work({ pins: new PinRepository(trx), images: new MediaRepository(trx) }));
}
