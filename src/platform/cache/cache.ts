// The two-tier cache: an in-process LRU in front of Redis (when configured). The database stays the
// source of truth; the cache only saves reads.
//
// - Single flight: concurrent misses of one key share one load, so a stampede on a cold key makes one
//   database query.
// - Own writes: a service invalidates the keys it changed after its transaction commits and before it
//   answers, so the writer never reads its old value back. Other processes drop the keys when the
//   Redis message arrives (milliseconds); entries also expire (CACHE_TTL_SECONDS) as a safety net.
// - A load that started before an invalidation of its key is returned to the readers that were
//   waiting for it but not stored, so a slow reader cannot put an old value back. Redis gets a second
//   delete a moment after the first for the same reason across processes.
// - Local-only namespaces (`localOnly`: what decides access) never touch Redis: a copy there may have
//   been written by a process that loaded it just before a change, and another process would read it
//   back after dropping its own. Their invalidation rests on the change log alone (fresh-reads.ts).
// - Redis unreachable: its reads count as remote_error and fall through to the database; writes to
//   the cache are skipped; invalidations still apply locally. When the subscription comes back, the
//   local tier is cleared, since messages sent meanwhile were missed.
import { afterCommit, currentUnitOfWork } from '../db/unit-of-work.js';
import { LRUCache } from 'lru-cache';
import type { Logger } from 'pino';
import { decode, encode, freezeDeep } from './cache-codec.js';
import type { CacheMetrics } from './cache-metrics.js';
import type { RedisCacheTier } from './redis-cache-tier.js';

export interface CacheOptions {
  maxEntries: number;
  ttlSeconds: number;
  remote?: RedisCacheTier;
  metrics?: CacheMetrics;
  logger?: Pick<Logger, 'warn'>;
  /** Delay of the second Redis delete after an invalidation. */
  secondDeleteMs?: number;
  /** Namespaces kept in this process only, never read from or written to Redis. */
  localOnly?: readonly string[];
}

/** A cached value in this process: decoded and frozen (cache-codec.ts), so callers can never mutate the cached copy. */
type Stored = NonNullable<unknown>;

export class Cache {
  private readonly local: LRUCache<string, Stored>;
  private readonly inFlight = new Map<string, Promise<unknown>>();
  /**
   * Bumped on an invalidation of a key while a load of it runs: a load that saw another generation
   * does not store. Kept only while loads of the key run (loadsRunning), so it does not grow with
   * every key ever invalidated.
   */
  private readonly generations = new Map<string, number>();
  private readonly loadsRunning = new Map<string, number>();
  private readonly timers = new Set<NodeJS.Timeout>();
  /** Second deletes waiting for their moment, so `settled()` can wait for them; close() resolves them. */
  private readonly pendingDeletes = new Map<Promise<void>, () => void>();
  private readonly localOnly: Set<string>;
  /**
   * Loads of several namespaces at once (loadAcross) do not know every key they will return when
   * they start, so while any runs, each drop is numbered: a load stores no key dropped after it
   * started, nor anything once the whole tier was cleared after it started.
   */
  private loadsAcross = 0;
  private dropCount = 0;
  private clearedAt = 0;
  private readonly droppedAt = new Map<string, number>();

  constructor(private readonly options: CacheOptions) {
    this.localOnly = new Set(options.localOnly ?? []);
    this.local = new LRUCache<string, Stored>({ max: options.maxEntries, ttl: options.ttlSeconds * 1000 });
    options.remote?.onInvalidate((keys) => {
      this.dropLocal(keys);
      options.metrics?.invalidated('remote', keys.length);
    });
    options.remote?.onReconnect(() => this.clearLocal());
  }

  /** Keeps `namespace` in this process from now on, as the `localOnly` option does. */
  keepLocal(namespace: string): void {
    this.localOnly.add(namespace);
  }

  /** The value of `namespace:id`, loading it on a miss (undefined results are not cached). */
  async get<T>(namespace: string, id: string, load: () => Promise<T | undefined>): Promise<T | undefined> {
    const found = await this.getMany<T>(namespace, [id], async () => {
      const value = await load();
      return new Map(value === undefined ? [] : [[id, value]]);
    });
    return found.get(id);
  }

  /** Values for many ids of one namespace: local tier, then Redis, then one load for the rest. */
  async getMany<T>(namespace: string, ids: readonly string[], load: (missing: string[]) => Promise<Map<string, T>>): Promise<Map<string, T>> {
    const result = new Map<string, T>();
    let missing: string[] = [];
    for (const id of new Set(ids)) {
      const stored = this.local.get(keyOf(namespace, id));
      if (stored !== undefined) {
        result.set(id, stored as T);
        this.options.metrics?.read(namespace, 'local_hit');
      } else missing.push(id);
    }
    if (missing.length === 0) return result;

    missing = await this.fromRemote(namespace, missing, result);
    if (missing.length === 0) return result;

    // Keys already being loaded are awaited; the rest are loaded together, once.
    const waits: Array<Promise<void>> = [];
    const toLoad: string[] = [];
    const inUnit = currentUnitOfWork() !== null;
    for (const id of missing) {
      // A request in a unit of work holds a connection for its whole run; joining a load another
      // request started (which may be waiting for a connection) could wait on itself.
      const pending = inUnit ? undefined : (this.inFlight.get(keyOf(namespace, id)) as Promise<T | undefined> | undefined);
      if (pending) {
        this.options.metrics?.read(namespace, 'local_hit');
        waits.push(pending.then((value) => void (value !== undefined && result.set(id, value))));
      } else toLoad.push(id);
    }
    if (toLoad.length > 0) waits.push(this.load(namespace, toLoad, load, result));
    await Promise.all(waits);
    return result;
  }

  /**
   * This process's copy of `namespace:id`, without loading, counting or waiting: the very object
   * `get` would return, so a caller can tell whether what it derived from it still stands.
   */
  peekLocal(namespace: string, id: string): unknown {
    return this.local.get(keyOf(namespace, id));
  }

  /** This process's copy of `namespace:id`, counted as a local hit; undefined when it has none (nothing is loaded). */
  peek(namespace: string, id: string): unknown {
    const stored = this.local.get(keyOf(namespace, id));
    if (stored !== undefined) this.options.metrics?.read(namespace, 'local_hit');
    return stored;
  }

  /** The Redis copies of ids of one namespace (one MGET; none for local-only namespaces), kept here too. */
  async peekRemote<T>(namespace: string, ids: readonly string[]): Promise<Map<string, T>> {
    const found = new Map<string, T>();
    if (ids.length > 0) await this.fromRemote(namespace, [...ids], found);
    return found;
  }

  /** The load of `namespace:id` another reader is running, if any (none is joined inside a unit of work, as in getMany). */
  pending(namespace: string, id: string): Promise<unknown> | undefined {
    return currentUnitOfWork() === null ? this.inFlight.get(keyOf(namespace, id)) : undefined;
  }

  /**
   * One load for keys of several namespaces (a reader that gets rows of several tables in one
   * statement): readers of the `asked` keys wait for it (pending) instead of loading them again.
   * Everything it returns, asked or found on the way, is frozen and stored here unless dropped since
   * it started, and in Redis in one pipeline. Returns the frozen values, stored or not.
   */
  async loadAcross(
    asked: ReadonlyArray<readonly [string, string]>,
    load: () => Promise<Array<[string, string, unknown]>>,
  ): Promise<Array<[string, string, unknown]>> {
    this.loadsAcross += 1;
    const startedAt = this.dropCount;
    const started = performance.now();
    const loading = load().then((entries) => entries.map(([namespace, id, value]): [string, string, unknown] => [namespace, id, freezeDeep(value)]));
    const byKey = loading.then((entries) => new Map(entries.map(([namespace, id, value]) => [keyOf(namespace, id), value])));
    const waiting = asked.map(([namespace, id]) => {
      const key = keyOf(namespace, id);
      const promise = byKey.then((values) => values.get(key));
      promise.catch(() => undefined);
      this.inFlight.set(key, promise);
      return [key, promise] as const;
    });
    try {
      const entries = await loading;
      const seconds = (performance.now() - started) / 1000;
      for (const namespace of new Set(asked.map(([name]) => name))) this.options.metrics?.loaded(namespace, seconds);
      const remote: Array<[string, string]> = [];
      for (const [namespace, id, value] of entries) {
        this.options.metrics?.read(namespace, 'miss');
        const key = keyOf(namespace, id);
        if (this.clearedAt > startedAt || (this.droppedAt.get(key) ?? 0) > startedAt) continue;
        this.local.set(key, value as Stored);
        if (this.remoteFor(namespace)) remote.push([key, encode(value)]);
      }
      if (remote.length > 0) await this.options.remote?.setMany(remote, this.options.ttlSeconds).catch(() => undefined);
      return entries;
    } finally {
      for (const [key, promise] of waiting) if (this.inFlight.get(key) === promise) this.inFlight.delete(key);
      this.loadsAcross -= 1;
      if (this.loadsAcross === 0) this.droppedAt.clear();
    }
  }

  /** Drops the keys here, in Redis and in every other process. Call after the write committed. */
  async invalidate(namespace: string, ids: readonly string[]): Promise<void> {
    if (ids.length === 0) return;
    // Called in a request's unit of work, the write is not committed yet: a reader could cache the
    // old row again right after this drop. Drop once it has committed (before the answer leaves).
    if (currentUnitOfWork()) return afterCommit(() => this.invalidate(namespace, ids));
    const keys = ids.map((id) => keyOf(namespace, id));
    this.dropLocal(keys);
    this.options.metrics?.invalidated('local', keys.length);
    const remote = this.remoteFor(namespace);
    if (!remote) return;
    try {
      await remote.invalidate(keys);
    } catch (error) {
      // Redis is down: nothing can be stale there for longer than its TTL, and processes clear their
      // local tier when their subscription comes back.
      this.options.logger?.warn({ err: error }, 'cache: invalidation did not reach Redis');
    }
    let release!: () => void;
    const pending = new Promise<void>((resolve) => {
      release = resolve;
      const timer = setTimeout(() => {
        this.timers.delete(timer);
        remote
          .invalidate(keys)
          .catch(() => undefined)
          .finally(resolve);
      }, this.options.secondDeleteMs ?? 500);
      timer.unref();
      this.timers.add(timer);
    });
    this.pendingDeletes.set(pending, release);
    void pending.finally(() => this.pendingDeletes.delete(pending));
  }

  /**
   * Resolves once every second delete scheduled so far has been made and its invalidation has reached
   * this process: from then on a value loaded stays cached until the next write (tests, and
   * `Background.settle`).
   */
  async settled(): Promise<void> {
    while (this.pendingDeletes.size > 0) await Promise.all([...this.pendingDeletes.keys()]);
    await this.options.remote?.delivered().catch(() => undefined);
  }

  /**
   * Drops every entry of the namespaces, here and in Redis (other processes' local tiers keep theirs
   * until they expire). For tests that measure cold reads.
   */
  async clearNamespaces(namespaces: readonly string[]): Promise<void> {
    for (const key of [...this.local.keys()]) {
      if (namespaces.some((namespace) => key.startsWith(`${namespace}:`))) this.dropLocal([key]);
    }
    await this.options.remote?.deleteMatching(namespaces.map((namespace) => `${namespace}:*`));
  }

  /** How many keys this process keeps invalidation generations or drop numbers for (only while loads run). */
  trackedGenerations(): number {
    return this.generations.size + this.droppedAt.size;
  }

  /** What this process's tier holds, encoded, by key (tests that check a request left it as it was). */
  entries(): Array<[string, string]> {
    return [...this.local.entries()].map(([key, value]) => [key, encode(value)]);
  }

  /** Empties this process's tier (tests; operators after a manual database edit). */
  clearLocal(): void {
    if (this.loadsAcross > 0) this.clearedAt = ++this.dropCount;
    this.local.clear();
  }

  close(): void {
    for (const timer of this.timers) clearTimeout(timer);
    this.timers.clear();
    for (const release of this.pendingDeletes.values()) release();
    this.pendingDeletes.clear();
  }

  private dropLocal(keys: readonly string[]): void {
    for (const key of keys) {
      this.local.delete(key);
      this.inFlight.delete(key);
      if (this.loadsAcross > 0) this.droppedAt.set(key, ++this.dropCount);
      if (this.loadsRunning.has(key)) this.generations.set(key, (this.generations.get(key) ?? 0) + 1);
    }
  }

  /** The Redis tier of a namespace (none for local-only ones). */
  private remoteFor(namespace: string): RedisCacheTier | undefined {
    return this.localOnly.has(namespace) ? undefined : this.options.remote;
  }

  private async fromRemote<T>(namespace: string, ids: string[], result: Map<string, T>): Promise<string[]> {
    const remote = this.remoteFor(namespace);
    if (!remote) return ids;
    let values: Array<string | null>;
    try {
      values = await remote.getMany(ids.map((id) => keyOf(namespace, id)));
    } catch {
      for (let i = 0; i < ids.length; i++) this.options.metrics?.read(namespace, 'remote_error');
      return ids;
    }
    const missing: string[] = [];
    ids.forEach((id, index) => {
      const stored = values[index];
      if (stored === null || stored === undefined) {
        missing.push(id);
        return;
      }
      const value = freezeDeep(decode<T>(stored));
      this.local.set(keyOf(namespace, id), value as Stored);
      result.set(id, value);
      this.options.metrics?.read(namespace, 'remote_hit');
    });
    return missing;
  }

  private async load<T>(namespace: string, ids: string[], load: (missing: string[]) => Promise<Map<string, T>>, result: Map<string, T>): Promise<void> {
    const keys = ids.map((id) => keyOf(namespace, id));
    for (const key of keys) this.loadsRunning.set(key, (this.loadsRunning.get(key) ?? 0) + 1);
    const seen = keys.map((key) => this.generations.get(key) ?? 0);
    const started = performance.now();
    const loading = load(ids);
    const waiting = keys.map((key, index) => {
      const id = ids[index]!;
      const promise = loading.then((values) => values.get(id));
      // Readers that join are not left with an unhandled rejection: they await it themselves.
      promise.catch(() => undefined);
      this.inFlight.set(key, promise);
      return promise;
    });
    try {
      const values = await loading;
      this.options.metrics?.loaded(namespace, (performance.now() - started) / 1000);
      const fresh: Array<[string, string]> = [];
      ids.forEach((id, index) => {
        this.options.metrics?.read(namespace, 'miss');
        const loaded = values.get(id);
        if (loaded === undefined) return;
        // Frozen here: the loader's caller and the readers waiting for this load share it with the cache.
        const value = freezeDeep(loaded);
        result.set(id, value);
        const key = keys[index]!;
        if ((this.generations.get(key) ?? 0) !== seen[index]) return;
        this.local.set(key, value as Stored);
        if (this.remoteFor(namespace)) fresh.push([key, encode(value)]);
      });
      if (fresh.length > 0) await this.remoteFor(namespace)?.setMany(fresh, this.options.ttlSeconds).catch(() => undefined);
    } finally {
      keys.forEach((key, index) => {
        if (this.inFlight.get(key) === waiting[index]) this.inFlight.delete(key);
        const running = (this.loadsRunning.get(key) ?? 1) - 1;
        if (running > 0) this.loadsRunning.set(key, running);
        else {
          this.loadsRunning.delete(key);
          this.generations.delete(key);
        }
      });
    }
  }
}

function keyOf(namespace: string, id: string): string {
  return `${namespace}:${id}`;
}
