// The web app is served by the API's own process: its page at `/` and at any address of the app a
// browser opens (the app's router shows the screen), its files with long caching, all under a policy
// that runs only this site's scripts; the API keeps its paths and its JSON 404. On a build made up
// here (the real one is checked in Chromium by test/web/web-app-browser.test.ts).
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { gunzipSync } from 'node:zlib';
import type { LightMyRequestResponse } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../test/support/test-app.js';

const INDEX = '<!doctype html><html><head><script type="module" crossorigin src="/assets/index-abc123.js"></script></head><body><div id="root"></div></body></html>';
const SCRIPT = `console.log(${JSON.stringify('x'.repeat(4000))});\n`;
const PAGE = { accept: 'text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8' };

let dir: string;
let t: TestApp;

beforeAll(async () => {
  dir = await fs.mkdtemp(path.join(os.tmpdir(), 'corkboard-web-'));
  await fs.mkdir(path.join(dir, 'assets'));
  await fs.writeFile(path.join(dir, 'index.html'), INDEX);
  await fs.writeFile(path.join(dir, 'assets', 'index-abc123.js'), SCRIPT);
  await fs.writeFile(path.join(dir, 'favicon.svg'), '<svg xmlns="http://www.w3.org/2000/svg"/>');
  await fs.writeFile(path.join(dir, 'BUILD'), 'abc\n');
  t = await createTestApp({ PUBLIC_BASE_URL: 'http://localhost:8080' }, { webAppDir: dir });
});
afterAll(async () => {
  await t?.close();
  await fs.rm(dir, { recursive: true, force: true });
});

function policy(reply: LightMyRequestResponse): Map<string, string[]> {
  return new Map(
    String(reply.headers['content-security-policy'])
      .split(';')
      .map((part) => part.trim().split(/\s+/))
      .filter((words) => words[0])
      .map(([name, ...values]) => [name!, values]),
  );
}

function expectAppPage(reply: LightMyRequestResponse, what: string): void {
  expect(reply.statusCode, what).toBe(200);
  expect(reply.headers['content-type'], what).toBe('text/html; charset=utf-8');
  expect(reply.body, what).toBe(INDEX);
  expect(reply.headers['cache-control'], what).toBe('no-cache');
  const csp = policy(reply);
  expect(csp.get('script-src'), what).toEqual(["'self'"]);
  expect(csp.get('style-src'), what).toEqual(["'self'"]);
  expect(csp.get('connect-src'), what).toEqual(["'self'"]);
  expect(csp.get('img-src'), what).toEqual(["'self'", 'http://localhost:8080', 'data:', 'blob:']);
  expect(csp.get('default-src'), what).toEqual(["'none'"]);
  expect(csp.get('frame-ancestors'), what).toEqual(["'none'"]);
  expect(String(reply.headers['content-security-policy']), what).not.toMatch(/unsafe/);
  expect(reply.headers['x-frame-options'], what).toBe('DENY');
}

describe('the web app', () => {
  it('serves its page at / and at every address of the app a browser opens', async () => {
    expectAppPage(await t.request({ method: 'GET', url: '/' }), '/');
    for (const url of ['/pin/123', '/board/456', '/user/maya', '/search?q=lamp', '/pin-builder', '/signup', '/no/such/screen']) {
      expectAppPage(await t.request({ method: 'GET', url, headers: PAGE }), url);
    }
  });

  it('serves its files, gzipped when asked, cached for good since their names change with their content', async () => {
    const plain = await t.request({ method: 'GET', url: '/assets/index-abc123.js' });
    expect(plain.statusCode).toBe(200);
    expect(plain.headers['content-type']).toBe('text/javascript; charset=utf-8');
    expect(plain.headers['cache-control']).toBe('public, max-age=31536000, immutable');
    expect(plain.body).toBe(SCRIPT);
    const gzipped = await t.request({ method: 'GET', url: '/assets/index-abc123.js', headers: { 'accept-encoding': 'gzip, br' } });
    expect(gzipped.headers['content-encoding']).toBe('gzip');
    expect(gunzipSync(gzipped.rawPayload).toString()).toBe(SCRIPT);
    expect(gzipped.rawPayload.length).toBeLessThan(SCRIPT.length / 4);
    const again = await t.request({ method: 'GET', url: '/assets/index-abc123.js', headers: { 'if-none-match': String(plain.headers.etag) } });
    expect(again.statusCode).toBe(304);
    expect((await t.request({ method: 'GET', url: '/favicon.svg' })).headers['content-type']).toBe('image/svg+xml');
  });

  it('leaves the API its paths: unknown API paths, other methods and non-page requests get the JSON 404', async () => {
    const cases: Array<['GET' | 'POST' | 'DELETE', string, Record<string, string>]> = [
      ['GET', '/v5/nothing-here', PAGE],
      ['GET', '/v5/pins/123/nothing', PAGE],
      ['GET', '/media/nothing', PAGE],
      ['GET', '/auth/nothing', PAGE],
      ['GET', '/assets/missing.js', PAGE],
      ['GET', '/BUILD', {}],
      ['GET', '/pin/123', { accept: 'application/json' }],
      ['POST', '/pin/123', PAGE],
      ['DELETE', '/', PAGE],
    ];
    for (const [method, url, headers] of cases) {
      const reply = await t.request({ method, url, headers });
      expect(reply.statusCode, `${method} ${url}`).toBe(404);
      expect(reply.json(), `${method} ${url}`).toEqual({ code: 4040, message: `No route ${method} ${url.split('?')[0]}.` });
      expect(policy(reply).get('default-src'), `${method} ${url}`).toEqual(["'none'"]);
    }
    // The API answers as before.
    expect((await t.request({ method: 'GET', url: '/healthz', headers: PAGE })).statusCode).toBe(200);
    expect((await t.request({ method: 'GET', url: '/v5/openapi.json', headers: PAGE })).statusCode).toBe(200);
  });

  it('is simply absent when it was not built: the API serves, `/` answers the JSON 404', async () => {
    const unbuilt = await createTestApp({}, { webAppDir: path.join(dir, 'no-such-build') });
    try {
      const reply = await unbuilt.request({ method: 'GET', url: '/', headers: PAGE });
      expect(reply.statusCode).toBe(404);
      expect(reply.json()).toMatchObject({ code: 4040 });
      expect((await unbuilt.request({ method: 'GET', url: '/healthz' })).statusCode).toBe(200);
    } finally {
      await unbuilt.close();
    }
  }, 60_000);
});
