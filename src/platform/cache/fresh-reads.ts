// Whether the current request may use this process's cached copies of what decides access (tokens,
// boards, collaborators, pins). A change that has answered anywhere (a revoke, a collaborator removed,
// a board made SECRET) is committed, with its change_log entry, before its answer leaves; so a
// request that first reads the change log, from a read that started after the request arrived, and
// applies what it finds, cannot be served the old permission by this process's cache.
//
// The read is shared: concurrent requests wait for the same one (at most one running and one queued,
// however many requests arrive), and a request asks once, however many cached reads it makes. When the
// change log cannot be read, the request reads the database instead of the cache.
import { AsyncLocalStorage } from 'node:async_hooks';

interface RequestScope {
  fresh?: Promise<boolean>;
}

export class FreshReads {
  private readonly storage = new AsyncLocalStorage<RequestScope>();

  /** `check` resolves true once every change committed before the call has been applied to the cache. */
  constructor(
    private readonly check: () => Promise<boolean>,
    /** How long a request waits for the shared read before it reads the database instead (0: no bound). */
    private readonly waitMs = 0,
  ) {}

  /** Runs `work` (a request) in its own scope. */
  run<T>(work: () => T): T {
    return this.storage.run({}, work);
  }

  /** True when the cache may be used: asked once per request, and every time outside one. */
  fresh(): Promise<boolean> {
    const scope = this.storage.getStore();
    if (!scope) return this.bounded();
    scope.fresh ??= this.bounded();
    return scope.fresh;
  }

  /**
   * The shared read runs outside any request's statement deadline, so on a connection that stopped
   * answering it would never end: past `waitMs` the request reads the database, whose own statements
   * are bounded (and answer 503 when the database is away).
   */
  private bounded(): Promise<boolean> {
    if (this.waitMs <= 0) return this.check();
    let timer: NodeJS.Timeout | undefined;
    const giveUp = new Promise<boolean>((resolve) => {
      timer = setTimeout(() => resolve(false), this.waitMs);
      timer.unref();
    });
    return Promise.race([this.check().finally(() => clearTimeout(timer)), giveUp]);
  }
}
