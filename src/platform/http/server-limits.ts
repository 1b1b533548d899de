// What one connection may hold, set on Node's HTTP server (docs/security.md#limits-before-authentication):
// slow headers and slow bodies are cut (408), oversized request lines and headers refused (431), idle
// keep-alive connections closed, and connections past the cap (in all, and per client address) closed
// as soon as they are accepted. Fastify's own defaults leave a request's time unbounded (requestTimeout
// 0) and connections uncapped.
import type { ServerOptions } from 'node:http';
import { BlockList, isIPv6, type Socket } from 'node:net';
import type { FastifyInstance, FastifyServerOptions } from 'fastify';
import rateLimit from '@fastify/rate-limit';
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

/** proxy-addr's named ranges, which TRUST_PROXY accepts as Fastify's trustProxy does. */
const NAMED_RANGES: Record<string, Array<[string, number]>> = {
  loopback: [['127.0.0.1', 8], ['::1', 128]],
  linklocal: [['169.254.0.0', 16], ['fe80::', 10]],
  uniquelocal: [['10.0.0.0', 8], ['172.16.0.0', 12], ['192.168.0.0', 16], ['fc00::', 7]],
};

/** A TRUST_PROXY entry (an address, a CIDR or a named range) as networks and prefix lengths. */
function subnetsOf(entry: string): Array<[string, number]> {
  const named = NAMED_RANGES[entry.toLowerCase()];
  if (named) return named;
  const [network = entry, prefix] = entry.split('/');
  return [[network, prefix === undefined ? (isIPv6(network) ? 128 : 32) : Number(prefix)]];
}

/**
 * Whether a connection's peer is a proxy TRUST_PROXY trusts (its connections carry many clients):
 * none when off; every peer for `true` or a hop count (Fastify then trusts the nearest hop whatever
 * its address); else the listed addresses and ranges.
 */
export function trustedPeer(setting: boolean | number | string[]): (address: string) => boolean {
  if (setting === false || setting === 0) return () => false;
  if (!Array.isArray(setting)) return () => true;
  const list = new BlockList();
  for (const [network, prefix] of setting.flatMap(subnetsOf)) list.addSubnet(network, prefix, isIPv6(network) ? 'ipv6' : 'ipv4');
  return (address) => {
    const plain = address.startsWith('::ffff:') && !isIPv6(address.slice(7)) ? address.slice(7) : address;
    return list.check(plain, isIPv6(plain) ? 'ipv6' : 'ipv4');
  };
}

/**
 * Past `max` open connections from one client address (an IPv6 /64, as rate limits count), each new
 * one from it is closed as soon as it is accepted, without an answer, as past MAX_CONNECTIONS, so
 * one client cannot hold all of them. Connections from trusted proxies (TRUST_PROXY) are not counted:
 * each carries many clients, whose addresses are known only once a request arrives. 0: no cap.
 */
export function capConnectionsPerAddress(app: FastifyInstance, max: number, trusted: (address: string) => boolean): void {
  if (max <= 0) return;
  const open = new Map<string, number>();
  let refused = 0;
  let reported = 0;
  app.server.on('connection', (socket: Socket) => {
    const address = socket.remoteAddress;
    if (!address || trusted(address)) return;
    const key = rateLimit.normalizeIP(address, 64);
    const count = open.get(key) ?? 0;
    if (count >= max) {
      socket.destroy();
      refused += 1;
      const now = Date.now();
      if (now - reported >= 1000) {
        reported = now;
        app.log.warn({ maxConnectionsPerAddress: max, address: key, refused }, 'connection cap per address reached: refusing its new connections');
      }
      return;
    }
    open.set(key, count + 1);
    socket.once('close', () => {
      const left = (open.get(key) ?? 1) - 1;
      if (left <= 0) open.delete(key);
      else open.set(key, left);
    });
  });
}
