// Read-your-own-writes for cached rows: a request that wrote a table the cached rows depend on
// (row-writes.ts tells) answers only once this process has read its row changes from the change log
// and dropped the cached copies, here, in Redis and (through pub/sub) in the other processes. The next
// request of the same client, wherever it lands, then loads the new rows.
//
// A request that may have taken access away (a revoke, a collaborator removed, a board made SECRET, a
// pin moved) also answers no sooner than PERMISSION_FRESHNESS_MS after its commit: every process uses
// its cached permissions only while its last complete read of the change log started less than that
// long ago (fresh-reads.ts), so once this answer has left, no process serves the old permission.
//
// The read never fails the request: RecentRowChanges logs a failed read and its next poll drops the
// keys, since a write that committed must not answer as failed (a retry would write it again).
import type { FastifyInstance } from 'fastify';
import type { RowWriteTracker } from '../db/row-writes.js';
import type { RecentRowChanges } from '../cache/recent-row-changes.js';
import { afterCommit } from '../db/unit-of-work.js';

/** Added to the wait for clocks that tick at slightly different rates in different processes. */
const CLOCK_MARGIN_MS = 1;

export function registerOwnWrites(
  app: FastifyInstance,
  rowWrites: RowWriteTracker,
  rowChanges: Pick<RecentRowChanges, 'poke'>,
  permissionFreshnessMs: number,
): void {
  // Reads write no cached row: only other methods get a context that tracks their writes (a context
  // per request cost every read its promise hooks).
  app.addHook('onRequest', (request, _reply, done) => {
    if (request.method === 'GET' || request.method === 'HEAD') done();
    else rowWrites.run(() => done());
  });
  app.addHook('onSend', (_request, _reply, payload, done) => {
    const wrote = rowWrites.wroteCachedRows();
    const changedAccess = permissionFreshnessMs > 0 && rowWrites.changedAccess();
    if (!wrote && !changedAccess) return done(null, payload);
    // A keyed request's writes commit later in onSend (idempotency.ts): afterCommit runs this then.
    afterCommit(async () => {
      const committedAt = performance.now();
      if (wrote) await rowChanges.poke();
      const wait = committedAt + permissionFreshnessMs + CLOCK_MARGIN_MS - performance.now();
      if (changedAccess && wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
    }).then(
      () => done(null, payload),
      (error: unknown) => done(error as Error),
    );
  });
}
