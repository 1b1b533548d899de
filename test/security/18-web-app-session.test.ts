// The web app's browser session (issue 16): it asks GET /auth/session who is signed in, signs in with
// JSON at POST /auth/session (the sign-in form's double-submit value in X-CSRF-Token), holds the same HttpOnly, SameSite=Lax cookie as the
// administration pages, and calls /graphql with it. Every POST the cookie authenticates, query or
// mutation, needs the session's CSRF token; without it the answer is 403 and nothing changes. A
// bearer token keeps working (and wins over a cookie). Signing out revokes the session at once.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp, type TestUser } from '../support/test-app.js';
import { cookieValue, setCookies } from './support/cookies.js';

let t: TestApp;
let ana: TestUser;
let ben: TestUser;

async function sessionRows() {
  return t.container.db.selectFrom('sessions').selectAll().orderBy('id').execute();
}

async function boardNames(user: TestUser): Promise<string[]> {
  const reply = await t.request({ method: 'GET', url: '/v5/boards', as: user });
  return reply.json<{ items: Array<{ name: string }> }>().items.map((board) => board.name);
}

/** What the web app does at start and on "Log in": asks for the session, then posts the password. */
async function webSignIn(username: string, password = `pw-${username}-secret`) {
  const probe = await t.request({ method: 'GET', url: '/auth/session' });
  expect(probe.statusCode).toBe(200);
  expect(probe.json<{ username: unknown }>().username).toBeNull();
  const loginCsrf = probe.json<{ login_csrf: string }>().login_csrf;
  expect(loginCsrf).toMatch(/^[\w-]{43}$/);
  const loginCookie = setCookies(probe).get('corkboard_login')!;
  expect(cookieValue(loginCookie)).toBe(loginCsrf);
  const reply = await t.request({
    method: 'POST',
    url: '/auth/session',
    headers: { cookie: `corkboard_login=${loginCsrf}`, 'x-csrf-token': loginCsrf },
    payload: { username, password },
  });
  return { reply, loginCsrf };
}

interface Browser {
  cookie: string;
  csrf: string;
}

async function signedIn(username: string): Promise<Browser> {
  const { reply } = await webSignIn(username);
  expect(reply.statusCode, reply.body).toBe(200);
  return { cookie: `corkboard_session=${cookieValue(setCookies(reply).get('corkboard_session')!)}`, csrf: reply.json<{ csrf_token: string }>().csrf_token };
}

function graphql(browser: Partial<Browser>, query: string, variables: Record<string, unknown> = {}, headers: Record<string, string> = {}) {
  return t.request({
    method: 'POST',
    url: '/graphql',
    headers: { ...(browser.cookie ? { cookie: browser.cookie } : {}), ...(browser.csrf ? { 'x-csrf-token': browser.csrf } : {}), ...headers },
    payload: { query, variables },
  });
}

const WHO_AM_I = '{ viewer { user { username } } }';
const CREATE_BOARD = 'mutation ($name: String!) { createBoard(input: { name: $name }) { name } }';

beforeAll(async () => {
  t = await createTestApp();
  ana = await t.signUp('ana');
  ben = await t.signUp('ben');
});
afterAll(async () => t?.close());

describe('signing in from the web app', () => {
  it('refuses a sign-in without the matching double-submit value, and a wrong password, creating no session', async () => {
    const before = await sessionRows();
    const probe = await t.request({ method: 'GET', url: '/auth/session' });
    const loginCsrf = probe.json<{ login_csrf: string }>().login_csrf;
    const attempts = [
      // Another site's page can send neither the Strict cookie nor read the value.
      { headers: { 'x-csrf-token': loginCsrf } },
      { headers: { cookie: `corkboard_login=${loginCsrf}` } },
      { headers: { cookie: `corkboard_login=${loginCsrf}`, 'x-csrf-token': 'forged' } },
    ];
    for (const { headers } of attempts) {
      const reply = await t.request({ method: 'POST', url: '/auth/session', headers, payload: { username: 'ana', password: 'pw-ana-secret' } });
      expect(reply.statusCode).toBe(403);
      expect(reply.json()).toMatchObject({ code: 4031 });
      expect([...setCookies(reply).keys()]).not.toContain('corkboard_session');
    }
    const wrong = await webSignIn('ana', 'not-the-password');
    expect(wrong.reply.statusCode).toBe(400);
    expect(wrong.reply.json()).toEqual({ code: 4006, message: 'Wrong username or password.' });
    expect([...setCookies(wrong.reply).keys()]).not.toContain('corkboard_session');
    expect(await sessionRows()).toEqual(before);
  });

  it('sets the HttpOnly, SameSite=Lax session cookie and answers who is signed in with the CSRF token, never a token', async () => {
    const { reply } = await webSignIn('ana');
    expect(reply.statusCode).toBe(200);
    expect(reply.headers['cache-control']).toBe('no-store');
    const cookie = setCookies(reply).get('corkboard_session')!;
    expect(cookie).toMatch(/HttpOnly/);
    expect(cookie).toMatch(/SameSite=Lax/);
    const body = reply.json<Record<string, unknown>>();
    expect(Object.keys(body).sort()).toEqual(['csrf_token', 'expires_at', 'scopes', 'username']);
    expect(body.username).toBe('ana');
    expect(JSON.stringify(body)).not.toContain(cookieValue(cookie));
    // The sign-in value is spent.
    expect(setCookies(reply).get('corkboard_login')).toMatch(/Max-Age=0|Expires=Thu, 01 Jan 1970/);
    const again = await t.request({ method: 'GET', url: '/auth/session', headers: { cookie: `corkboard_session=${cookieValue(cookie)}` } });
    expect(again.json()).toMatchObject({ username: 'ana', csrf_token: body.csrf_token });
  });
});

describe('/graphql with the session', () => {
  let browser: Browser;
  beforeAll(async () => {
    browser = await signedIn('ana');
  });

  it('answers queries and mutations sent with the CSRF token, as the signed-in person', async () => {
    const me = await graphql(browser, WHO_AM_I);
    expect(me.statusCode).toBe(200);
    expect(me.json()).toEqual({ data: { viewer: { user: { username: 'ana' } } } });
    const created = await graphql(browser, CREATE_BOARD, { name: 'Kitchens' });
    expect(created.json()).toEqual({ data: { createBoard: { name: 'Kitchens' } } });
    expect(await boardNames(ana)).toContain('Kitchens');
  });

  it('refuses every POST without the CSRF token, or with another session\'s, and changes nothing', async () => {
    const other = await signedIn('ben');
    const boardsBefore = await boardNames(ana);
    for (const csrf of [undefined, 'forged', other.csrf]) {
      for (const query of [WHO_AM_I, CREATE_BOARD]) {
        const reply = await graphql({ cookie: browser.cookie, ...(csrf ? { csrf } : {}) }, query, { name: 'Forged board' });
        expect(reply.statusCode, `${query} with ${csrf ?? 'no token'}`).toBe(403);
        // In GraphQL's shape, with the catalogue's code, and no data: nothing ran.
        expect(reply.json()).toEqual({ errors: [expect.objectContaining({ extensions: { code: 'CSRF_TOKEN_INVALID', v5Code: 4031 } })] });
      }
    }
    expect(await boardNames(ana)).toEqual(boardsBefore);
  });

  it('takes queries over GET without a token, never mutations', async () => {
    const read = await t.request({ method: 'GET', url: `/graphql?query=${encodeURIComponent(WHO_AM_I)}`, headers: { cookie: browser.cookie } });
    expect(read.json()).toEqual({ data: { viewer: { user: { username: 'ana' } } } });
    const boardsBefore = await boardNames(ana);
    const write = await t.request({
      method: 'GET',
      url: `/graphql?query=${encodeURIComponent('mutation { createBoard(input: { name: "Over GET" }) { name } }')}`,
      headers: { cookie: browser.cookie },
    });
    expect(write.statusCode).toBeGreaterThanOrEqual(400);
    expect(await boardNames(ana)).toEqual(boardsBefore);
  });

  it('leaves bearer tokens working without CSRF, and a token wins over a cookie', async () => {
    const bearer = await graphql({}, WHO_AM_I, {}, { authorization: `Bearer ${ben.token}` });
    expect(bearer.json()).toEqual({ data: { viewer: { user: { username: 'ben' } } } });
    const both = await graphql({ cookie: browser.cookie }, CREATE_BOARD, { name: 'Bens board' }, { authorization: `Bearer ${ben.token}` });
    expect(both.json()).toEqual({ data: { createBoard: { name: 'Bens board' } } });
    expect(await boardNames(ben)).toContain('Bens board');
    expect(await boardNames(ana)).not.toContain('Bens board');
  });

  it('is still not accepted by the REST API', async () => {
    const reply = await t.request({ method: 'POST', url: '/v5/boards', headers: { cookie: browser.cookie, 'x-csrf-token': browser.csrf }, payload: { name: 'Via REST' } });
    expect(reply.statusCode).toBe(401);
    expect(await boardNames(ana)).not.toContain('Via REST');
  });
});

describe('logging out of the web app', () => {
  it('needs the CSRF token, then revokes the session at once', async () => {
    const browser = await signedIn('ana');
    const forged = await t.request({ method: 'DELETE', url: '/auth/session', headers: { cookie: browser.cookie } });
    expect(forged.statusCode).toBe(403);
    expect((await graphql(browser, WHO_AM_I)).json()).toEqual({ data: { viewer: { user: { username: 'ana' } } } });

    const out = await t.request({ method: 'DELETE', url: '/auth/session', headers: { cookie: browser.cookie, 'x-csrf-token': browser.csrf } });
    expect(out.statusCode).toBe(204);
    expect(setCookies(out).get('corkboard_session')).toMatch(/Max-Age=0|Expires=Thu, 01 Jan 1970/);
    // The browser might still send the old cookie: it is dead on the server.
    expect((await t.request({ method: 'GET', url: '/auth/session', headers: { cookie: browser.cookie } })).json()).toMatchObject({ username: null });
    const after = await graphql(browser, WHO_AM_I);
    expect(after.json<{ data: { viewer: unknown } }>().data.viewer).toBeNull();
    expect(JSON.stringify(after.json())).toContain('AUTHENTICATION_FAILED');
    const write = await graphql(browser, CREATE_BOARD, { name: 'After logout' });
    expect(JSON.stringify(write.json())).toContain('AUTHENTICATION_FAILED');
    expect(await boardNames(ana)).not.toContain('After logout');
  });
});
