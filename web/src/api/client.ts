// Talks to the server: the browser session (HttpOnly cookie, which script never sees) and GraphQL.
// The only secret script holds is the session's CSRF token, in memory, sent as X-CSRF-Token on
// every POST; nothing is kept in localStorage.

export interface Session {
  username: string;
  csrfToken: string;
}

/** A failure a screen can explain: a catalogue code (PIN_NOT_FOUND, NETWORK...) and a sentence. */
export class ApiError extends Error {
  constructor(
    readonly code: string,
    message: string,
    readonly status = 0,
  ) {
    super(message);
  }
  get notFound(): boolean {
    return this.status === 404 || /_NOT_FOUND$/.test(this.code);
  }
  get signedOut(): boolean {
    return this.code === 'AUTHENTICATION_FAILED' || this.status === 401;
  }
}

let csrfToken: string | null = null;
let loginCsrf: string | null = null;
/** Called when the server says the session ended (expired or revoked elsewhere). */
let onSignedOut: () => void = () => undefined;

export function whenSignedOut(callback: () => void): void {
  onSignedOut = callback;
}

async function send(url: string, init: RequestInit): Promise<Response> {
  try {
    return await fetch(url, { credentials: 'same-origin', ...init });
  } catch {
    throw new ApiError('NETWORK', 'Could not reach Corkboard. Check your connection and try again.');
  }
}

async function errorOf(response: Response): Promise<ApiError> {
  const body = (await response.json().catch(() => null)) as { message?: string; code?: number } | null;
  const message = body?.message ?? `The server answered ${response.status}.`;
  if (response.status === 401) return new ApiError('AUTHENTICATION_FAILED', message, 401);
  if (response.status === 429) return new ApiError('RATE_LIMITED', 'Too many requests just now; wait a moment and try again.', 429);
  return new ApiError(`HTTP_${response.status}`, message, response.status);
}

interface SessionBody {
  username: string;
  csrf_token: string;
}

function started(body: SessionBody): Session {
  csrfToken = body.csrf_token;
  return { username: body.username, csrfToken: body.csrf_token };
}

/** Who is signed in, or null (and the sign-in form's CSRF value kept for logIn). */
export async function currentSession(): Promise<Session | null> {
  const response = await send('/auth/session', { headers: { accept: 'application/json' } });
  if (!response.ok) throw await errorOf(response);
  const body = (await response.json()) as SessionBody | { username: null; login_csrf: string };
  if (body.username === null) {
    loginCsrf = body.login_csrf;
    csrfToken = null;
    return null;
  }
  return started(body);
}

function postSignIn(username: string, password: string): Promise<Response> {
  return send('/auth/session', {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-csrf-token': loginCsrf ?? '' },
    body: JSON.stringify({ username, password }),
  });
}

export async function logIn(username: string, password: string): Promise<Session> {
  if (!loginCsrf) await currentSession();
  let response = await postSignIn(username, password);
  if (response.status === 403) {
    // The sign-in form's value expired (it lasts an hour): take a fresh one and try once more.
    await currentSession();
    response = await postSignIn(username, password);
  }
  if (!response.ok) throw await errorOf(response);
  return started((await response.json()) as SessionBody);
}

/** Creates an account (POST /v5/accounts), then signs in with it. */
export async function signUp(username: string, email: string, password: string): Promise<Session> {
  const response = await send('/v5/accounts', {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ username, email, password }),
  });
  if (!response.ok) throw await errorOf(response);
  return logIn(username, password);
}

export async function logOut(): Promise<void> {
  const response = await send('/auth/session', { method: 'DELETE', headers: { 'x-csrf-token': csrfToken ?? '' } });
  if (!response.ok && response.status !== 401) throw await errorOf(response);
  csrfToken = null;
  loginCsrf = null;
}

interface GraphqlError {
  message: string;
  path?: Array<string | number>;
  extensions?: { code?: string };
}

export interface GraphqlResult<T> {
  data: T;
  /** Errors of fields that failed while others answered (e.g. a pin's board the viewer may not read). */
  errors: GraphqlError[];
}

/**
 * One GraphQL request. A request refused as a whole, or a field that failed where the screen needs
 * it (`required`: the top-level fields), throws an ApiError with the catalogue's code.
 */
export async function graphql<T>(query: string, variables: Record<string, unknown> = {}, required: string[] = []): Promise<GraphqlResult<T>> {
  // Queries go as GET (they change nothing, so they need no CSRF token and can start before the
  // session's token is known); mutations as POST with the token.
  const response = query.startsWith('query ')
    ? await send(`/graphql?${new URLSearchParams({ query, variables: JSON.stringify(variables) }).toString()}`, { headers: { accept: 'application/json' } })
    : await send('/graphql', {
        method: 'POST',
        headers: { 'content-type': 'application/json', accept: 'application/json', 'x-csrf-token': csrfToken ?? '' },
        body: JSON.stringify({ query, variables }),
      });
  const body = (await response.json().catch(() => null)) as { data?: T | null; errors?: GraphqlError[] } | null;
  const errors = body?.errors ?? [];
  const first = errors[0];
  if (!body?.data) {
    const error = first
      ? new ApiError(first.extensions?.code ?? `HTTP_${response.status}`, first.message, response.status)
      : await errorOf(response);
    if (error.signedOut) onSignedOut();
    throw error;
  }
  for (const field of required) {
    const failed = errors.find((error) => error.path?.[0] === field);
    if ((body.data as Record<string, unknown>)[field] == null) {
      const code = failed?.extensions?.code ?? 'NOT_FOUND';
      const error = new ApiError(code, failed?.message ?? 'Not found.', /_NOT_FOUND$/.test(code) ? 404 : 0);
      if (error.signedOut) onSignedOut();
      throw error;
    }
  }
  return { data: body.data, errors };
}

const prefetched = new Map<string, Promise<GraphqlResult<unknown>>>();

/**
 * Starts a screen's query before the screen is drawn (the first screen, while the session is being
 * checked); the screen's first request takes it instead of asking again.
 */
export function prefetch(query: string, variables: Record<string, unknown>, required: string[]): void {
  const pending = graphql(query, variables, required);
  // A screen that never asks for it (signed out: the log-in screen shows) leaves no unhandled rejection.
  pending.catch(() => undefined);
  prefetched.set(`${query}\n${JSON.stringify(variables)}`, pending);
}

/** The prefetched request for this query, once. */
export function takePrefetched<T>(query: string, variables: Record<string, unknown>): Promise<GraphqlResult<T>> | undefined {
  const key = `${query}\n${JSON.stringify(variables)}`;
  const pending = prefetched.get(key);
  prefetched.delete(key);
  return pending as Promise<GraphqlResult<T>> | undefined;
}

/** Drops prefetched answers (asked for while signed out, they hold only refusals). */
export function forgetPrefetched(): void {
  prefetched.clear();
}
