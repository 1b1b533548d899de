// Finding 16 (for browsers): no CORS at all, so a web app on another origin could not call the API,
// and no security headers but on a few pages (GraphiQL had no policy, JSON no nosniff). Now CORS is
// answered for the origins in CORS_ORIGINS only (off by default), preflight included, and every
// answer carries @fastify/helmet's headers: every HTML page a Content-Security-Policy that forbids
// framing (and, on the server-rendered pages, any script and any inline style but their own
// <style> elements by hash), nosniff and no referrer; JSON answers nosniff and a policy that loads
// nothing. In Chromium (skipped locally without /usr/bin/chromium, failing under CI=true), the
// pages' styles still apply and GraphiQL still loads and runs under the headers the server sends.
import { createHash } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import type { LightMyRequestResponse } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { BrowserContext } from 'playwright-core';
import { loadConfig } from '../../src/config.js';
import { createTestApp, type TestApp, type TestUser } from '../support/test-app.js';
import { launchChromium, skipWithoutChromium, type HeadlessChromium } from '../support/chromium.js';

const ALLOWED = 'https://app.example.test';
const STRANGER = 'https://evil.example.test';
const skipBrowser = skipWithoutChromium('Browser headers test in Chromium');

let t: TestApp;
let admin: TestUser;

beforeAll(async () => {
  t = await createTestApp({ CORS_ORIGINS: `${ALLOWED}, https://other.example.test:8443`, GRAPHIQL: 'true' });
  admin = await t.signUpAdmin('keeper');
  const created = await t.request({
    method: 'POST',
    url: '/v5/experiments',
    as: admin,
    payload: { key: 'colours', name: 'Colours', variations: [{ key: 'control', value: 0 }, { key: 'treatment', value: 1 }] },
  });
  expect(created.statusCode, created.body).toBe(201);
}, 120_000);
afterAll(async () => t?.close());

function corsHeaders(reply: LightMyRequestResponse): Record<string, unknown> {
  return Object.fromEntries(Object.entries(reply.headers).filter(([name]) => name.startsWith('access-control-')));
}

function preflight(app: TestApp, origin: string) {
  return app.request({
    method: 'OPTIONS',
    url: '/v5/pins',
    headers: { origin, 'access-control-request-method': 'POST', 'access-control-request-headers': 'authorization, content-type, idempotency-key' },
  });
}

describe('CORS', () => {
  it('answers a preflight from an allowed origin with the methods and headers the API takes', async () => {
    const reply = await preflight(t, ALLOWED);
    expect(reply.statusCode).toBe(204);
    expect(reply.headers['access-control-allow-origin']).toBe(ALLOWED);
    const methods = String(reply.headers['access-control-allow-methods']).split(/,\s*/);
    expect(methods).toEqual(expect.arrayContaining(['GET', 'POST', 'PATCH', 'DELETE']));
    const headers = String(reply.headers['access-control-allow-headers']).toLowerCase().split(/,\s*/);
    expect(headers).toEqual(expect.arrayContaining(['authorization', 'content-type', 'idempotency-key']));
    expect(Number(reply.headers['access-control-max-age'])).toBeGreaterThan(0);
    expect(String(reply.headers.vary)).toMatch(/origin/i);
    // Bearer tokens only: another site's page never gets to send the session cookie along.
    expect(reply.headers['access-control-allow-credentials']).toBeUndefined();
  });

  it('lets an allowed origin read an answer and its request id, the other listed origin too', async () => {
    const user = await t.signUp('corsy');
    const reply = await t.request({ method: 'GET', url: '/v5/user_account', as: user, headers: { origin: ALLOWED } });
    expect(reply.statusCode).toBe(200);
    expect(reply.headers['access-control-allow-origin']).toBe(ALLOWED);
    expect(String(reply.headers['access-control-expose-headers']).toLowerCase()).toContain('x-request-id');
    const other = await preflight(t, 'https://other.example.test:8443');
    expect(other.headers['access-control-allow-origin']).toBe('https://other.example.test:8443');
  });

  it('gives an origin not listed no CORS header at all, and its preflight no answer', async () => {
    const refused = await preflight(t, STRANGER);
    expect(refused.statusCode).toBe(404);
    expect(corsHeaders(refused)).toEqual({});
    for (const origin of [STRANGER, `${ALLOWED}.evil.test`, 'null', 'http://app.example.test']) {
      const reply = await t.request({ method: 'GET', url: '/healthz', headers: { origin } });
      expect(reply.statusCode).toBe(200);
      expect(corsHeaders(reply), origin).toEqual({});
    }
  });

  it('is off by default: no CORS header for any origin, preflights are not answered', async () => {
    expect(loadConfig({}).corsOrigins).toEqual([]);
    const plain = await createTestApp();
    try {
      const refused = await preflight(plain, ALLOWED);
      expect(refused.statusCode).toBe(404);
      expect(corsHeaders(refused)).toEqual({});
      const reply = await plain.request({ method: 'GET', url: '/healthz', headers: { origin: ALLOWED } });
      expect(corsHeaders(reply)).toEqual({});
    } finally {
      await plain.close();
    }
  }, 120_000);

  it('refuses to start with an origin a browser would never send', () => {
    for (const value of ['https://app.example.test/', 'app.example.test', 'https://app.example.test/path', 'ftp//x']) {
      expect(() => loadConfig({ CORS_ORIGINS: value }), value).toThrow(/CORS_ORIGINS must list origins/);
    }
    expect(loadConfig({ CORS_ORIGINS: '*' }).corsOrigins).toEqual(['*']);
  });
});

/** The directives of a Content-Security-Policy header, by name. */
function policy(reply: LightMyRequestResponse): Map<string, string[]> {
  const header = reply.headers['content-security-policy'];
  expect(typeof header, 'content-security-policy').toBe('string');
  return new Map(
    String(header)
      .split(';')
      .map((part) => part.trim().split(/\s+/))
      .filter((words) => words[0])
      .map(([name, ...values]) => [name!, values]),
  );
}

function expectCommonHeaders(reply: LightMyRequestResponse, what: string): void {
  expect(reply.headers['x-content-type-options'], what).toBe('nosniff');
  expect(reply.headers['referrer-policy'], what).toBe('no-referrer');
  expect(reply.headers['x-frame-options'], what).toBe('DENY');
  const csp = policy(reply);
  expect(csp.get('frame-ancestors'), what).toEqual(["'none'"]);
  expect(csp.get('object-src'), what).toEqual(["'none'"]);
  expect(csp.get('base-uri'), what).toEqual(["'none'"]);
}

describe('security headers', () => {
  /** Every kind of HTML page the server answers: forms, refusals, error pages and the pages themselves. */
  async function htmlPages(): Promise<Array<[string, LightMyRequestResponse]>> {
    const form = { 'content-type': 'application/x-www-form-urlencoded' };
    return [
      ['sign-in form', await t.request({ method: 'GET', url: '/login' })],
      ['sign-in refused', await t.request({ method: 'POST', url: '/login', headers: form, payload: 'username=a&password=b&csrf=x' })],
      ['experiments, signed out', await t.request({ method: 'GET', url: '/experiments' })],
      ['token in the address', await t.request({ method: 'GET', url: '/experiments?access_token=abc' })],
      ['experiments', await t.request({ method: 'GET', url: '/experiments', as: admin })],
      ['results', await t.request({ method: 'GET', url: '/experiments/colours/results', as: admin })],
      ['no such experiment', await t.request({ method: 'GET', url: '/experiments/nothing/results', as: admin })],
      ['GraphiQL', await t.request({ method: 'GET', url: '/graphiql' })],
    ];
  }

  it('every HTML page forbids framing, sniffing and referrers, and allows no script but GraphiQL\'s own', async () => {
    const pages = await htmlPages();
    for (const [what, reply] of pages) {
      expect(reply.headers['content-type'], what).toBe('text/html; charset=utf-8');
      expectCommonHeaders(reply, what);
      const csp = policy(reply);
      const scripts = csp.get('script-src') ?? csp.get('default-src');
      if (what === 'GraphiQL') {
        expect(scripts).toEqual(["'self'"]);
        expect(csp.get('worker-src')).toEqual(["'self'"]);
        expect(csp.get('connect-src')).toEqual(["'self'"]);
        continue;
      }
      expect(reply.body, what).not.toMatch(/<script|\sstyle=|\son[a-z]+=/i);
      expect(scripts, what).toEqual(["'none'"]);
      expect(csp.get('form-action'), what).toEqual(["'self'"]);
      // No inline style but the page's own <style> elements, each allowed by its hash.
      const allowed = csp.get('style-src') ?? [];
      expect(allowed.join(' '), what).not.toMatch(/unsafe-inline|\*/);
      const styles = [...reply.body.matchAll(/<style>([^<]*)<\/style>/g)].map((match) => match[1]!);
      expect(styles.length, what).toBeGreaterThan(0);
      for (const css of styles) expect(allowed, what).toContain(`'sha256-${createHash('sha256').update(css).digest('base64')}'`);
    }
    expect(pages.map(([, reply]) => reply.statusCode)).toEqual([200, 403, 401, 400, 200, 200, 404, 200]);
  });

  it('JSON answers, errors included, get nosniff and a policy that loads nothing', async () => {
    const answers: Array<[string, LightMyRequestResponse]> = [
      ['healthz', await t.request({ method: 'GET', url: '/healthz' })],
      ['401', await t.request({ method: 'GET', url: '/v5/user_account' })],
      ['200', await t.request({ method: 'GET', url: '/v5/user_account', as: admin })],
      ['404', await t.request({ method: 'GET', url: '/v5/nothing-here' })],
      ['400', await t.request({ method: 'POST', url: '/v5/boards', as: admin, headers: { 'content-type': 'application/json' }, payload: '{' })],
      ['openapi', await t.request({ method: 'GET', url: '/v5/openapi.json' })],
      ['graphql', await t.request({ method: 'POST', url: '/graphql', payload: { query: '{ __typename }' } })],
    ];
    for (const [what, reply] of answers) {
      expect(String(reply.headers['content-type']), what).toMatch(/^application\/(json|graphql-response\+json)/);
      expectCommonHeaders(reply, what);
      expect(policy(reply).get('default-src'), what).toEqual(["'none'"]);
    }
  });

  it('asks browsers for https only when the public address is https', async () => {
    expect((await t.request({ method: 'GET', url: '/healthz' })).headers['strict-transport-security']).toBeUndefined();
    const secure = await createTestApp({ PUBLIC_BASE_URL: 'https://corkboard.example.test' });
    try {
      const reply = await secure.request({ method: 'GET', url: '/healthz' });
      expect(reply.headers['strict-transport-security']).toMatch(/max-age=31536000/);
    } finally {
      await secure.close();
    }
  }, 120_000);

  describe.skipIf(skipBrowser)(`in Chromium, under the headers the server sends${skipBrowser ? ' (skipped)' : ''}`, () => {
    let baseUrl: string;
    let browser: HeadlessChromium | undefined;
    let context: BrowserContext;

    beforeAll(async () => {
      await t.app.listen({ host: '127.0.0.1', port: 0 });
      baseUrl = `http://127.0.0.1:${(t.app.server.address() as AddressInfo).port}`;
      browser = await launchChromium({ width: 1200, height: 800 });
      context = browser.context;
    }, 120_000);

    afterAll(async () => {
      await browser?.close();
    });

    it('the sign-in page keeps its styles, with no policy violation', async () => {
      const page = await context.newPage();
      const errors: string[] = [];
      page.on('console', (message) => {
        if (message.type() === 'error') errors.push(message.text());
      });
      await page.goto(`${baseUrl}/login`, { waitUntil: 'load' });
      // The style element applies (a policy refusing it would leave the body at full width).
      expect(await page.evaluate('getComputedStyle(document.body).maxWidth')).toBe('420px');
      expect(errors).toEqual([]);
      await page.close();
    }, 60_000);

    it('GraphiQL loads, introspects and runs a query, with no console error', async () => {
      const page = await context.newPage();
      const errors: string[] = [];
      page.on('console', (message) => {
        if (message.type() === 'error') errors.push(message.text());
      });
      page.on('pageerror', (error) => errors.push(error.message));
      const introspected = page.waitForRequest((request) => request.url().endsWith('/graphql') && (request.postData() ?? '').includes('__schema'), {
        timeout: 60_000,
      });
      await page.goto(`${baseUrl}/graphiql`, { waitUntil: 'load' });
      await page.waitForSelector('.graphiql-container .monaco-editor', { timeout: 60_000 });
      await introspected;
      await page.locator('.graphiql-query-editor .monaco-editor').first().click();
      await page.keyboard.press('Control+A');
      await page.keyboard.press('Delete');
      await page.keyboard.type('{ __typename');
      await page.keyboard.press('Escape');
      // The run shortcut: a suggestion list still open would cover the run button.
      await page.keyboard.press('Control+Enter');
      const response = async () => (await page.locator('.graphiql-response').innerText()).replace(/\s+/g, ' ');
      await expect.poll(response, { timeout: 30_000 }).toContain('"__typename": "Query"');
      expect(errors).toEqual([]);
      await page.close();
    }, 120_000);
  });
});
