// Finding 11: refresh tokens rotate, and presenting one that was already rotated is the sign that it
// leaked (RFC 9700 section 4.14.2): the whole family (every token descended from the same sign-in)
// is revoked, so whichever of the thief and the client holds the newest pair loses it too. Other
// sign-ins of the same person are untouched, and refusing an unknown refresh token changes nothing.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../support/test-app.js';

interface Issued {
  access_token: string;
  refresh_token: string;
}

const FORM = { 'content-type': 'application/x-www-form-urlencoded' };

let t: TestApp;

async function passwordGrant(username: string): Promise<Issued> {
  const reply = await t.request({
    method: 'POST',
    url: '/v5/oauth/token',
    headers: FORM,
    payload: new URLSearchParams({ grant_type: 'password', username, password: `pw-${username}-secret` }).toString(),
  });
  expect(reply.statusCode, reply.body).toBe(200);
  return reply.json<Issued>();
}

function refresh(refreshToken: string) {
  return t.request({
    method: 'POST',
    url: '/v5/oauth/token',
    headers: FORM,
    payload: new URLSearchParams({ grant_type: 'refresh_token', refresh_token: refreshToken }).toString(),
  });
}

async function works(accessToken: string): Promise<boolean> {
  const reply = await t.request({ method: 'GET', url: '/v5/user_account', as: accessToken });
  if (reply.statusCode !== 200 && reply.statusCode !== 401) throw new Error(`unexpected ${reply.statusCode}: ${reply.body}`);
  return reply.statusCode === 200;
}

async function tokenRows() {
  return t.container.db.selectFrom('oauth_tokens').selectAll().orderBy('id').execute();
}

beforeAll(async () => {
  t = await createTestApp();
  await t.signUp('rotator');
  await t.signUp('racer');
});
afterAll(async () => t?.close());

describe('refresh token reuse', () => {
  it('revokes every token of the family when a rotated refresh token comes back', async () => {
    const first = await passwordGrant('rotator');
    const elsewhere = await passwordGrant('rotator');
    const second = (await refresh(first.refresh_token)).json<Issued>();
    const thirdReply = await refresh(second.refresh_token);
    expect(thirdReply.statusCode).toBe(200);
    const third = thirdReply.json<Issued>();
    // Verified once, so the token sits in the cache (and in Redis when REDIS_URL is set).
    expect(await works(third.access_token)).toBe(true);

    const reuse = await refresh(first.refresh_token);
    expect(reuse.statusCode).toBe(400);
    expect(reuse.json<{ code: number }>().code).toBe(4006);

    expect(await works(third.access_token)).toBe(false);
    expect((await refresh(third.refresh_token)).statusCode).toBe(400);
    expect((await refresh(second.refresh_token)).statusCode).toBe(400);
    // Another sign-in of the same person is another family.
    expect(await works(elsewhere.access_token)).toBe(true);
    expect((await refresh(elsewhere.refresh_token)).statusCode).toBe(200);
  });

  it('leaves no live token when two refreshes race with the same refresh token', async () => {
    const start = await passwordGrant('racer');
    const replies = await Promise.all([refresh(start.refresh_token), refresh(start.refresh_token)]);
    const statuses = replies.map((reply) => reply.statusCode).sort();
    expect(statuses).toEqual([200, 400]);
    const winner = replies.find((reply) => reply.statusCode === 200)!.json<Issued>();
    expect(await works(winner.access_token)).toBe(false);
    expect((await refresh(winner.refresh_token)).statusCode).toBe(400);
  });

  it('changes nothing when the refresh token is unknown', async () => {
    const before = await tokenRows();
    const reply = await refresh('pinr_this-token-was-never-issued');
    expect(reply.statusCode).toBe(400);
    expect(reply.json<{ code: number }>().code).toBe(4006);
    expect(await tokenRows()).toEqual(before);
  });
});
