// Finding 10 (the administration pages): they no longer take a token in the address; a person signs
// in with a form and holds a browser session: an HttpOnly, SameSite=Lax cookie (Secure, with the
// __Host- prefix, when PUBLIC_BASE_URL is https) naming a server-side session stored hashed, which
// expires and which signing out revokes. Forms carry CSRF tokens (the sign-in form a double-submit
// value, the sign-out form the session's). Refusals (bad CSRF, wrong password) change nothing. The
// REST API never accepts the cookie.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp, type TestUser } from '../support/test-app.js';
import { cookieValue, setCookies } from './support/cookies.js';
import { parseHtml } from '../experiments/html-test-support.js';

let t: TestApp;
let admin: TestUser;

const FORM = { 'content-type': 'application/x-www-form-urlencoded' };


function field(html: string, name: string): string | undefined {
  return parseHtml(html).find((n) => n.tag === 'input' && n.attributes.name === name)?.attributes.value;
}

async function sessionRows() {
  return t.container.db.selectFrom('sessions').selectAll().orderBy('id').execute();
}

/** Opens the sign-in form, posts it; answers the reply and the cookies the browser would now hold. */
async function signIn(username: string, password: string, next = '/experiments') {
  const form = await t.request({ method: 'GET', url: `/login?next=${encodeURIComponent(next)}` });
  expect(form.statusCode).toBe(200);
  const loginCookie = [...setCookies(form)].find(([name]) => name.endsWith('corkboard_login'))!;
  const csrf = field(form.body, 'csrf')!;
  expect(csrf).toBe(cookieValue(loginCookie[1]));
  const reply = await t.request({
    method: 'POST',
    url: '/login',
    headers: { ...FORM, cookie: `${loginCookie[0]}=${cookieValue(loginCookie[1])}` },
    payload: new URLSearchParams({ username, password, csrf, next }).toString(),
  });
  return { reply, loginCookie, csrf };
}

beforeAll(async () => {
  t = await createTestApp();
  admin = await t.signUpAdmin('warden');
  await t.signUp('visitor');
});
afterAll(async () => t?.close());

describe('the administration pages', () => {
  it('refuse a token in the address with a clear message, even a valid administrator\'s', async () => {
    for (const url of [`/experiments?access_token=${admin.token}`, `/experiments/any/results?access_token=${admin.token}`]) {
      const reply = await t.request({ method: 'GET', url });
      expect(reply.statusCode).toBe(400);
      expect(parseHtml(reply.body).text()).toMatch(/Tokens in the address are not accepted.*sign in at \/login/);
      expect(reply.body).not.toContain(admin.token);
    }
  });

  it('ask a stranger to sign in, with the form', async () => {
    const reply = await t.request({ method: 'GET', url: '/experiments' });
    expect(reply.statusCode).toBe(401);
    const page = parseHtml(reply.body);
    expect(page.find((n) => n.tag === 'h1')!.text()).toBe('Sign in');
    expect(page.find((n) => n.tag === 'form')!.attributes).toMatchObject({ method: 'post', action: '/login' });
    expect(field(reply.body, 'next')).toBe('/experiments');
  });
});

describe('signing in', () => {
  it('refuses a form without the matching CSRF value, and a wrong password, creating no session', async () => {
    const before = await sessionRows();
    const noCookie = await t.request({
      method: 'POST',
      url: '/login',
      headers: FORM,
      payload: new URLSearchParams({ username: 'warden', password: 'pw-warden-secret', csrf: 'forged' }).toString(),
    });
    expect(noCookie.statusCode).toBe(403);
    expect([...setCookies(noCookie).keys()].some((name) => name.endsWith('corkboard_session'))).toBe(false);
    const wrong = await signIn('warden', 'not-the-password');
    expect(wrong.reply.statusCode).toBe(401);
    expect(parseHtml(wrong.reply.body).text()).toContain('Wrong username or password.');
    expect(await sessionRows()).toEqual(before);
  });

  it('sets an HttpOnly, SameSite=Lax session cookie whose value is stored only hashed, and goes where asked', async () => {
    const { reply } = await signIn('warden', 'pw-warden-secret', '/experiments?x=1');
    expect(reply.statusCode).toBe(303);
    expect(reply.headers.location).toBe('/experiments?x=1');
    const session = setCookies(reply).get('corkboard_session')!;
    expect(session).toMatch(/HttpOnly/);
    expect(session).toMatch(/SameSite=Lax/);
    expect(session).toMatch(/Path=\//);
    expect(session).not.toMatch(/Secure/);
    const secret = cookieValue(session);
    expect(secret).toMatch(/^pins_[\w-]{43}$/);
    const rows = await sessionRows();
    expect(JSON.stringify(rows)).not.toContain(secret);
    expect(rows.at(-1)!.scopes).toContain('experiments:admin');
  });

  it('only goes back to pages of this site', async () => {
    for (const next of ['https://evil.example/', '//evil.example/', '/\\evil.example']) {
      const { reply } = await signIn('warden', 'pw-warden-secret', next);
      expect(reply.statusCode).toBe(303);
      expect(reply.headers.location).toBe('/experiments');
    }
  });

  it('is Secure, with the __Host- prefix, when the public address is https', async () => {
    const secure = await createTestApp({ PUBLIC_BASE_URL: 'https://corkboard.example' });
    try {
      await secure.signUp('remote');
      const form = await secure.request({ method: 'GET', url: '/login' });
      const login = [...setCookies(form)].find(([name]) => name === '__Host-corkboard_login')!;
      expect(login[1]).toMatch(/Secure/);
      expect(login[1]).toMatch(/SameSite=Strict/);
      const reply = await secure.request({
        method: 'POST',
        url: '/login',
        headers: { ...FORM, cookie: `${login[0]}=${cookieValue(login[1])}` },
        payload: new URLSearchParams({ username: 'remote', password: 'pw-remote-secret', csrf: field(form.body, 'csrf')! }).toString(),
      });
      expect(reply.statusCode).toBe(303);
      const session = setCookies(reply).get('__Host-corkboard_session')!;
      expect(session).toMatch(/; Secure/);
      expect(session).toMatch(/HttpOnly/);
      expect(session).toMatch(/SameSite=Lax/);
    } finally {
      await secure.close();
    }
  });
});

describe('a session', () => {
  let cookie: string;
  beforeAll(async () => {
    const { reply } = await signIn('warden', 'pw-warden-secret');
    cookie = `corkboard_session=${cookieValue(setCookies(reply).get('corkboard_session')!)}`;
  });

  it('opens the administration pages, with a sign-out form, and tells the web app its CSRF token', async () => {
    const list = await t.request({ method: 'GET', url: '/experiments', headers: { cookie } });
    expect(list.statusCode).toBe(200);
    expect(list.headers['cache-control']).toBe('no-store');
    const logout = parseHtml(list.body).find((n) => n.tag === 'form' && n.attributes.action === '/logout');
    expect(logout?.attributes.method).toBe('post');
    const me = await t.request({ method: 'GET', url: '/auth/session', headers: { cookie } });
    expect(me.statusCode).toBe(200);
    expect(me.json()).toMatchObject({ username: 'warden', csrf_token: field(list.body, 'csrf') });
  });

  it('is not accepted by the REST API', async () => {
    const reply = await t.request({ method: 'GET', url: '/v5/user_account', headers: { cookie } });
    expect(reply.statusCode).toBe(401);
  });

  it('is for administrators on these pages: another person gets 403', async () => {
    const { reply } = await signIn('visitor', 'pw-visitor-secret');
    const visitorCookie = `corkboard_session=${cookieValue(setCookies(reply).get('corkboard_session')!)}`;
    const page = await t.request({ method: 'GET', url: '/experiments', headers: { cookie: visitorCookie } });
    expect(page.statusCode).toBe(403);
  });

  it('ends when it expires', async () => {
    const { reply } = await signIn('warden', 'pw-warden-secret');
    const secret = cookieValue(setCookies(reply).get('corkboard_session')!);
    const newest = (await sessionRows()).at(-1)!;
    await t.container.db.updateTable('sessions').set({ expires_at: new Date(Date.now() - 1000) }).where('id', '=', newest.id).execute();
    expect((await t.request({ method: 'GET', url: '/experiments', headers: { cookie: `corkboard_session=${secret}` } })).statusCode).toBe(401);
  });

  it('signs out only with its CSRF token, then is revoked', async () => {
    const list = await t.request({ method: 'GET', url: '/experiments', headers: { cookie } });
    const csrf = field(list.body, 'csrf')!;
    const before = await sessionRows();
    const forged = await t.request({ method: 'POST', url: '/logout', headers: { ...FORM, cookie }, payload: 'csrf=forged' });
    expect(forged.statusCode).toBe(403);
    expect(await sessionRows()).toEqual(before);
    expect((await t.request({ method: 'GET', url: '/experiments', headers: { cookie } })).statusCode).toBe(200);

    const out = await t.request({ method: 'POST', url: '/logout', headers: { ...FORM, cookie }, payload: new URLSearchParams({ csrf }).toString() });
    expect(out.statusCode).toBe(303);
    expect(out.headers.location).toBe('/login');
    expect(setCookies(out).get('corkboard_session')).toMatch(/Max-Age=0|Expires=Thu, 01 Jan 1970/);
    expect((await t.request({ method: 'GET', url: '/experiments', headers: { cookie } })).statusCode).toBe(401);
    expect((await sessionRows()).filter((row) => row.revoked_at !== null).length).toBeGreaterThan(0);
  });
});
