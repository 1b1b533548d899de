// Read-your-own-writes for cached rows: a request that wrote a table the cached rows depend on
// (row-writes.ts tells) answers only once this process has read its row changes from the change log
// and dropped the cached copies, here, in Redis and (through pub/sub) in the other processes. The next
// request of the same client, wherever it lands, then loads the new rows.
import type { FastifyBaseLogger, FastifyInstance } from 'fastify';
import type { RowWriteTracker } from '../db/row-writes.js';
import type { RecentRowChanges } from '../cache/recent-row-changes.js';

export function registerOwnWrites(
  app: FastifyInstance,
  rowWrites: RowWriteTracker,
  rowChanges: Pick<RecentRowChanges, 'poke'>,
  logger?: Pick<FastifyBaseLogger, 'warn'>,
): void {
  app.addHook('onRequest', (_request, _reply, done) => rowWrites.run(() => done()));
  app.addHook('onSend', async (_request, _reply, payload) => {
    if (!rowWrites.wroteCachedRows()) return payload;
    try {
      await rowChanges.poke();
    } catch (error) {
      // The write has committed: it must not answer as failed (a retry would write it again). Its
      // cached copies are dropped by the next poll instead.
      logger?.warn({ err: error }, 'own writes: reading the row changes failed');
    }
    return payload;
  });
}
