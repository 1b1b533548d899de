// Safe retries for POST: a request carrying `Idempotency-Key` is recorded with a fingerprint of its
// method, path and body. A retry with the same key and the same request replays the first response
// (with `Idempotent-Replayed: true`) and creates nothing; the same key with a different request is
// refused (422); a retry while the first is still running is refused (409). Server errors release
// the key so the client may retry. Records are per user and expire after a day.
import { createHash } from 'node:crypto';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { AppError } from '../errors.js';
import type { IdempotencyStore } from './idempotency.repository.js';

declare module 'fastify' {
  interface FastifyRequest {
    idempotency: { userId: string; key: string } | null;
  }
}

const KEY_PATTERN = /^[\x21-\x7e]{1,255}$/;
/** An in-progress record older than this belongs to a request that died; a retry may take it over. */
export const ABANDONED_AFTER_MS = 60_000;
export const RETENTION_MS = 24 * 3600_000;
/** Anonymous requests (sign-up, token exchange) share this owner id; their keys should be random. */
const ANONYMOUS = '0';

function fingerprint(request: FastifyRequest): string {
  const hash = createHash('sha256');
  hash.update(request.method);
  hash.update('\0');
  hash.update(request.url);
  hash.update('\0');
  hash.update(JSON.stringify(request.body ?? null));
  return hash.digest('hex');
}

export function registerIdempotency(app: FastifyInstance, store: IdempotencyStore): void {
  app.decorateRequest('idempotency', null);

  app.addHook('preHandler', async (request: FastifyRequest, reply: FastifyReply) => {
    if (request.method !== 'POST') return;
    const header = request.headers['idempotency-key'];
    if (header === undefined) return;
    const key = Array.isArray(header) ? header[0] : header;
    if (!key || !KEY_PATTERN.test(key)) {
      throw new AppError('INVALID_PARAMETERS', 'Idempotency-Key must be 1-255 visible ASCII characters.');
    }
    const userId = request.viewer?.userId ?? ANONYMOUS;
    const print = fingerprint(request);
    const outcome = await store.begin(userId, key, print, ABANDONED_AFTER_MS);
    if (outcome.kind === 'started') {
      request.idempotency = { userId, key };
      return;
    }
    if (outcome.fingerprint !== print) throw new AppError('IDEMPOTENCY_KEY_MISMATCH');
    if (outcome.kind === 'in_progress') throw new AppError('IDEMPOTENCY_KEY_IN_USE');
    void reply.header('idempotent-replayed', 'true').header('content-type', 'application/json; charset=utf-8');
    return reply.status(outcome.statusCode).send(outcome.responseBody);
  });

  app.addHook('onSend', async (request, reply, payload) => {
    const record = request.idempotency;
    if (!record) return payload;
    request.idempotency = null;
    if (reply.statusCode >= 500) {
      await store.release(record.userId, record.key);
    } else {
      await store.complete(record.userId, record.key, reply.statusCode, typeof payload === 'string' ? payload : '');
    }
    return payload;
  });

  // A request that failed before onSend (connection reset) must not keep its key locked for long:
  // ABANDONED_AFTER_MS bounds that.
}
