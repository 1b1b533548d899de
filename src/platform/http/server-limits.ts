// What one connection may hold, set on Node's HTTP server (docs/security.md#limits-before-authentication):
// slow headers and slow bodies are cut (408), oversized request lines and headers refused (431), idle
// keep-alive connections closed, and connections past the cap closed as soon as they are accepted.
// Fastify's own defaults leave a request's time unbounded (requestTimeout 0) and connections uncapped.
import type { ServerOptions } from 'node:http';
import type { Socket } from 'node:net';
import type { FastifyInstance, FastifyServerOptions } from 'fastify';
import type { HttpLimits } from '../../config.js';
import { AppError, type ErrorKind } from '../errors.js';

/** How often Node looks for requests past their timeouts: often enough that a cut comes within ~10 % of the limit. */
function checkingIntervalMs(limits: HttpLimits): number {
  return Math.max(50, Math.min(1000, Math.floor(Math.min(limits.headersTimeoutMs, limits.requestTimeoutMs) / 10)));
}

/** Answers a request Node refused before Fastify saw it, in the API's `{code, message}` body, then closes. */
function clientErrorHandler(this: FastifyInstance, error: NodeJS.ErrnoException, socket: Socket): void {
  if (error.code === 'ECONNRESET' || socket.destroyed) return;
  const kind: ErrorKind =
    error.code === 'ERR_HTTP_REQUEST_TIMEOUT' ? 'REQUEST_TIMEOUT' : error.code === 'HPE_HEADER_OVERFLOW' ? 'HEADERS_TOO_LARGE' : 'INVALID_PARAMETERS';
  const refusal = kind === 'INVALID_PARAMETERS' ? new AppError(kind, 'Malformed HTTP request.') : new AppError(kind);
  // Client noise on the open internet: counted in the request log at debug level only.
  this.log.debug({ code: error.code, status: refusal.status }, 'connection refused before routing');
  if (socket.writable) {
    const body = JSON.stringify({ code: refusal.code, message: refusal.message });
    socket.write(
      `HTTP/1.1 ${refusal.status} ${kind === 'REQUEST_TIMEOUT' ? 'Request Timeout' : kind === 'HEADERS_TOO_LARGE' ? 'Request Header Fields Too Large' : 'Bad Request'}\r\n` +
        `Content-Type: application/json; charset=utf-8\r\nContent-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`,
    );
  }
  socket.destroy();
}

/** The Fastify options that bound connections and requests; the connection cap is set by capConnections. */
export function serverLimitOptions(limits: HttpLimits): Partial<FastifyServerOptions> & { http: ServerOptions } {
  return {
    bodyLimit: limits.bodyLimitBytes,
    requestTimeout: limits.requestTimeoutMs,
    keepAliveTimeout: limits.keepAliveTimeoutMs,
    http: {
      headersTimeout: limits.headersTimeoutMs,
      maxHeaderSize: limits.maxHeaderBytes,
      connectionsCheckingInterval: checkingIntervalMs(limits),
    },
    clientErrorHandler,
  };
}

/** Past `max` open connections Node closes each new one at once; the refusals are counted in the log. */
export function capConnections(app: FastifyInstance, max: number): void {
  app.server.maxConnections = max;
  let refused = 0;
  let reported = 0;
  app.server.on('drop', () => {
    refused += 1;
    // One warning per second at most, however fast connections are refused.
    const now = Date.now();
    if (now - reported >= 1000) {
      reported = now;
      app.log.warn({ maxConnections: max, refused }, 'connection cap reached: refusing new connections');
    }
  });
}
