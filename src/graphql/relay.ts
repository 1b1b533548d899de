// Relay conventions over Corkboard's v5 ids and bookmarks. A global id is base64('Type:id') of a
// v5 id; a connection's cursors are the very keyset bookmarks the REST list of the same items
// returns, so a client may page with either API and switch between them.
import { AppError } from '../platform/errors.js';
import {
  DEFAULT_PAGE_SIZE,
  MAX_PAGE_SIZE,
  encodeBookmark,
  type CursorKey,
  type Page,
  type PageQuery,
} from '../platform/http/pagination.js';

export const NODE_TYPES = ['User', 'Board', 'BoardSection', 'Pin'] as const;

/** The largest v5 id: ids are PostgreSQL bigints (64-bit, signed). */
const MAX_ID = 2n ** 63n - 1n;
export type NodeType = (typeof NODE_TYPES)[number];

export function toGlobalId(type: NodeType, id: string): string {
  return Buffer.from(`${type}:${id}`, 'utf8').toString('base64');
}

/** The type and v5 id inside a global id, or null when it is not one of ours. */
export function fromGlobalId(globalId: string): { type: NodeType; id: string } | null {
  if (globalId.length > 128) return null;
  const decoded = Buffer.from(globalId, 'base64').toString('utf8');
  const separator = decoded.indexOf(':');
  const type = decoded.slice(0, separator);
  const id = decoded.slice(separator + 1);
  if (separator < 1 || !(NODE_TYPES as readonly string[]).includes(type) || !/^\d{1,19}$/.test(id) || BigInt(id) > MAX_ID) return null;
  return { type: type as NodeType, id };
}

/**
 * An id argument as the services take it: arguments accept the v5 id itself or the global id of
 * the expected type. Anything else is passed through unchanged, so the service answers with the
 * entity's own not-found error exactly as REST does for a malformed path id.
 */
export function entityIdOf(value: string, type: NodeType): string {
  if (/^\d+$/.test(value)) return value;
  const decoded = fromGlobalId(value);
  return decoded?.type === type ? decoded.id : value;
}

export interface ConnectionArgs {
  first?: number | null;
  after?: string | null;
}

/** first/after as the REST list's page_size/bookmark; first outside 1..250 is an error, never clamped. */
export function pageQueryOf(args: ConnectionArgs): PageQuery {
  const first = args.first ?? DEFAULT_PAGE_SIZE;
  if (!Number.isInteger(first) || first < 1 || first > MAX_PAGE_SIZE) {
    throw new AppError('INVALID_PARAMETERS', `Invalid arguments: first must be between 1 and ${MAX_PAGE_SIZE} (got ${first}).`);
  }
  const after = args.after ?? undefined;
  if (after !== undefined && after.length > 512) {
    throw new AppError('INVALID_PARAMETERS', 'Invalid arguments: after must be at most 512 characters.');
  }
  return after === undefined ? { page_size: first } : { page_size: first, bookmark: after };
}

export interface Edge<N> {
  cursor: string | null;
  node: N;
}

export interface Connection<N> {
  edges: Edge<N>[];
  pageInfo: { hasNextPage: boolean; hasPreviousPage: boolean; startCursor: string | null; endCursor: string | null };
}

/**
 * A page as a connection. endCursor is the REST bookmark of the same page (null on the last page).
 * Each edge's cursor is its item's bookmark when the list's sort key is part of the item
 * (`keyOf`); lists ordered by something the item does not carry (search rank, follow time of a
 * board) give the cursor on the page's last edge only.
 */
export function toConnection<T, N>(page: Page<T>, present: (item: T) => N, keyOf?: (item: T) => CursorKey): Connection<N> {
  const endCursor = page.next ? encodeBookmark(page.next) : null;
  const lastIndex = page.items.length - 1;
  const edges = page.items.map((item, index) => ({
    cursor: keyOf ? encodeBookmark(keyOf(item)) : index === lastIndex ? endCursor : null,
    node: present(item),
  }));
  return {
    edges,
    pageInfo: {
      hasNextPage: page.next !== null,
      // Forward-only keyset pages: Relay allows false when earlier edges cannot be known cheaply.
      hasPreviousPage: false,
      startCursor: edges[0]?.cursor ?? null,
      endCursor,
    },
  };
}
