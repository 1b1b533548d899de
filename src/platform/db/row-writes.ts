// Which requests wrote rows that caches hold (users, boards, pins, board collaborators), directly or
// through a foreign key (deleting a section clears its pins' section). Such a request waits, before it
// answers, until this process has read its own row changes from the change log and dropped the cached
// copies (own-writes.ts), and reads inside it bypass the caches, since the invalidation has not
// happened yet while the request runs. Recognised from the SQL each statement sends, so no write site
// has to remember to say so: every write counts except to the tables below, which nothing cached by
// id depends on (a new table counts until it is added here).
import { AsyncLocalStorage } from 'node:async_hooks';

// UPDATE as a statement, not ON CONFLICT DO UPDATE or a FOR [NO KEY] UPDATE row lock.
const WRITE = /\b(?:(?<!\b(?:do|for|key)\s+)update|delete\s+from|insert\s+into)\s+"?([a-z_]+)"?/gi;
const UNRELATED_TABLES = new Set([
  'engagement_events',
  'idempotency_keys',
  'jobs',
  'change_log',
  'log_consumers',
  'oauth_tokens',
  'user_activity',
  'feed_timelines',
  'feed_timeline_heads',
  'experiment_exposure_events',
  'experiment_exposures',
  'experiments',
  'experiment_config_version',
]);

/** Whether the statement writes a table other than the unrelated ones. */
export function writesCachedRows(sqlText: string): boolean {
  for (const match of sqlText.matchAll(WRITE)) {
    if (!UNRELATED_TABLES.has(match[1]!.toLowerCase())) return true;
  }
  return false;
}

/**
 * Whether the statement may log row changes: a write to a cached table, or to oauth_tokens (whose
 * revocations are logged for the token cache, though no request needs to wait for them).
 */
export function mayLogRowChanges(sqlText: string): boolean {
  if (writesCachedRows(sqlText)) return true;
  for (const match of sqlText.matchAll(WRITE)) if (match[1]!.toLowerCase() === 'oauth_tokens') return true;
  return false;
}

interface RequestScope {
  wroteCachedRows: boolean;
}

export class RowWriteTracker {
  private readonly storage = new AsyncLocalStorage<RequestScope>();

  /** Runs `work` (a request) in its own scope. */
  run<T>(work: () => T): T {
    return this.storage.run({ wroteCachedRows: false }, work);
  }

  /** Called with the text of every statement sent. */
  record(sqlText: string): void {
    const scope = this.storage.getStore();
    if (scope && !scope.wroteCachedRows && writesCachedRows(sqlText)) scope.wroteCachedRows = true;
  }

  /** Whether the current request has written a cached row (false outside a request). */
  wroteCachedRows(): boolean {
    return this.storage.getStore()?.wroteCachedRows === true;
  }
}
