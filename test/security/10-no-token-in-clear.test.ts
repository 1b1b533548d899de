// Finding 10 (tokens at rest and in logs): no access token, refresh token or password is kept in
// clear in any table or written to any log line. Token requests carrying an Idempotency-Key leave
// no answer behind (the answer is the secret); a sign-up's record keeps no password; every log line
// with a URL has its query string's values redacted, so a token sent as `?access_token=` (which no
// route accepts any more) never reaches the log. Tables: every text, JSON and array column of every
// table is searched. Logs: the production logger (src/platform/logging.ts), captured.
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLogger } from '../../src/platform/logging.js';
import { createTestApp, type TestApp } from '../support/test-app.js';

const FORM = { 'content-type': 'application/x-www-form-urlencoded' };

let t: TestApp;
const lines: string[] = [];
const secrets = new Set<string>();

function form(fields: Record<string, string>, key: string) {
  return { headers: { ...FORM, 'idempotency-key': key }, payload: new URLSearchParams(fields).toString() };
}

beforeAll(async () => {
  t = await createTestApp({}, { logger: createLogger({ level: 'info' }, { write: (line: string) => void lines.push(line) }) });
  const password = 'correct horse battery staple';
  secrets.add(password);
  const signUp = await t.request({
    method: 'POST',
    url: '/v5/accounts',
    headers: { 'idempotency-key': 'acct-1' },
    payload: { username: 'holder', email: 'holder@example.test', password },
  });
  expect(signUp.statusCode).toBe(201);

  const issued = await t.request({ method: 'POST', url: '/v5/oauth/token', ...form({ grant_type: 'password', username: 'holder', password }, 'tok-1') });
  expect(issued.statusCode).toBe(200);
  const first = issued.json<{ access_token: string; refresh_token: string }>();
  // The same key again: no answer is replayed from storage (there is none), a new pair is issued.
  const retried = await t.request({ method: 'POST', url: '/v5/oauth/token', ...form({ grant_type: 'password', username: 'holder', password }, 'tok-1') });
  expect(retried.statusCode).toBe(200);
  expect(retried.headers['idempotent-replayed']).toBeUndefined();
  const second = retried.json<{ access_token: string; refresh_token: string }>();
  const refreshed = await t.request({ method: 'POST', url: '/v5/oauth/token', ...form({ grant_type: 'refresh_token', refresh_token: first.refresh_token }, 'tok-2') });
  expect(refreshed.statusCode).toBe(200);
  const third = refreshed.json<{ access_token: string; refresh_token: string }>();
  for (const reply of [issued, retried, refreshed]) expect(reply.headers['cache-control']).toBe('no-store');
  for (const pair of [first, second, third]) {
    secrets.add(pair.access_token);
    secrets.add(pair.refresh_token);
  }
  expect((await t.request({ method: 'POST', url: '/v5/oauth/token/revoke', ...form({ token: second.access_token }, 'tok-3') })).statusCode).toBe(200);

  // Tokens in query strings, on pages, API routes, GraphQL and a path that does not exist.
  for (const url of [
    `/experiments?access_token=${third.access_token}`,
    `/experiments/some-key/results?alpha=0.1&access_token=${third.access_token}`,
    `/v5/user_account?access_token=${third.access_token}`,
    `/graphql?query=%7B__typename%7D&access_token=${third.access_token}`,
    `/no/such/route?access_token=${third.access_token}&refresh_token=${third.refresh_token}`,
  ]) {
    await t.request({ method: 'GET', url });
  }
  await t.request({ method: 'GET', url: '/v5/user_account', as: third.access_token });
});
afterAll(async () => t?.close());

describe('secrets at rest', () => {
  it('are in no text, JSON or array column of any table', async () => {
    const columns = await sql<{ table_name: string; column_name: string }>`
      SELECT table_name, column_name FROM information_schema.columns
      WHERE table_schema = current_schema()
        AND data_type IN ('text', 'character varying', 'character', 'json', 'jsonb', 'ARRAY', 'bytea')
      ORDER BY table_name, column_name`.execute(t.container.db);
    expect(columns.rows.length).toBeGreaterThan(20);
    expect(columns.rows.map((c) => `${c.table_name}.${c.column_name}`)).toContain('idempotency_keys.response_body');
    const found: string[] = [];
    for (const { table_name, column_name } of columns.rows) {
      for (const secret of secrets) {
        const hits = await sql<{ n: string }>`
          SELECT count(*) AS n FROM ${sql.table(table_name)} WHERE position(${secret} in ${sql.ref(column_name)}::text) > 0`.execute(t.container.db);
        if (Number(hits.rows[0]!.n) > 0) found.push(`${table_name}.${column_name} holds ${secret.slice(0, 8)}…`);
      }
    }
    expect(found).toEqual([]);
  });
});

describe('secrets in logs', () => {
  it('are in no log line, and every URL logged has its query values redacted', () => {
    expect(lines.length).toBeGreaterThan(10);
    const leaking = lines.filter((line) => [...secrets].some((secret) => line.includes(secret)));
    expect(leaking).toEqual([]);
    const urls = lines.map((line) => JSON.parse(line) as { req?: { url?: string } }).flatMap((line) => (line.req?.url ? [line.req.url] : []));
    expect(urls).toContain('/experiments?access_token=[redacted]');
    expect(urls).toContain('/experiments/some-key/results?alpha=[redacted]&access_token=[redacted]');
    for (const url of urls.filter((u) => u.includes('?'))) expect(url, url).toMatch(/^[^?]*\?([\w.-]+=\[redacted\](&|$))+$/);
  });
});
