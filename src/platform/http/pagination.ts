// v5 `bookmark` pagination over keyset cursors. A bookmark is an opaque, versioned encoding of the
// sort key of the last item on a page; the next page starts strictly after it, so rows inserted
// between requests neither repeat nor shift items. Repositories fetch `pageSize + 1` rows to learn
// whether another page exists without counting.
import { Type, type Static } from 'typebox';
import { AppError } from '../errors.js';

export const DEFAULT_PAGE_SIZE = 25;
export const MAX_PAGE_SIZE = 250;

export const PageQuery = Type.Object({
  bookmark: Type.Optional(Type.String({ maxLength: 512 })),
  page_size: Type.Optional(Type.Integer({ minimum: 1, maximum: MAX_PAGE_SIZE, default: DEFAULT_PAGE_SIZE })),
});
export type PageQuery = Static<typeof PageQuery>;

export type CursorKey = string[];

export interface PageRequest {
  /** Keys of the last item of the previous page, or null for the first page. */
  after: CursorKey | null;
  limit: number;
}

export interface Page<T> {
  items: T[];
  /** Keys of the last item when another page follows. */
  next: CursorKey | null;
}

const VERSION = 'v1';

export function encodeBookmark(key: CursorKey): string {
  return Buffer.from(JSON.stringify([VERSION, ...key]), 'utf8').toString('base64url');
}

/** Decodes a bookmark into `arity` string keys, or throws INVALID_BOOKMARK (400). */
export function decodeBookmark(bookmark: string, arity: number): CursorKey {
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(bookmark, 'base64url').toString('utf8'));
  } catch {
    throw new AppError('INVALID_BOOKMARK');
  }
  if (
    !Array.isArray(parsed) ||
    parsed[0] !== VERSION ||
    parsed.length !== arity + 1 ||
    !parsed.slice(1).every((part) => typeof part === 'string' && part.length > 0 && part.length <= 64)
  ) {
    throw new AppError('INVALID_BOOKMARK');
  }
  return parsed.slice(1) as string[];
}

/** Turns v5 query parameters into a page request whose cursor has `arity` keys. */
export function pageRequest(query: PageQuery, arity = 1): PageRequest {
  return {
    after: query.bookmark ? decodeBookmark(query.bookmark, arity) : null,
    limit: query.page_size ?? DEFAULT_PAGE_SIZE,
  };
}

/** Splits `limit + 1` fetched rows into a page and the cursor of its last item. */
export function toPage<T>(rows: T[], limit: number, keyOf: (row: T) => CursorKey): Page<T> {
  const items = rows.slice(0, limit);
  const last = items[items.length - 1];
  return { items, next: rows.length > limit && last !== undefined ? keyOf(last) : null };
}

/** The v5 list body: `{items, bookmark}` with `bookmark: null` on the last page. */
export function toV5List<T, U>(page: Page<T>, present: (item: T) => U): { items: U[]; bookmark: string | null } {
  return { items: page.items.map(present), bookmark: page.next ? encodeBookmark(page.next) : null };
}

export function PaginatedSchema<T extends import('typebox').TSchema>(item: T) {
  return Type.Object({ items: Type.Array(item), bookmark: Type.Union([Type.String(), Type.Null()]) });
}
