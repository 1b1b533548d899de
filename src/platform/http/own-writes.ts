// Read-your-own-writes for cached rows: a request that wrote users, boards, pins or collaborators
// (row-writes.ts tells) answers only once this process has read its changes from the change log and
// dropped the cached copies, here, in Redis and (through pub/sub) in the other processes. The next
// request of the same client, wherever it lands, then loads the new rows.
import type { FastifyInstance } from 'fastify';
import type { ChangeStream } from '../changes/change-stream.js';
import type { RowWriteTracker } from '../db/row-writes.js';

export function registerOwnWrites(app: FastifyInstance, rowWrites: RowWriteTracker, changes: Pick<ChangeStream, 'poke'>): void {
  app.addHook('onRequest', (_request, _reply, done) => rowWrites.run(() => done()));
  app.addHook('onSend', async (_request, _reply, payload) => {
    if (rowWrites.wroteCachedRows()) await changes.poke();
    return payload;
  });
}
