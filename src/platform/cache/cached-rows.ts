// Rows of one table cached by id in the two-tier cache, for the read paths (GET of a pin, board or
// user, GraphQL relations, feed and search hydration). Writes never go through here: they read the
// database, under their transaction's locks.
//
// Invalidation does not depend on the code that writes: database triggers log every UPDATE or DELETE
// of a cached table in change_log (migration 2026-11-28T0300), and every process drops the ids it
// reads there (invalidateChangedRows), in Redis and, through its pub/sub channel, in every process's
// local tier. A request that wrote such rows waits for its own changes to be applied before it
// answers (platform/http/own-writes.ts), so its client never reads the old value back; reads made
// inside that request go to the database (`bypass`).
import type { Cache } from './cache.js';
import type { ChangedTable, LoggedChange } from '../changes/change.js';

/**
 * Cache namespace of each table's rows. A new suffix when the cached shape changes, so entries
 * written by the previous version (still in Redis for up to CACHE_TTL_SECONDS) are never read.
 */
export const ROW_NAMESPACES: Record<ChangedTable, string> = {
  users: 'user',
  boards: 'board',
  // v2: a pin's image is named by its capability.
  pins: 'pin-v2',
  board_collaborators: 'board-collaborators',
};

export interface CachedRowsOptions<T> {
  cache: Cache;
  table: ChangedTable;
  /** Loads the rows of the given ids from the database; missing ids are left out. */
  load: (ids: string[]) => Promise<Map<string, T>>;
  /** True while the cache must not be used (the current request wrote cached rows). */
  bypass?: () => boolean;
}

export class CachedRows<T> {
  private readonly namespace: string;

  constructor(private readonly options: CachedRowsOptions<T>) {
    this.namespace = ROW_NAMESPACES[options.table];
  }

  async getMany(ids: readonly string[]): Promise<Map<string, T>> {
    if (ids.length === 0) return new Map();
    if (this.options.bypass?.()) return this.options.load([...new Set(ids)]);
    return this.options.cache.getMany<T>(this.namespace, ids, (missing) => this.options.load(missing));
  }
}

/** Drops the cached copies of the rows these changes report (a change stream handler). */
export async function invalidateChangedRows(cache: Cache, changes: readonly LoggedChange[]): Promise<void> {
  const stale = new Map<string, Set<string>>();
  for (const change of changes) {
    if (change.kind !== 'rows.changed') continue;
    const namespace = ROW_NAMESPACES[change.table];
    const ids = stale.get(namespace) ?? new Set<string>();
    for (const id of change.ids) ids.add(id);
    stale.set(namespace, ids);
  }
  await Promise.all([...stale].map(([namespace, ids]) => cache.invalidate(namespace, [...ids])));
}
