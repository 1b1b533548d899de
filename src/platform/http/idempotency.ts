// Safe retries for POST: a request carrying `Idempotency-Key` is recorded with a fingerprint of its
// method, path and body. A retry with the same key and the same request replays the first response
// (with `Idempotent-Replayed: true`) and creates nothing; the same key with a different request is
// refused (422); a retry while the first is still running is refused (409). Server errors release
// the key so the client may retry. Records are per user and expire after a day.
//
// Records belong to a user, not to a token, so each keeps the scopes of the token that made the
// first request: a replay to a token lacking any of them is refused (403 MISSING_SCOPE) rather than
// handing it an answer it could not have got itself (a pin on a SECRET board to a token without
// pins:write_secret). Nothing secret is stored: routes whose answers are secrets (the OAuth token
// endpoints) declare `idempotency: { off: true }` and take no part (the header is ignored, nothing is
// recorded or replayed), and routes declare body fields such as passwords `secretFields`, which the
// stored fingerprint leaves out.
import { createHash } from 'node:crypto';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { AppError } from '../errors.js';
import type { IdempotencyStore } from './idempotency.repository.js';

declare module 'fastify' {
  interface FastifyRequest {
    idempotency: { userId: string; key: string } | null;
  }
  interface FastifyContextConfig {
    /** How the route takes part in Idempotency-Key (see the top of platform/http/idempotency.ts). */
    idempotency?: { off?: true; secretFields?: readonly string[] };
  }
}

const KEY_PATTERN = /^[\x21-\x7e]{1,255}$/;
/** An in-progress record older than this belongs to a request that died; a retry may take it over. */
export const ABANDONED_AFTER_MS = 60_000;
export const RETENTION_MS = 24 * 3600_000;
/** Anonymous requests (sign-up) share this owner id; their keys should be random. */
const ANONYMOUS = '0';

function fingerprint(request: FastifyRequest, secretFields: readonly string[]): string {
  let body = request.body ?? null;
  if (secretFields.length > 0 && body !== null && typeof body === 'object' && !Array.isArray(body)) {
    body = Object.fromEntries(Object.entries(body).filter(([name]) => !secretFields.includes(name)));
  }
  const hash = createHash('sha256');
  hash.update(request.method);
  hash.update('\0');
  hash.update(request.url);
  hash.update('\0');
  hash.update(JSON.stringify(body));
  return hash.digest('hex');
}

export function registerIdempotency(app: FastifyInstance, store: IdempotencyStore): void {
  app.decorateRequest('idempotency', null);

  app.addHook('preHandler', async (request: FastifyRequest, reply: FastifyReply) => {
    if (request.method !== 'POST') return;
    const header = request.headers['idempotency-key'];
    if (header === undefined) return;
    const settings = request.routeOptions.config.idempotency;
    if (settings?.off) return;
    const key = Array.isArray(header) ? header[0] : header;
    if (!key || !KEY_PATTERN.test(key)) {
      throw new AppError('INVALID_PARAMETERS', 'Idempotency-Key must be 1-255 visible ASCII characters.');
    }
    const userId = request.viewer?.userId ?? ANONYMOUS;
    const scopes: string[] = [...(request.viewer?.scopes ?? [])].sort();
    const print = fingerprint(request, settings?.secretFields ?? []);
    const outcome = await store.begin(userId, key, print, scopes, ABANDONED_AFTER_MS);
    if (outcome.kind === 'started') {
      request.idempotency = { userId, key };
      return;
    }
    if (outcome.fingerprint !== print) throw new AppError('IDEMPOTENCY_KEY_MISMATCH');
    const missing = outcome.scopes.filter((scope) => !scopes.includes(scope));
    if (missing.length > 0) {
      throw new AppError(
        'MISSING_SCOPE',
        `Authorization failed: the token lacks scope ${missing.join(', ')}, which the first request with this Idempotency-Key had.`,
      );
    }
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
