// Whether the current request may use this process's cached copies of what decides access (tokens,
// boards, collaborators, pins). Every change to them is committed, with its change_log entry, before
// its answer leaves, and a change that restricts access (a revoke, a collaborator removed, a board made
// SECRET, a pin moved) answers only PERMISSION_FRESHNESS_MS after its commit (own-writes.ts). So a
// process whose last complete read of the change log started less than that long ago has applied every
// such change that has answered anywhere: its cache may be used, with no statement on the request's
// path. Otherwise the request waits for a read that starts after it arrived (shared: at most one
// running and one queued, however many requests arrive); when the change log cannot be read, the
// request reads the database instead of the cache.

/** What the freshness of the cache is decided from (RecentRowChanges). */
export interface FreshnessSource {
  /** True when every change committed more than `windowMs` ago has been applied (no statement). */
  freshWithin(windowMs: number): boolean;
  /** Resolves true once every change committed before the call has been applied (one shared read). */
  fresh(): Promise<boolean>;
}

const FRESH = Promise.resolve(true);

export class FreshReads {
  constructor(
    private readonly source: FreshnessSource,
    /** How long a request waits for the shared read before it reads the database instead (0: no bound). */
    private readonly waitMs = 0,
    /** PERMISSION_FRESHNESS_MS: how recent the last complete read must be for the cache to be used. */
    private readonly windowMs = 0,
  ) {}

  /** True when the cache may be used. */
  fresh(): Promise<boolean> {
    if (this.windowMs > 0 && this.source.freshWithin(this.windowMs)) return FRESH;
    return this.bounded();
  }

  /**
   * The shared read runs outside any request's statement deadline, so on a connection that stopped
   * answering it would never end: past `waitMs` the request reads the database, whose own statements
   * are bounded (and answer 503 when the database is away).
   */
  private bounded(): Promise<boolean> {
    if (this.waitMs <= 0) return this.source.fresh();
    let timer: NodeJS.Timeout | undefined;
    const giveUp = new Promise<boolean>((resolve) => {
      timer = setTimeout(() => resolve(false), this.waitMs);
      timer.unref();
    });
    return Promise.race([this.source.fresh().finally(() => clearTimeout(timer)), giveUp]);
  }
}
