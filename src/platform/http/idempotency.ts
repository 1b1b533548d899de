// Safe retries for POST: a request carrying `Idempotency-Key` is recorded with a fingerprint of its
// method, path and body. A retry with the same key and the same request replays the first response
// (with `Idempotent-Replayed: true`) and creates nothing; the same key with a different request is
// refused (422); a retry while the first is still running is refused (409). Records are per user and
// expire after IDEMPOTENCY_RETENTION_HOURS.
//
// Crash consistency (Stripe's design): a keyed request runs in one unit of work (platform/db/
// unit-of-work.ts), a transaction every statement of the request joins, and its answer is recorded in
// that same transaction just before it commits, so the request's writes and its recorded answer exist
// together or not at all, whatever dies when (the process, its connection, the database). The answer
// is sent only after the commit: an acknowledged write is always replayable. While it runs, the key is
// held by an advisory lock of that transaction, which ends with it, so a dead process or connection
// frees its keys at once: a retry runs again instead of waiting out a lease. A refusal (4xx) undoes
// whatever the request wrote before recording the answer; a server error (5xx) rolls everything back
// and records nothing, so the client may retry.
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
import { unitOfWorkScope, type UnitOfWork, type UnitsOfWork } from '../db/unit-of-work.js';
import { errorBody, RETRY_AFTER_SECONDS, unexpectedError } from './error-handler.js';
import type { IdempotencyStore } from './idempotency.repository.js';

interface RunningKey {
  userId: string;
  key: string;
  fingerprint: string;
  scopes: string[];
  work: UnitOfWork;
  /** Taken before the handler ran: a refusal rolls back to it. */
  beforeHandler: string;
}

declare module 'fastify' {
  interface FastifyRequest {
    idempotency: RunningKey | null;
  }
  interface FastifyContextConfig {
    /** How the route takes part in Idempotency-Key (see the top of platform/http/idempotency.ts). */
    idempotency?: { off?: true; secretFields?: readonly string[] };
  }
}

const KEY_PATTERN = /^[\x21-\x7e]{1,255}$/;
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

export function registerIdempotency(app: FastifyInstance, store: IdempotencyStore, units: UnitsOfWork): void {
  app.decorateRequest('idempotency', null);
  // Every request that may write gets a scope a unit of work can be opened in (only keyed requests
  // open one); reads go without, sparing them an async context.
  app.addHook('onRequest', (request, _reply, done) => {
    if (request.method === 'GET' || request.method === 'HEAD') done();
    else unitOfWorkScope(() => done());
  });

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

    const work = await units.begin();
    let stored;
    try {
      if (!(await store.hold(userId, key))) throw new AppError('IDEMPOTENCY_KEY_IN_USE');
      stored = await store.find(userId, key);
      if (!stored) {
        request.idempotency = { userId, key, fingerprint: print, scopes, work, beforeHandler: await work.savepoint() };
        return;
      }
    } catch (error) {
      await work.rollback();
      throw error;
    }
    await work.rollback();
    if (stored.fingerprint !== print) throw new AppError('IDEMPOTENCY_KEY_MISMATCH');
    const missing = stored.scopes.filter((scope) => !scopes.includes(scope));
    if (missing.length > 0) {
      throw new AppError(
        'MISSING_SCOPE',
        `Authorization failed: the token lacks scope ${missing.join(', ')}, which the first request with this Idempotency-Key had.`,
      );
    }
    void reply.header('idempotent-replayed', 'true').header('content-type', 'application/json; charset=utf-8');
    return reply.status(stored.statusCode).send(stored.responseBody);
  });

  // Records the answer and commits, before the answer leaves: a client never holds an acknowledgement
  // of a write that could still be lost. (Hooks that must see the write committed use afterCommit.)
  app.addHook('onSend', async (request, reply, payload) => {
    const running = request.idempotency;
    if (!running) return payload;
    request.idempotency = null;
    const { work } = running;
    if (reply.statusCode >= 500) {
      await work.rollback();
      return payload;
    }
    try {
      if (reply.statusCode >= 400) await work.rollbackTo(running.beforeHandler);
      await store.save(running.userId, running.key, {
        fingerprint: running.fingerprint,
        scopes: running.scopes,
        statusCode: reply.statusCode,
        responseBody: typeof payload === 'string' ? payload : '',
      });
      await work.commit();
    } catch (error) {
      // Nothing committed (or, if the connection broke during COMMIT, possibly everything, answer
      // included): either way a retry with the key gets the truth.
      if (work.open) await work.rollback();
      const failure = unexpectedError(error);
      request.log.warn({ err: error }, 'request failed: its writes and answer could not be committed');
      void reply.status(failure.status).header('content-type', 'application/json; charset=utf-8');
      if (failure.status === 503) void reply.header('retry-after', String(RETRY_AFTER_SECONDS));
      return JSON.stringify(errorBody(failure));
    }
    return payload;
  });

  // A request that ended without an answer (onSend never ran) gives its connection back.
  app.addHook('onResponse', async (request) => {
    const running = request.idempotency;
    if (!running) return;
    request.idempotency = null;
    await running.work.rollback();
  });
}
