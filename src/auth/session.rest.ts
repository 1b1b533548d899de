// Signing in and out in a browser: GET /login (the form), POST /login (starts a session: cookie,
// then 303 to the page asked for), POST /logout (revokes it), and GET /auth/session, which tells a
// page's script who is signed in and the session's CSRF token for the X-CSRF-Token header (the web
// app reads it once at start). Pages answer in HTML, with the headers of every HTML page here.
import type { FastifyInstance, FastifyReply } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { isAppError } from '../platform/errors.js';
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
const LogoutBody = Type.Object({ csrf: Type.Optional(Type.String({ maxLength: 256 })) }, { additionalProperties: false });

function page(reply: FastifyReply, status: number, html: string): FastifyReply {
  return reply.code(status).headers(HTML_HEADERS).send(html);
}

export async function sessionRoutes(app: FastifyInstance, deps: SessionRoutesDeps): Promise<void> {
  const api = app.withTypeProvider<TypeBoxTypeProvider>();
  const { cookies } = deps;

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
        await deps.passwordAttempts.admit(body.username, clientAddress(request));
        const started = await deps.sessions.signIn(body.username, body.password);
        await deps.passwordAttempts.succeeded(body.username, clientAddress(request));
        setSessionCookie(reply, cookies, started.secret);
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

  api.get('/auth/session', { config: { session: true }, schema: { hide: true } }, async (request, reply) => {
    void reply.header('cache-control', 'no-store');
    if (!request.session || !request.viewer) return reply.code(401).send({ code: 2, message: 'Not signed in.' });
    const viewer = request.viewer as SessionViewer;
    return {
      username: viewer.username,
      scopes: [...viewer.scopes],
      expires_at: viewer.sessionExpiresAt.toISOString(),
      csrf_token: csrfTokenOf(request.session.secret),
    };
  });
}
