// Signing in and out in a browser: GET /login (the form), POST /login (starts a session: cookie,
// then 303 to the page asked for), POST /logout (revokes it), and GET /auth/session, which tells a
// page's script who is signed in and the session's CSRF token for the X-CSRF-Token header (the web
// app reads it once at start). Pages answer in HTML, with the headers of every HTML page here.
// The web app signs in and out with JSON instead: POST /auth/session (the same check and cookie as
// POST /login, its double-submit value in X-CSRF-Token, given by GET /auth/session's 401) and
// DELETE /auth/session (with the session's CSRF token, like every request the cookie authenticates).
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { AppError, isAppError } from '../platform/errors.js';
import { HTML_HEADERS } from '../platform/http/html.js';
import { csrfTokenOf, type SessionService, type SessionViewer } from './session.service.js';
import {
  clearSessionCookie,
  hasValidCsrf,
  loginCsrfFor,
  loginCsrfMatches,
  setSessionCookie,
  type SessionCookieSettings,
} from './session-http.js';
import { LOGIN_PAGE_STYLE, renderLoginPage } from './login-page.html.js';
import { pagePolicy } from '../platform/http/browser-security.js';
import type { PasswordAttempts } from './password-attempts.js';
import { clientAddress } from '../platform/http/rate-limits.js';

export interface SessionRoutesDeps {
  sessions: SessionService;
  cookies: SessionCookieSettings;
  passwordAttempts: PasswordAttempts;
}

const DEFAULT_NEXT = '/experiments';
/** The sign-in form is the only page these routes show. */
const LOGIN_PAGE_POLICY = pagePolicy(LOGIN_PAGE_STYLE);

/** Only a path on this site: no scheme, no `//host`, no backslash tricks. */
export function safeNext(next: string | undefined): string {
  return next && /^\/(?![/\\])[^\s\\]*$/.test(next) && next.length <= 2048 ? next : DEFAULT_NEXT;
}

const LoginQuery = Type.Object({ next: Type.Optional(Type.String({ maxLength: 2048 })) });
const LoginBody = Type.Object(
  {
    username: Type.String({ minLength: 1, maxLength: 254 }),
    password: Type.String({ minLength: 1, maxLength: 256 }),
    csrf: Type.Optional(Type.String({ maxLength: 256 })),
    next: Type.Optional(Type.String({ maxLength: 2048 })),
  },
  { additionalProperties: false },
);
const SignInBody = Type.Object(
  { username: Type.String({ minLength: 1, maxLength: 254 }), password: Type.String({ minLength: 1, maxLength: 256 }) },
  { additionalProperties: false },
);
const LogoutBody = Type.Object({ csrf: Type.Optional(Type.String({ maxLength: 256 })) }, { additionalProperties: false });

function page(reply: FastifyReply, status: number, html: string): FastifyReply {
  return reply.code(status).headers(HTML_HEADERS).send(html);
}

/** Who is signed in, and the token the page's script sends as X-CSRF-Token. */
function sessionBody(viewer: SessionViewer, secret: string) {
  return {
    username: viewer.username,
    scopes: [...viewer.scopes],
    expires_at: viewer.sessionExpiresAt.toISOString(),
    csrf_token: csrfTokenOf(secret),
  };
}

export async function sessionRoutes(app: FastifyInstance, deps: SessionRoutesDeps): Promise<void> {
  const api = app.withTypeProvider<TypeBoxTypeProvider>();
  const { cookies } = deps;

  /** Checks the password (bounded per username), starts a session and sets its cookie. */
  async function signIn(request: FastifyRequest, reply: FastifyReply, username: string, password: string) {
    await deps.passwordAttempts.admit(username, clientAddress(request));
    const started = await deps.sessions.signIn(username, password);
    await deps.passwordAttempts.succeeded(username, clientAddress(request));
    setSessionCookie(reply, cookies, started.secret);
    return started;
  }

  api.get('/login', { helmet: LOGIN_PAGE_POLICY, config: { session: 'form' }, schema: { hide: true, querystring: LoginQuery } }, async (request, reply) => {
    const csrf = loginCsrfFor(request, reply, cookies);
    return page(reply, 200, renderLoginPage({ status: 200, message: null, csrf, next: safeNext(request.query.next) }));
  });

  api.post(
    '/login',
    {
      helmet: LOGIN_PAGE_POLICY,
      config: { session: 'form', idempotency: { off: true }, rateCategory: 'authentication' },
      attachValidation: true,
      schema: { hide: true, body: LoginBody },
    },
    async (request, reply) => {
      const body = request.validationError ? null : request.body;
      const next = safeNext(body?.next);
      if (!body || !loginCsrfMatches(request, cookies, body.csrf)) {
        const csrf = loginCsrfFor(request, reply, cookies);
        return page(reply, 403, renderLoginPage({ status: 403, message: 'This form is out of date or came from another site: please sign in again.', csrf, next }));
      }
      try {
        await signIn(request, reply, body.username, body.password);
        return reply.code(303).header('location', next).header('cache-control', 'no-store').send();
      } catch (error) {
        if (!isAppError(error) || (error.kind !== 'INVALID_GRANT' && error.kind !== 'SIGN_IN_ATTEMPTS_EXCEEDED')) throw error;
        const csrf = loginCsrfFor(request, reply, cookies);
        if (error.kind === 'INVALID_GRANT') return page(reply, 401, renderLoginPage({ status: 401, message: 'Wrong username or password.', csrf, next }));
        void reply.header('retry-after', String(error.retryAfterSeconds ?? 1));
        return page(reply, 429, renderLoginPage({ status: 429, message: 'Too many sign-in attempts for this username: try again later.', csrf, next }));
      }
    },
  );

  api.post(
    '/logout',
    { helmet: LOGIN_PAGE_POLICY, config: { session: 'form', idempotency: { off: true } }, attachValidation: true, schema: { hide: true, body: LogoutBody } },
    async (request, reply) => {
      if (request.session && !hasValidCsrf(request)) {
        const csrf = loginCsrfFor(request, reply, cookies);
        return page(reply, 403, renderLoginPage({ status: 403, message: 'This sign-out form is out of date or came from another site; you are still signed in.', csrf, next: DEFAULT_NEXT }));
      }
      if (request.session) await deps.sessions.signOut(request.session.secret);
      clearSessionCookie(reply, cookies);
      return reply.code(303).header('location', '/login').header('cache-control', 'no-store').send();
    },
  );

  // Signed out: `username: null`, with the value POST /auth/session needs (also set in the sign-in
  // cookie). A 200 either way: a page asking whether anyone is signed in did nothing wrong.
  api.get('/auth/session', { config: { session: true }, schema: { hide: true } }, async (request, reply) => {
    void reply.header('cache-control', 'no-store');
    if (!request.session || !request.viewer) return { username: null, login_csrf: loginCsrfFor(request, reply, cookies) };
    return sessionBody(request.viewer as SessionViewer, request.session.secret);
  });

  api.post(
    '/auth/session',
    { config: { idempotency: { off: true }, rateCategory: 'authentication' }, schema: { hide: true, body: SignInBody } },
    async (request, reply) => {
      void reply.header('cache-control', 'no-store');
      const csrf = request.headers['x-csrf-token'];
      if (!loginCsrfMatches(request, cookies, typeof csrf === 'string' ? csrf : undefined)) throw new AppError('CSRF_TOKEN_INVALID');
      try {
        const started = await signIn(request, reply, request.body.username, request.body.password);
        return sessionBody({ ...started.viewer, sessionExpiresAt: started.expiresAt }, started.secret);
      } catch (error) {
        // One answer for an unknown username and a wrong password, as the token endpoint gives.
        if (isAppError(error) && error.kind === 'INVALID_GRANT') throw new AppError('INVALID_GRANT', 'Wrong username or password.');
        throw error;
      }
    },
  );

  // The cookie's requests other than GET need the session's CSRF token (session-http.ts): a forged
  // sign-out is refused before this runs. Without a session there is nothing to end: 204 too.
  api.delete('/auth/session', { config: { session: true, idempotency: { off: true } }, schema: { hide: true } }, async (request, reply) => {
    if (request.session) await deps.sessions.signOut(request.session.secret);
    clearSessionCookie(reply, cookies);
    return reply.code(204).header('cache-control', 'no-store').send();
  });
}
