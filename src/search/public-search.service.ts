// Discovery over everyone's public pins: search (Pinterest's search_partner_pins), typeahead
// (terms_suggested) and related terms (terms_related). What is found is only ever what every signed-in
// person may read: the repository filters by the board policy in SQL, and the pins are then read
// through the pins feature keeping only those on boards everyone may read, so a board turned hidden
// between the two steps drops out too.
import { AppError } from '../platform/errors.js';
import { isValidId } from '../platform/ids.js';
import type { Viewer } from '../platform/http/viewer.js';
import type { CursorKey, Page } from '../platform/http/pagination.js';
import { toPage } from '../platform/http/pagination.js';
import type { PinDetails } from '../pins/pin.repository.js';
import type { MatchMode, PublicSearchCursor, PublicSearchRepository } from './public-search.repository.js';

export interface PublicSearchServiceDeps {
  search: PublicSearchRepository;
  /** The pins feature's details of pins on boards everyone may read. */
  pinDetails: { findPublicDetails(pinIds: readonly string[], viewer: Viewer): Promise<PinDetails[]> };
}

export interface PublicSearchPage {
  after: CursorKey | null;
  limit: number;
}

export interface RelatedTermsList {
  term: string;
  related: string[];
}

/** Longest term looked up, in characters: typeahead and related terms work on short phrases. */
export const TERM_MAX = 100;
/** Most terms one related-terms request may ask about. */
export const RELATED_TERMS_MAX = 10;
/** Related terms listed per input term. */
const RELATED_PER_TERM = 10;

const RANK_TEXT = /^-?\d{1,20}(\.\d{1,20})?$/;
const MODES: Record<string, MatchMode> = { t: 'text', f: 'typo' };
const MODE_KEYS: Record<MatchMode, string> = { text: 't', typo: 'f' };

/** Validates a decoded bookmark before any of it reaches SQL; INVALID_BOOKMARK (400) otherwise. */
function toCursor(key: CursorKey | null): PublicSearchCursor | null {
  if (key === null) return null;
  const [mode, rank, id] = key;
  const matchMode = mode === undefined ? undefined : MODES[mode];
  if (!matchMode || rank === undefined || id === undefined || !RANK_TEXT.test(rank) || !isValidId(id)) {
    throw new AppError('INVALID_BOOKMARK');
  }
  return { mode: matchMode, rank, id };
}

/** A term's text, trimmed; SEARCH_QUERY_EMPTY (400) when nothing is left. */
function termText(term: string): string {
  const text = term.trim().replace(/\s+/g, ' ');
  if (text === '') throw new AppError('SEARCH_QUERY_EMPTY');
  return text;
}

export class PublicSearchService {
  constructor(private readonly deps: PublicSearchServiceDeps) {}

  /**
   * Public pins matching `term`, one per picture, best first. Words are matched as full-text search
   * does (stemmed); when nothing matches, titles and board names holding a word spelt nearly alike
   * are found instead ("chiken soup"), and the bookmark keeps to that mode.
   */
  async searchPins(viewer: Viewer, term: string, page: PublicSearchPage): Promise<Page<PinDetails>> {
    const text = termText(term);
    const after = toCursor(page.after);
    let mode: MatchMode = after?.mode ?? 'text';
    let ranked = await this.deps.search.searchPins(mode, text, after, page.limit);
    if (ranked.length === 0 && after === null) {
      mode = 'typo';
      ranked = await this.deps.search.searchPins(mode, text, null, page.limit);
    }
    const { items, next } = toPage(ranked, page.limit, (row) => [MODE_KEYS[mode], row.rank, row.id]);
    const details = new Map(
      (await this.deps.pinDetails.findPublicDetails(items.map((item) => item.id), viewer)).map((found) => [found.pin.id, found]),
    );
    // A pin deleted or hidden between the two reads drops out; the order stays the ranking's.
    return { items: items.flatMap((item) => details.get(item.id) ?? []), next };
  }

  /** Terms beginning with `term` that public pins and boards are called, most used first. */
  async suggestedTerms(term: string, limit: number): Promise<string[]> {
    const text = termText(term).slice(0, TERM_MAX);
    return (await this.deps.search.suggestTerms(text, limit)).map((row) => row.term);
  }

  /**
   * For each term, the terms found with it on public pins and boards. Terms may also arrive as one
   * comma-separated list, as Pinterest's example writes them (`?terms=clothes,workout`).
   */
  async relatedTerms(terms: readonly string[]): Promise<RelatedTermsList[]> {
    const texts = terms.flatMap((term) => term.split(',')).map((term) => term.trim().replace(/\s+/g, ' ')).filter((term) => term !== '');
    if (texts.length === 0) throw new AppError('SEARCH_QUERY_EMPTY');
    if (texts.length > RELATED_TERMS_MAX) {
      throw new AppError('INVALID_PARAMETERS', `Invalid query: terms may list at most ${RELATED_TERMS_MAX} terms.`);
    }
    const unique = [...new Set(texts.map((text) => text.slice(0, TERM_MAX)))];
    const lists: RelatedTermsList[] = [];
    for (const text of unique) {
      const related = await this.deps.search.relatedTerms(text, RELATED_PER_TERM);
      lists.push({ term: text, related: related.map((row) => row.term) });
    }
    return lists;
  }
}
