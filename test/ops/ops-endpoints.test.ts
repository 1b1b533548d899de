// The operator endpoints (/healthz, /readyz, /metrics, /v5/openapi.json), request ids and the
// answer to an unknown route, as a load balancer, Prometheus or a client generator sees them.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp, type TestUser } from '../support/test-app.js';
import { createTestDatabase } from '../support/test-database.js';
import { createContainer } from '../../src/container.js';
import { buildApp } from '../../src/app.js';
import { openApiProblems } from './openapi-check.js';

/** The samples of one metric whose labels include all of `labels`. */
function samples(exposition: string, metric: string, labels: Record<string, string>): number[] {
  const values: number[] = [];
  for (const line of exposition.split('\n')) {
    const match = /^([a-z_]+)\{(.*)\} (\S+)$/.exec(line);
    if (!match || match[1] !== metric) continue;
    const found = new Map([...match[2]!.matchAll(/(\w+)="([^"]*)"/g)].map((m) => [m[1]!, m[2]!]));
    if (Object.entries(labels).every(([key, value]) => found.get(key) === value)) values.push(Number(match[3]));
  }
  return values;
}

describe('operator endpoints', () => {
  let t: TestApp;
  let alice: TestUser;
  beforeAll(async () => {
    t = await createTestApp();
    alice = await t.signUp('alice');
  });
  afterAll(async () => t.close());

  it('answers /healthz without a token', async () => {
    const reply = await t.request({ method: 'GET', url: '/healthz' });
    expect(reply.statusCode).toBe(200);
    expect(reply.json()).toEqual({ status: 'ok' });
  });

  it('answers /readyz 200 while the database answers, 503 while shutting down', async () => {
    const ready = await t.request({ method: 'GET', url: '/readyz' });
    expect(ready.statusCode).toBe(200);
    // Redis is reported when it is configured (it is not required: see the fault suite).
    expect(ready.json()).toEqual({ status: 'ready', database: 'ok', ...(t.config.redisUrl ? { redis: 'ok' } : {}) });

    const closing = await buildApp(t.container, { isShuttingDown: () => true });
    try {
      const reply = await closing.inject({ method: 'GET', url: '/readyz' });
      expect(reply.statusCode).toBe(503);
      expect(reply.json()).toEqual({ status: 'shutting_down' });
    } finally {
      await closing.close();
    }
  });

  it('answers /readyz 503 once the database is gone, while /healthz stays 200', async () => {
    const database = await createTestDatabase();
    const container = await createContainer(t.config, { database: database.handle });
    const app = await buildApp(container);
    try {
      expect((await app.inject({ method: 'GET', url: '/readyz' })).statusCode).toBe(200);
      await database.drop();
      const reply = await app.inject({ method: 'GET', url: '/readyz' });
      expect(reply.statusCode).toBe(503);
      expect(reply.json()).toEqual({ status: 'unavailable', database: 'unreachable', ...(t.config.redisUrl ? { redis: 'ok' } : {}) });
      expect((await app.inject({ method: 'GET', url: '/healthz' })).statusCode).toBe(200);
    } finally {
      await app.close();
    }
  });

  it('counts requests and latency in /metrics by route pattern, never by raw URL', async () => {
    await t.signUp('bob');
    for (const username of ['bob', 'alice', 'nobody-here']) {
      await t.request({ method: 'GET', url: `/v5/users/${username}`, as: alice });
    }
    await t.request({ method: 'GET', url: '/v5/no/such/route' });

    const reply = await t.request({ method: 'GET', url: '/metrics' });
    expect(reply.statusCode).toBe(200);
    expect(reply.headers['content-type']).toMatch(/^text\/plain/);
    const text = reply.body;
    expect(text).toContain('# TYPE http_requests_total counter');
    expect(text).toContain('# TYPE http_request_duration_seconds histogram');

    const route = '/v5/users/:username';
    expect(samples(text, 'http_requests_total', { method: 'GET', route, status: '200' })).toEqual([2]);
    expect(samples(text, 'http_requests_total', { method: 'GET', route, status: '404' })).toEqual([1]);
    expect(samples(text, 'http_request_duration_seconds_count', { method: 'GET', route, status: '200' })).toEqual([2]);
    expect(samples(text, 'http_request_duration_seconds_bucket', { route, status: '200', le: '+Inf' })).toEqual([2]);
    // Requests no route matched share one label value.
    expect(samples(text, 'http_requests_total', { method: 'GET', route: 'unmatched', status: '404' })).toEqual([1]);
    // One label value per route pattern: usernames and unmatched paths never become label values.
    expect(text).not.toMatch(/route="[^"]*(alice|bob|nobody-here|no\/such)/);
    // Node's process metrics come along.
    expect(text).toContain('process_cpu_user_seconds_total');
  });

  it('echoes a request id on every response and honours the caller\'s', async () => {
    const generated = await t.request({ method: 'GET', url: '/healthz' });
    expect(generated.headers['x-request-id']).toMatch(/^[0-9a-f-]{36}$/);
    const again = await t.request({ method: 'GET', url: '/healthz' });
    expect(again.headers['x-request-id']).not.toBe(generated.headers['x-request-id']);

    const honoured = await t.request({ method: 'GET', url: '/v5/user_account', headers: { 'x-request-id': 'lb-7f3a' } });
    expect(honoured.statusCode).toBe(401);
    expect(honoured.headers['x-request-id']).toBe('lb-7f3a');
  });

  it('answers an unknown route with a 404 {code, message} body', async () => {
    const reply = await t.request({ method: 'GET', url: '/v5/no/such/route?x=1' });
    expect(reply.statusCode).toBe(404);
    expect(reply.headers['content-type']).toMatch(/^application\/json/);
    expect(reply.json()).toEqual({ code: 4040, message: 'No route GET /v5/no/such/route.' });

    const wrongMethod = await t.request({ method: 'DELETE', url: '/v5/user_account', as: alice });
    expect(wrongMethod.statusCode).toBe(404);
    expect(wrongMethod.json<{ code: number }>().code).toBe(4040);
  });

  it('serves an OpenAPI 3 document of the v5 routes it serves', async () => {
    const reply = await t.request({ method: 'GET', url: '/v5/openapi.json' });
    expect(reply.statusCode).toBe(200);
    const doc = reply.json<{ openapi: string; paths: Record<string, Record<string, unknown>> }>();
    expect(openApiProblems(doc)).toEqual([]);
    expect(doc.openapi).toMatch(/^3\./);

    const paths = Object.keys(doc.paths);
    expect(paths).toEqual(expect.arrayContaining(['/v5/user_account', '/v5/oauth/token', '/v5/users/{username}', '/v5/accounts']));
    expect(doc.paths['/v5/oauth/token']).toHaveProperty('post');
    // Operator endpoints are not part of the API description.
    for (const hidden of ['/healthz', '/readyz', '/metrics', '/v5/openapi.json']) expect(paths).not.toContain(hidden);

    // Authentication: Pinterest's scheme name, and each operation lists the scopes its route requires.
    const full = doc as unknown as {
      components: { securitySchemes: Record<string, { type: string; flows: { password: { tokenUrl: string; scopes: Record<string, string> } } }> };
      paths: Record<string, Record<string, { security?: Array<Record<string, string[]>> }>>;
    };
    const scheme = full.components.securitySchemes.pinterest_oauth2!;
    expect(scheme.type).toBe('oauth2');
    expect(scheme.flows.password.tokenUrl).toBe(`${t.config.publicBaseUrl}/v5/oauth/token`);
    expect(Object.keys(scheme.flows.password.scopes)).toContain('pins:read_secret');
    expect(full.paths['/v5/user_account']!.get!.security).toEqual([{ pinterest_oauth2: ['user_accounts:read'] }]);
    expect(full.paths['/v5/oauth/token']!.post!.security).toBeUndefined();
    expect(full.paths['/v5/accounts']!.post!.security).toBeUndefined();

    // Every documented operation is one the app really routes.
    for (const [template, item] of Object.entries(doc.paths)) {
      for (const method of Object.keys(item).filter((key) => key !== 'parameters')) {
        const url = template.replace(/\{(\w+)\}/g, ':$1');
        expect(t.app.hasRoute({ method: method.toUpperCase(), url }), `${method} ${template}`).toBe(true);
      }
    }
  });
});
