// Browser sessions over HTTP: the cookie, the viewer it resolves to, and CSRF protection.
//
// - The cookie: `__Host-corkboard_session` (`corkboard_session` when PUBLIC_BASE_URL is not https,
//   for local development), HttpOnly, SameSite=Lax, Path=/, Secure when PUBLIC_BASE_URL is https,
//   Max-Age = SESSION_TTL_SECONDS. Script cannot read it, other sites' pages cannot send it with a
//   POST, and the `__Host-` prefix keeps subdomains from planting one.
// - Only routes that declare `config.session` accept it (the HTML pages, /auth/session, and /graphql,
//   which the web app calls): the v5 REST API stays bearer-only, so no REST route needs CSRF care.
//   A bearer token, when sent, wins over the cookie.
// - CSRF: a request authenticated by the cookie with an unsafe method (POST, PUT, PATCH, DELETE)
//   must carry the session's CSRF token, in the `X-CSRF-Token` header (script) or the `csrf` form
//   field (forms). Routes declaring `session: 'form'` check it themselves (to answer with a page);
//   any other session route is refused with 403 CSRF_TOKEN_INVALID before its handler runs.
// - Signing in has no session yet: its form carries a random value that is also set in a
//   short-lived SameSite=Strict cookie (double submit), so another site cannot sign a browser in.
import { randomBytes, timingSafeEqual } from 'node:crypto';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { AppError } from '../platform/errors.js';
import { csrfTokenMatches, type SessionService } from './session.service.js';

declare module 'fastify' {
  interface FastifyRequest {
    /** The session secret, when the viewer was resolved from the session cookie. */
    session: { secret: string } | null;
  }
  interface FastifyContextConfig {
    /** Accept the browser session cookie; 'form': the handler checks CSRF itself. */
    session?: true | 'form';
  }
}

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);
const LOGIN_CSRF_MAX_AGE_S = 3600;

export interface SessionCookieSettings {
  secure: boolean;
  ttlSeconds: number;
}

export function sessionCookieSettings(publicBaseUrl: string, ttlSeconds: number): SessionCookieSettings {
  return { secure: publicBaseUrl.startsWith('https:'), ttlSeconds };
}

function names(settings: SessionCookieSettings) {
  const prefix = settings.secure ? '__Host-' : '';
  return { session: `${prefix}corkboard_session`, login: `${prefix}corkboard_login` };
}

function baseOptions(settings: SessionCookieSettings) {
  return { path: '/', httpOnly: true, secure: settings.secure };
}

export function setSessionCookie(reply: FastifyReply, settings: SessionCookieSettings, secret: string): void {
  void reply.setCookie(names(settings).session, secret, { ...baseOptions(settings), sameSite: 'lax', maxAge: settings.ttlSeconds });
  void reply.clearCookie(names(settings).login, { ...baseOptions(settings), sameSite: 'strict' });
}

export function clearSessionCookie(reply: FastifyReply, settings: SessionCookieSettings): void {
  void reply.clearCookie(names(settings).session, { ...baseOptions(settings), sameSite: 'lax' });
}

/** The sign-in form's CSRF value: the one already in the browser's cookie, or a new one set now. */
export function loginCsrfFor(request: FastifyRequest, reply: FastifyReply, settings: SessionCookieSettings): string {
  const existing = request.cookies[names(settings).login];
  if (existing && /^[\w-]{43}$/.test(existing)) return existing;
  const value = randomBytes(32).toString('base64url');
  void reply.setCookie(names(settings).login, value, { ...baseOptions(settings), sameSite: 'strict', maxAge: LOGIN_CSRF_MAX_AGE_S });
  return value;
}

export function loginCsrfMatches(request: FastifyRequest, settings: SessionCookieSettings, given: string | undefined): boolean {
  const expected = request.cookies[names(settings).login];
  if (!expected || !given) return false;
  const a = Buffer.from(expected);
  const b = Buffer.from(given);
  return a.length === b.length && timingSafeEqual(a, b);
}

/** The CSRF token a session request carries: the header, or the `csrf` field of a form body. */
export function csrfTokenSent(request: FastifyRequest): string | undefined {
  const header = request.headers['x-csrf-token'];
  if (typeof header === 'string') return header;
  const body = request.body as { csrf?: unknown } | null | undefined;
  return typeof body?.csrf === 'string' ? body.csrf : undefined;
}

export function hasValidCsrf(request: FastifyRequest): boolean {
  return request.session !== null && csrfTokenMatches(request.session.secret, csrfTokenSent(request));
}

export function registerSessions(app: FastifyInstance, sessions: SessionService, settings: SessionCookieSettings): void {
  app.decorateRequest('session', null);
  app.addHook('onRequest', async (request) => {
    if (request.viewer || !request.routeOptions.config.session) return;
    const secret = request.cookies[names(settings).session];
    if (!secret) return;
    const viewer = await sessions.verify(secret);
    // An expired or revoked session is no session: the page asks to sign in again.
    if (!viewer) return;
    request.viewer = viewer;
    request.session = { secret };
  });
  app.addHook('preHandler', async (request) => {
    if (!request.session || SAFE_METHODS.has(request.method) || request.routeOptions.config.session === 'form') return;
    if (!hasValidCsrf(request)) throw new AppError('CSRF_TOKEN_INVALID');
  });
}
