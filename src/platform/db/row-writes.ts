// Which requests wrote rows that caches hold (users, boards, pins, board collaborators). Such a
// request waits, before it answers, until this process has read its own changes from the change log
// and dropped the cached copies (own-writes.ts), and reads inside it bypass the caches, since the
// invalidation has not happened yet while the request runs. Recognised from the SQL each statement
// sends, so no write site has to remember to say so.
import { AsyncLocalStorage } from 'node:async_hooks';

const CACHED_ROW_WRITE = /\b(?:update|delete\s+from|insert\s+into)\s+"?(?:users|boards|pins|board_collaborators)"?[\s(]/i;

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
    if (scope && !scope.wroteCachedRows && CACHED_ROW_WRITE.test(sqlText)) scope.wroteCachedRows = true;
  }

  /** Whether the current request has written a cached row (false outside a request). */
  wroteCachedRows(): boolean {
    return this.storage.getStore()?.wroteCachedRows === true;
  }
}
