import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../test/support/test-app.js';

function form(fields: Record<string, string>) {
  return {
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    payload: new URLSearchParams(fields).toString(),
  };
}

describe('accounts and OAuth tokens', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp();
  });
  afterAll(async () => t.close());

  it('signs up, never returns the password, and refuses a taken username', async () => {
    const created = await t.request({
      method: 'POST',
      url: '/v5/accounts',
      payload: { username: 'ada', email: 'ada@example.test', password: 'correct horse' },
    });
    expect(created.statusCode).toBe(201);
    const body = created.json<Record<string, unknown>>();
    expect(body).toMatchObject({ username: 'ada', pin_count: 0, board_count: 0, account_type: 'PINNER' });
    expect(body.id).toMatch(/^\d+$/);
    expect(created.body).not.toContain('correct horse');
    expect(created.body).not.toContain('password');

    const sameName = await t.request({
      method: 'POST',
      url: '/v5/accounts',
      payload: { username: 'ADA', email: 'other@example.test', password: 'correct horse' },
    });
    expect(sameName.statusCode).toBe(409);
    expect(sameName.json()).toEqual({ code: 4090, message: 'That username is taken.' });

    // A taken e-mail answers like a free one (test/security/09-signup-email.test.ts): the account is
    // made without the address, which stays with ada.
    const sameEmail = await t.request({
      method: 'POST',
      url: '/v5/accounts',
      payload: { username: 'ada2', email: 'ADA@example.test', password: 'correct horse' },
    });
    expect(sameEmail.statusCode).toBe(201);
  });

  it('rejects invalid sign-up bodies with a stable code and writes nothing', async () => {
    for (const payload of [
      { username: 'x', email: 'x@example.test', password: 'long enough' },
      { username: 'valid_name', email: 'not-an-email', password: 'long enough' },
      { username: 'valid_name', email: 'v@example.test', password: 'short' },
      { username: 'valid_name', email: 'v@example.test', password: 'long enough', admin: true },
    ]) {
      const reply = await t.request({ method: 'POST', url: '/v5/accounts', payload });
      expect(reply.statusCode, JSON.stringify(payload)).toBe(400);
      expect(reply.json<{ code: number }>().code).toBe(1);
    }
    const count = await t.container.db.selectFrom('users').select((eb) => eb.fn.countAll<string>().as('n')).where('username', '=', 'valid_name').executeTakeFirstOrThrow();
    expect(Number(count.n)).toBe(0);
  });

  it('issues a bearer token for the password grant and accepts it', async () => {
    await t.request({ method: 'POST', url: '/v5/accounts', payload: { username: 'grace', email: 'g@example.test', password: 'hopper-1906' } });
    const reply = await t.request({ method: 'POST', url: '/v5/oauth/token', ...form({ grant_type: 'password', username: 'grace', password: 'hopper-1906' }) });
    expect(reply.statusCode).toBe(200);
    const token = reply.json<{ access_token: string; token_type: string; expires_in: number; scope: string; refresh_token: string }>();
    expect(token.token_type).toBe('bearer');
    expect(token.expires_in).toBe(30 * 24 * 3600);
    expect(token.scope.split(',')).toContain('pins:read');
    expect(token.access_token).toMatch(/^pina_/);

    const me = await t.request({ method: 'GET', url: '/v5/user_account', as: token.access_token });
    expect(me.statusCode).toBe(200);
    expect(me.json<{ username: string }>().username).toBe('grace');

    const stored = await t.container.db.selectFrom('oauth_tokens').select('access_token_hash').execute();
    expect(stored.map((row) => row.access_token_hash)).not.toContain(token.access_token);
  });

  it('refuses a wrong password, an unknown grant and a missing or bad token', async () => {
    const wrong = await t.request({ method: 'POST', url: '/v5/oauth/token', ...form({ grant_type: 'password', username: 'grace', password: 'nope-nope' }) });
    expect(wrong.statusCode).toBe(400);
    expect(wrong.json<{ code: number }>().code).toBe(4006);
    const unknownGrant = await t.request({ method: 'POST', url: '/v5/oauth/token', ...form({ grant_type: 'client_credentials' }) });
    expect(unknownGrant.json<{ code: number }>().code).toBe(4007);
    const anonymous = await t.request({ method: 'GET', url: '/v5/user_account' });
    expect(anonymous.statusCode).toBe(401);
    expect(anonymous.json()).toEqual({ code: 2, message: 'Authentication failed.' });
    const bogus = await t.request({ method: 'GET', url: '/v5/user_account', as: 'pina_bogus' });
    expect(bogus.statusCode).toBe(401);
  });

  it('enforces scopes: a token without user_accounts:read gets 403', async () => {
    const narrow = await t.signUp('narrow', 'pins:read');
    const reply = await t.request({ method: 'GET', url: '/v5/user_account', as: narrow });
    expect(reply.statusCode).toBe(403);
    expect(reply.json<{ code: number }>().code).toBe(3);
  });

  it('refreshes with rotation and revokes', async () => {
    await t.request({ method: 'POST', url: '/v5/accounts', payload: { username: 'linus', email: 'l@example.test', password: 'penguins!' } });
    const first = (await t.request({ method: 'POST', url: '/v5/oauth/token', ...form({ grant_type: 'password', username: 'linus', password: 'penguins!' }) })).json<{ access_token: string; refresh_token: string }>();
    const refreshed = await t.request({ method: 'POST', url: '/v5/oauth/token', ...form({ grant_type: 'refresh_token', refresh_token: first.refresh_token, scope: 'pins:read,user_accounts:read' }) });
    expect(refreshed.statusCode).toBe(200);
    const second = refreshed.json<{ access_token: string; refresh_token: string; scope: string; response_type: string }>();
    expect(second.scope).toBe('pins:read,user_accounts:read');
    expect(second.response_type).toBe('refresh_token');
    // The old pair is gone once refreshed: neither the access token nor the refresh token works.
    expect((await t.request({ method: 'GET', url: '/v5/user_account', as: first.access_token })).statusCode).toBe(401);

    expect((await t.request({ method: 'GET', url: '/v5/user_account', as: second.access_token })).statusCode).toBe(200);
    const revoked = await t.request({ method: 'POST', url: '/v5/oauth/token/revoke', ...form({ token: second.access_token }) });
    expect(revoked.statusCode).toBe(200);
    expect((await t.request({ method: 'GET', url: '/v5/user_account', as: second.access_token })).statusCode).toBe(401);
    // A rotated refresh token is refused (and revokes its family: test/security/11-refresh-token-reuse.test.ts).
    const reuse = await t.request({ method: 'POST', url: '/v5/oauth/token', ...form({ grant_type: 'refresh_token', refresh_token: first.refresh_token }) });
    expect(reuse.statusCode).toBe(400);
  });

  it('shows another user only public counts through the profile extension', async () => {
    const viewer = await t.signUp('viewer1');
    const reply = await t.request({ method: 'GET', url: '/v5/users/grace', as: viewer });
    expect(reply.statusCode).toBe(200);
    expect(reply.json<{ username: string }>().username).toBe('grace');
    const missing = await t.request({ method: 'GET', url: '/v5/users/nobody_here', as: viewer });
    expect(missing.statusCode).toBe(404);
    expect(missing.json<{ code: number }>().code).toBe(30);
  });
});
