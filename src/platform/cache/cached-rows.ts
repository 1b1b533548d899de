// Rows of one table cached by id in the two-tier cache, for the read paths (GET of a pin, board or
// user, GraphQL relations, feed and search hydration). Writes never go through here: they read the
// database, under their transaction's locks.
//
// Invalidation does not depend on the code that writes: database triggers log every UPDATE or DELETE
// of a cached table in change_log (migration 2026-11-28T0300), and INSERTs of the tables whose
// missing ids are remembered (2026-12-06T0100); every process drops the ids it
// reads there (invalidateChangedRows). A request that wrote such rows waits for its own changes to be
// applied before it answers (platform/http/own-writes.ts), so its client never reads the old value
// back; reads made inside that request go to the database (`bypass`).
//
// Rows that decide who may see what (boards, their collaborators, pins, which name their board; and
// verified tokens) are cached in each process only, never in Redis, and a request uses them only once
// this process has read the change log from a read that started after the request arrived
// (fresh-reads.ts): a change that answered anywhere before the request is never served old here.
//
// Ids that name no row are remembered too (`rememberAbsent`), so a missing id is answered from the
// cache exactly as a hidden one is: a missing pin took a database round trip and a hidden one none,
// and that difference (1.1 ms against 2.3 ms) told which ids hid something. Ids of any age are
// remembered: inserts of users, boards and pins are logged in change_log like their updates
// (migration 2026-12-06T0100), so a row inserted later under a remembered id drops that entry in
// every process. (Until then only ids older than a minute were remembered, and a fresh hidden id
// answered from the cache while a fresh missing one read the database.)
import type { Cache } from './cache.js';
import type { ChangedTable, LoggedChange } from '../changes/change.js';
import { isValidId } from '../ids.js';

/** What the cache holds for an id that names no row. */
export const ABSENT = false;

/**
 * Cache namespace of each table's rows. A new suffix when the cached shape changes, so entries
 * written by the previous version (still in Redis for up to CACHE_TTL_SECONDS) are never read.
 */
export const ROW_NAMESPACES = {
  users: 'user',
  boards: 'board',
  // v2: a pin's image is named by its capability.
  pins: 'pin-v2',
  board_collaborators: 'board-collaborators',
} as const satisfies Record<Exclude<ChangedTable, 'oauth_tokens'>, string>;

export type RowTable = keyof typeof ROW_NAMESPACES;

/** Verified tokens, by the hash of the access token (auth/token.service.ts). */
export const TOKEN_NAMESPACE = 'token';

/** Where each table's logged changes are dropped. */
const CHANGED_NAMESPACES: Record<ChangedTable, string> = { ...ROW_NAMESPACES, oauth_tokens: TOKEN_NAMESPACE };

/**
 * The namespaces that decide access: kept in each process only (Redis could hand back a copy written
 * by a process that loaded it before the change), and read only by requests that find the process fresh.
 */
export const PERMISSION_NAMESPACES: readonly string[] = [ROW_NAMESPACES.boards, ROW_NAMESPACES.board_collaborators, ROW_NAMESPACES.pins, TOKEN_NAMESPACE];

export interface CachedRowsOptions<T> {
  cache: Cache;
  table: RowTable;
  /** Loads the rows of the given ids from the database; missing ids are left out. */
  load: (ids: string[]) => Promise<Map<string, T>>;
  /** True while the cache must not be used (the current request wrote cached rows). */
  bypass?: () => boolean;
  /**
   * False when this process cannot tell that its cache has every change that answered before the
   * current request (the change log could not be read): the request then reads the database.
   */
  fresh?: () => Promise<boolean>;
  /** Remember ids that name no row, as rows are remembered (the table's inserts must be logged). */
  rememberAbsent?: boolean;
}

export class CachedRows<T> {
  private readonly namespace: string;

  constructor(private readonly options: CachedRowsOptions<T>) {
    this.namespace = ROW_NAMESPACES[options.table];
  }

  async getMany(ids: readonly string[]): Promise<Map<string, T>> {
    if (ids.length === 0) return new Map();
    if (this.options.bypass?.()) return this.options.load([...new Set(ids)]);
    if (this.options.fresh && !(await this.options.fresh())) return this.options.load([...new Set(ids)]);
    if (!this.options.rememberAbsent) return this.options.cache.getMany<T>(this.namespace, ids, (missing) => this.options.load(missing));
    const cached = await this.options.cache.getMany<T | typeof ABSENT>(this.namespace, ids, (missing) => this.loadRememberingAbsent(missing));
    const rows = new Map<string, T>();
    for (const [id, value] of cached) if (value !== ABSENT) rows.set(id, value);
    return rows;
  }

  private async loadRememberingAbsent(ids: string[]): Promise<Map<string, T | typeof ABSENT>> {
    const loaded: Map<string, T | typeof ABSENT> = await this.options.load(ids);
    for (const id of ids) if (!loaded.has(id) && isValidId(id)) loaded.set(id, ABSENT);
    return loaded;
  }
}

/** Drops the cached copies of the rows these changes report (a change stream handler). */
export async function invalidateChangedRows(cache: Cache, changes: readonly LoggedChange[]): Promise<void> {
  const stale = new Map<string, Set<string>>();
  for (const change of changes) {
    if (change.kind !== 'rows.changed') continue;
    const namespace = CHANGED_NAMESPACES[change.table];
    const ids = stale.get(namespace) ?? new Set<string>();
    for (const id of change.ids) ids.add(id);
    stale.set(namespace, ids);
  }
  await Promise.all([...stale].map(([namespace, ids]) => cache.invalidate(namespace, [...ids])));
}
