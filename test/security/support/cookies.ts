// Reading the cookies a reply sets, as a browser would keep them (the session tests).
import type { LightMyRequestResponse } from 'fastify';

/** The Set-Cookie headers of a reply as name -> the whole header. */
export function setCookies(reply: LightMyRequestResponse): Map<string, string> {
  const raw = reply.headers['set-cookie'];
  const list = raw === undefined ? [] : Array.isArray(raw) ? raw : [raw];
  return new Map(list.map((header) => [header.split('=', 1)[0]!, header]));
}

/** The value part of a Set-Cookie header. */
export function cookieValue(header: string): string {
  return header.slice(header.indexOf('=') + 1).split(';', 1)[0]!;
}
