// What browsers are told about every answer (docs/security.md#browsers): security headers by
// @fastify/helmet on every response, and CORS by @fastify/cors for the origins in CORS_ORIGINS only.
//
// Every answer gets the strictest policy, made for JSON: nothing may load, frame or be framed
// (`default-src 'none'; frame-ancestors 'none'`), with nosniff and no referrer. An HTML page is
// therefore locked down unless its route opts into more, with `helmet: pagePolicy(...)` (server-
// rendered pages: their <style> blocks by hash, no script) or `helmet: scriptedPagePolicy` (GraphiQL).
import { createHash } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import cors from '@fastify/cors';
import helmet, { type FastifyHelmetOptions } from '@fastify/helmet';

export interface BrowserSecurityOptions {
  /** Origins (scheme://host[:port]) allowed to call the API from a page of theirs; `*` for any. Empty: CORS off. */
  corsOrigins: readonly string[];
  /** https: browsers are told to come back over https only (HSTS). */
  publicBaseUrl: string;
}

type Directives = Record<string, string[]>;

/** What nothing of ours needs: no plugins, no <base>, no framing by any site. */
const ALWAYS: Directives = {
  'object-src': ["'none'"],
  'base-uri': ["'none'"],
  'frame-ancestors': ["'none'"],
};

function csp(directives: Directives): FastifyHelmetOptions['contentSecurityPolicy'] {
  // useDefaults would add helmet's own list (script-src 'self', style-src https: 'unsafe-inline', ...).
  return { useDefaults: false, directives: { ...directives, ...ALWAYS } };
}

/** JSON, images, anything that is not a page: nothing loads, nothing is submitted. */
const API_POLICY = csp({ 'default-src': ["'none'"], 'form-action': ["'none'"] });

/** The hash source of a <style> element's text, for a policy that allows that element and no other inline style. */
export function styleHash(css: string): string {
  return `'sha256-${createHash('sha256').update(css, 'utf8').digest('base64')}'`;
}

/**
 * A server-rendered page: no script at all, only the <style> elements given (by hash), inline SVG
 * and data: images, forms posted to this site only.
 */
export function pagePolicy(...styles: string[]): FastifyHelmetOptions {
  return {
    contentSecurityPolicy: csp({
      'default-src': ["'none'"],
      'style-src': styles.map(styleHash),
      'img-src': ['data:'],
      'form-action': ["'self'"],
    }),
  };
}

/**
 * A page running our own scripts (GraphiQL): scripts, workers and requests to this site only,
 * nothing inline but styles (Monaco, the editor, adds <style> elements at run time).
 */
export const scriptedPagePolicy: FastifyHelmetOptions = {
  contentSecurityPolicy: csp({
    'default-src': ["'self'"],
    'script-src': ["'self'"],
    'worker-src': ["'self'"],
    'style-src': ["'self'", "'unsafe-inline'"],
    'img-src': ["'self'", 'data:', 'blob:'],
    'font-src': ["'self'", 'data:'],
    'connect-src': ["'self'"],
    'form-action': ["'self'"],
  }),
};

/**
 * The web app (React, built by Vite): its own scripts, styles and fonts from this site, requests to
 * this site, images from this site, from the public address pin images are served at (which may name
 * the server otherwise than the browser did), and data:/blob: (the preview of an image to upload).
 * Nothing inline: the build has no inline script or style element.
 */
export function appPagePolicy(publicBaseUrl: string): FastifyHelmetOptions {
  const images = ["'self'", new URL(publicBaseUrl).origin, 'data:', 'blob:'];
  return {
    contentSecurityPolicy: csp({
      'default-src': ["'none'"],
      'script-src': ["'self'"],
      'style-src': ["'self'"],
      'img-src': [...new Set(images)],
      'font-src': ["'self'", 'data:'],
      'connect-src': ["'self'"],
      'manifest-src': ["'self'"],
      'form-action': ["'self'"],
    }),
  };
}

/** Image files: other sites' pages may show them in <img> (a CDN's images are embeddable too). */
export const embeddableResource: FastifyHelmetOptions = {
  crossOriginResourcePolicy: { policy: 'cross-origin' },
};

/** Headers a page on another origin may read from our answers. */
const EXPOSED_HEADERS = ['x-request-id', 'retry-after', 'etag', 'location'];
/** Request headers such a page may send. */
const ALLOWED_HEADERS = ['authorization', 'content-type', 'idempotency-key', 'if-none-match', 'x-request-id'];
/** How long a browser may reuse a preflight answer (Chromium caps it at 2 hours). */
const PREFLIGHT_MAX_AGE_SECONDS = 7200;

export async function registerBrowserSecurity(app: FastifyInstance, options: BrowserSecurityOptions): Promise<void> {
  await app.register(helmet, {
    global: true,
    contentSecurityPolicy: API_POLICY,
    frameguard: { action: 'deny' },
    referrerPolicy: { policy: 'no-referrer' },
    // HSTS over http would be ignored by browsers, and would be wrong on a local quick start.
    hsts: options.publicBaseUrl.startsWith('https://') ? { maxAge: 365 * 24 * 3600, includeSubDomains: false } : false,
  });

  if (options.corsOrigins.length === 0) return;
  const any = options.corsOrigins.includes('*');
  const allowed = new Set(options.corsOrigins);
  await app.register(cors, {
    // An origin not listed gets no CORS header at all (and its preflight a 404), not a partial set.
    origin: (origin, callback) => callback(null, any ? '*' : origin !== undefined && allowed.has(origin) ? origin : false),
    methods: ['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE'],
    allowedHeaders: ALLOWED_HEADERS,
    exposedHeaders: EXPOSED_HEADERS,
    // Bearer tokens, not cookies: the session cookie is for this site's own pages (SameSite=Lax).
    credentials: false,
    maxAge: PREFLIGHT_MAX_AGE_SECONDS,
  });
}
