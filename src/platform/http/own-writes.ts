// Read-your-own-writes for cached rows: a request that wrote a table the cached rows depend on
// (row-writes.ts tells) answers only once this process has read its row changes from the change log
// and dropped the cached copies, here, in Redis and (through pub/sub) in the other processes. The next
// request of the same client, wherever it lands, then loads the new rows.
//
// The read never fails the request: RecentRowChanges logs a failed read and its next poll drops the
// keys, since a write that committed must not answer as failed (a retry would write it again).
import type { FastifyInstance } from 'fastify';
import type { RowWriteTracker } from '../db/row-writes.js';
import type { RecentRowChanges } from '../cache/recent-row-changes.js';
import { afterCommit } from '../db/unit-of-work.js';
import type { FreshReads } from '../cache/fresh-reads.js';

export function registerOwnWrites(
  app: FastifyInstance,
  rowWrites: RowWriteTracker,
  rowChanges: Pick<RecentRowChanges, 'poke'>,
  freshReads: Pick<FreshReads, 'run'>,
): void {
  // Each request asks once whether the caches are fresh (fresh-reads.ts), and tracks its own writes.
  app.addHook('onRequest', (_request, _reply, done) => rowWrites.run(() => freshReads.run(() => done())));
  app.addHook('onSend', async (_request, _reply, payload) => {
    // A keyed request's writes commit later in onSend (idempotency.ts): read the change log then.
    if (rowWrites.wroteCachedRows()) await afterCommit(() => rowChanges.poke());
    return payload;
  });
}
