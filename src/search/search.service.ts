// Searching the viewer's own pins and boards (Pinterest's search_user_pins and search_user_boards).
// "Own" means what the viewer created: pins they saved or uploaded (wherever those sit, as long as
// they may still read the board) and boards they own, exactly what their pin and board counts count.
// Pins and boards on SECRET boards are found only with the pins:read_secret / boards:read_secret scope.
import { AppError } from '../platform/errors.js';
import { isValidId } from '../platform/ids.js';
import type { BoardRow } from '../platform/db/schema.js';
import type { Viewer } from '../platform/http/viewer.js';
import { toPage, type Page, type PageRequest } from '../platform/http/pagination.js';
import type { BoardCard } from '../boards/board.service.js';
import type { PinDetails } from '../pins/pin.repository.js';
import { rankCursorKey, toRankCursor } from './search-cursor.js';
import type { SearchRepository, SearchTerms } from './search.repository.js';

export interface SearchServiceDeps {
  search: SearchRepository;
  /** The boards feature's v5 board cards (owner, cover, thumbnails). */
  boardCards: { cards(boards: readonly BoardRow[]): Promise<BoardCard[]> };
  /** The pins feature's details for presenting pins (image, board owner), in one statement. */
  pinDetails: { findDetails(pinIds: readonly string[], viewer: Viewer): Promise<PinDetails[]> };
}

// Pinterest: "Can contain pin description keywords or comma-separated pin IDs."
const PIN_ID_LIST = /^\d{1,19}(\s*,\s*\d{1,19})*$/;

/** The query's words, and the pin ids it lists when it is a comma-separated list of numbers. */
export function searchTerms(query: string): SearchTerms {
  const text = query.trim();
  if (text === '') throw new AppError('SEARCH_QUERY_EMPTY');
  const ids = PIN_ID_LIST.test(text) ? text.split(',').map((part) => part.trim()).filter(isValidId) : [];
  return { text, ids: [...new Set(ids)] };
}

export class SearchService {
  constructor(private readonly deps: SearchServiceDeps) {}

  async searchPins(viewer: Viewer, query: string, page: PageRequest): Promise<Page<PinDetails>> {
    const terms = searchTerms(query);
    const ranked = await this.deps.search.searchOwnPins(viewer, terms, toRankCursor(page.after), page.limit);
    const { items, next } = toPage(ranked, page.limit, rankCursorKey);
    const details = new Map(
      (await this.deps.pinDetails.findDetails(items.map((item) => item.id), viewer)).map((found) => [found.pin.id, found]),
    );
    // A pin deleted between the two statements drops out; the order stays the ranking's.
    return { items: items.flatMap((item) => details.get(item.id) ?? []), next };
  }

  /** Without a query, all the viewer's boards, newest first (Pinterest's `query` is optional here). */
  async searchBoards(viewer: Viewer, query: string | undefined, page: PageRequest): Promise<Page<BoardCard>> {
    const text = query === undefined ? null : searchTerms(query).text;
    const rows = await this.deps.search.searchOwnBoards(viewer, text, toRankCursor(page.after), page.limit);
    const { items, next } = toPage(rows, page.limit, rankCursorKey);
    return { items: await this.deps.boardCards.cards(items), next };
  }
}
