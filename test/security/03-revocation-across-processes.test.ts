// A revoked token stops working on every process as soon as the revoke has answered, whatever Redis
// does: here the process that handles the revoke cannot reach Redis at all, and the other process,
// which had just verified (and cached) the token, is asked right after the 200.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp, type TestUser } from '../support/test-app.js';
import { startSecondProcess, unreachableRedisUrl, type SecondProcess } from '../support/second-process.js';

let t: TestApp;
/** The process that handles the revokes: with Redis configured, its Redis is unreachable. */
let revoker: SecondProcess;
let ana: TestUser;

const ROUNDS = 100;

beforeAll(async () => {
  t = await createTestApp();
  revoker = await startSecondProcess(t, t.config.redisUrl ? { redisUrl: await unreachableRedisUrl() } : {});
  ana = await t.signUp('ana');
});

afterAll(async () => {
  await revoker.close();
  await t.close();
});

function revoke(token: string) {
  return revoker.request({
    method: 'POST',
    url: '/v5/oauth/token/revoke',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    payload: new URLSearchParams({ token }).toString(),
  });
}

describe('revocation across processes', () => {
  it('refuses a revoked token on the other process from the first request after the revoke answered', { timeout: 300_000 }, async () => {
    let stale = 0;
    for (let round = 0; round < ROUNDS; round++) {
      const token = (await t.container.services.tokens.issueFor(ana.id)).access_token;
      // Verified twice on the other process (the second from its cache), and once on the revoker.
      for (let i = 0; i < 2; i++) expect((await t.request({ method: 'GET', url: '/v5/user_account', as: token })).statusCode).toBe(200);
      expect((await revoker.request({ method: 'GET', url: '/v5/user_account', as: token })).statusCode).toBe(200);
      const revoked = await revoke(token);
      expect(revoked.statusCode, revoked.body).toBe(200);
      const after = await t.request({ method: 'GET', url: '/v5/user_account', as: token });
      if (after.statusCode !== 401) stale += 1;
      expect((await revoker.request({ method: 'GET', url: '/v5/user_account', as: token })).statusCode).toBe(401);
    }
    expect(stale, `${stale} of ${ROUNDS} requests right after a revoke were still served`).toBe(0);
  });

  it('verifies tokens against the database while the other process cannot read the change log', async () => {
    const token = (await t.container.services.tokens.issueFor(ana.id)).access_token;
    for (let i = 0; i < 2; i++) expect((await t.request({ method: 'GET', url: '/v5/user_account', as: token })).statusCode).toBe(200);
    const logs = t.container.background.logs;
    const read = logs.readChangesById.bind(logs);
    logs.readChangesById = async () => {
      throw new Error('connection lost');
    };
    try {
      expect((await revoke(token)).statusCode).toBe(200);
      expect((await t.request({ method: 'GET', url: '/v5/user_account', as: token })).statusCode).toBe(401);
      expect((await t.request({ method: 'GET', url: '/v5/user_account', as: ana })).statusCode).toBe(200);
    } finally {
      logs.readChangesById = read;
    }
  });

  it('refuses the refresh token and its access token alike once either is revoked', async () => {
    const form = new URLSearchParams({ grant_type: 'password', username: 'ana', password: 'pw-ana-secret' });
    const issued = await t.request({
      method: 'POST',
      url: '/v5/oauth/token',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      payload: form.toString(),
    });
    const { access_token, refresh_token } = issued.json<{ access_token: string; refresh_token: string }>();
    expect((await t.request({ method: 'GET', url: '/v5/user_account', as: access_token })).statusCode).toBe(200);
    expect((await revoke(refresh_token)).statusCode).toBe(200);
    expect((await t.request({ method: 'GET', url: '/v5/user_account', as: access_token })).statusCode).toBe(401);
  });
});
