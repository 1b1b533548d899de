// Request bodies are bounded before anybody is authenticated and before a byte is buffered
// (docs/security.md#limits-before-authentication). Every route takes BODY_LIMIT_BYTES (Fastify's
// bodyLimit). A route that takes uploads (a base64 image: POST /v5/pins, POST /graphql) declares a
// larger `bodyLimit` and `config.uploadScopes`: only a request whose bearer token (checked in
// onRequest, before the body) holds those scopes gets the larger limit; anyone else, anonymous
// callers first, keeps the small one. Fastify itself would have read a 28 MB body from anybody on
// such a route before answering 401.
//
// A body announced larger than its limit (Content-Length) is refused before it is read; a chunked
// body is counted as it streams and refused as soon as it passes the limit. Either way the answer
// is 413 PAYLOAD_TOO_LARGE and the connection is closed after it, so the rest is never buffered.
import { Socket } from 'node:net';
import { Transform, type TransformCallback } from 'node:stream';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { AppError } from '../errors.js';
import { hasScope, type Scope } from './viewer.js';

declare module 'fastify' {
  interface FastifyContextConfig {
    /** The route's own (larger) bodyLimit applies only to requests whose token holds these scopes. */
    uploadScopes?: readonly Scope[];
  }
}

export interface BodyLimitOptions {
  /** BODY_LIMIT_BYTES: every body but an authorised upload. */
  bodyLimitBytes: number;
}

/** How long the rest of a refused body is read and dropped before its connection is closed. */
const LINGER_MS = 2000;

/** The base64 text of an image of `imageBytes` (4 characters per 3 bytes) plus the JSON around it. */
export function uploadBodyLimit(imageBytes: number): number {
  return Math.ceil(imageBytes / 3) * 4 + 64 * 1024;
}

/** Counts a body as it streams and fails it as soon as it is larger than `limit`. */
class BodyCounter extends Transform {
  private received = 0;
  constructor(private readonly limit: number) {
    super();
  }
  /** Read by Fastify's body reader, which also enforces its own limit on it. */
  get receivedEncodedLength(): number {
    return this.received;
  }
  override _transform(chunk: Buffer, _encoding: BufferEncoding, callback: TransformCallback): void {
    this.received += chunk.length;
    if (this.received > this.limit) callback(new AppError('PAYLOAD_TOO_LARGE'));
    else callback(null, chunk);
  }
}

function limitFor(request: FastifyRequest, small: number): number {
  const routeLimit = request.routeOptions.bodyLimit ?? small;
  const scopes = request.routeOptions.config.uploadScopes;
  if (routeLimit <= small || (scopes && scopes.every((scope) => hasScope(request.viewer, scope)))) return routeLimit;
  return small;
}

/** A 413 sent before the body was read whole (a GraphQL query text over its own limit was read whole: nothing to drop). */
function refusedMidBody(request: FastifyRequest, status: number): boolean {
  return status === 413 && !request.raw.complete;
}

export function registerBodyLimits(app: FastifyInstance, options: BodyLimitOptions): void {
  app.addHook('preParsing', async (request, _reply, payload) => {
    const limit = limitFor(request, options.bodyLimitBytes);
    const announced = Number(request.headers['content-length']);
    if (announced > limit) throw new AppError('PAYLOAD_TOO_LARGE');
    if (Number.isNaN(announced) && request.headers['transfer-encoding'] === undefined) return payload; // no body
    // A known length within the limit: Fastify checks that the body is no longer than announced.
    if (!Number.isNaN(announced) || limit === request.routeOptions.bodyLimit) return payload;
    return payload.pipe(new BodyCounter(limit));
  });
  // The rest of a refused body is never kept: once the 413 is sent the connection is half-closed, what
  // the client still sends is read and dropped for LINGER_MS, then the connection is closed. Closing at
  // once would make the kernel answer the client's next bytes with a reset, which can destroy the 413
  // before the client reads it (nginx's lingering close, for the same reason).
  // Fastify marks a body it stopped reading `Connection: close`, which closes at once: lingering replaces it.
  app.addHook('onSend', async (request, reply, payload) => {
    if (refusedMidBody(request, reply.statusCode)) reply.removeHeader('connection');
    return payload;
  });
  app.addHook('onResponse', async (request, reply) => {
    if (!refusedMidBody(request, reply.statusCode)) return;
    const socket = request.raw.socket;
    // Injected requests (tests) have no real connection.
    if (!(socket instanceof Socket) || socket.destroyed) return;
    request.raw.resume();
    socket.end();
    setTimeout(() => socket.destroy(), LINGER_MS).unref();
  });
}
