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

/**
 * Statements that change who may see or use what: updates and deletes of tokens, collaborators,
 * boards and pins (a token revoked or rotated, a collaborator removed or demoted, a board made SECRET or
 * PROTECTED, a pin moved), accounts deleted (and their tokens with them), collaborators added (a
 * process that cached a board's roles without them would refuse the new one), and boards and pins
 * added (a process may remember their fresh id as missing, if someone asked for it before the insert:
 * cached-rows.ts). Other inserts name new ids, which no process has cached.
 */
const CHANGES_ACCESS =
  /\b(?:(?:(?<!\b(?:do|for|key)\s+)update|delete\s+from)\s+"?(?:oauth_tokens|board_collaborators|boards|pins)|delete\s+from\s+"?users|insert\s+into\s+"?(?:board_collaborators|boards|pins))"?(?![a-z_])/i;

/** Whether the statement may change who can see or use what (see CHANGES_ACCESS). */
export function mayChangeAccess(sqlText: string): boolean {
  return CHANGES_ACCESS.test(sqlText);
}

interface RequestScope {
  wroteCachedRows: boolean;
  changedAccess: boolean;
}

export class RowWriteTracker {
  private readonly storage = new AsyncLocalStorage<RequestScope>();

  /** Runs `work` (a request) in its own scope. */
  run<T>(work: () => T): T {
    return this.storage.run({ wroteCachedRows: false, changedAccess: false }, work);
  }

  /** Called with the text of every statement sent. */
  record(sqlText: string): void {
    const scope = this.storage.getStore();
    if (!scope) return;
    if (!scope.wroteCachedRows && writesCachedRows(sqlText)) scope.wroteCachedRows = true;
    if (!scope.changedAccess && mayChangeAccess(sqlText)) scope.changedAccess = true;
  }

  /** Whether the current request sent a statement that may take access away (false outside a request). */
  changedAccess(): boolean {
    return this.storage.getStore()?.changedAccess === true;
  }

  /** Whether the current request has written a cached row (false outside a request). */
  wroteCachedRows(): boolean {
    return this.storage.getStore()?.wroteCachedRows === true;
  }
}
