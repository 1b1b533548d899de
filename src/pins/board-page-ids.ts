// The ids on a page of a board's pins (or a section's), cached in this process per version of the
// board's contents, so a warm board page is assembled from cached pins with no statement.
//
// The version is boards.board_pins_modified_at, which every change of what a board holds moves
// forward by at least a millisecond (PinRepository.adjustCounts, in the transaction that adds,
// removes or moves the pins), so two contents of one board never share a key, even at the
// millisecond precision of a JavaScript Date. The board row comes through the board cache, which a
// request uses only while it is fresh (background.md, "Permissions across processes"), so a page
// read after a pin was added names the new version and misses.
//
// Ids only: the pins themselves are read through PinDetailsReader, checked against the board (a pin
// that left it without moving its version, as an account deletion's cascade does, makes the caller
// read the page from the database again). Kept in this process only: a version names one board's
// contents, but a Redis copy would outlive a dataset reloaded under the same ids.
import type { Cache } from '../platform/cache/cache.js';
import type { BoardRow } from '../platform/db/schema.js';
import type { PageRequest } from '../platform/http/pagination.js';
import type { PinRepository } from './pin.repository.js';

export const BOARD_PAGE_NAMESPACE = 'board-page';

export interface BoardPageIdsDeps {
  cache: Cache;
  pins: Pick<PinRepository, 'listIdsOnBoard'>;
  /** True while the current request has written cached rows: it reads its own writes from the database. */
  bypass: () => boolean;
}

export class BoardPageIds {
  constructor(private readonly deps: BoardPageIdsDeps) {
    deps.cache.keepLocal(BOARD_PAGE_NAMESPACE);
  }

  /** The ids of the page, newest first: `page.limit + 1` of them when another page follows. */
  async read(board: BoardRow, sectionId: string | null, page: PageRequest): Promise<readonly string[]> {
    const load = () => this.deps.pins.listIdsOnBoard(board.id, sectionId, page);
    if (this.deps.bypass()) return load();
    return (await this.deps.cache.get(BOARD_PAGE_NAMESPACE, keyOf(board, sectionId, page), load)) ?? [];
  }

  /** Drops a page found out of date, so the next reader loads it again. */
  async forget(board: BoardRow, sectionId: string | null, page: PageRequest): Promise<void> {
    await this.deps.cache.invalidate(BOARD_PAGE_NAMESPACE, [keyOf(board, sectionId, page)]);
  }
}

function keyOf(board: BoardRow, sectionId: string | null, page: PageRequest): string {
  return `${board.id}:${sectionId ?? ''}:${board.board_pins_modified_at.getTime()}:${page.after?.[0] ?? ''}:${page.limit}`;
}
