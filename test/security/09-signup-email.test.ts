// Finding 9 (sign-up): sign-up must not tell whether an e-mail address is registered. A sign-up with
// a taken address answers exactly like one with a free address (201 and the same Account shape, the
// same statements run); the new account simply does not get the address, which stays with the
// account that registered it first (the only one that can sign in with it). Usernames are public
// (every profile shows one), so a taken username still answers 409.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../support/test-app.js';
import { countStatements } from '../../src/graphql/graphql-test-support.js';

const FORM = { 'content-type': 'application/x-www-form-urlencoded' };

let t: TestApp;

function signUp(username: string, email: string) {
  return t.request({ method: 'POST', url: '/v5/accounts', payload: { username, email, password: `pw-${username}-secret` } });
}

function login(username: string, password: string) {
  return t.request({
    method: 'POST',
    url: '/v5/oauth/token',
    headers: FORM,
    payload: new URLSearchParams({ grant_type: 'password', username, password }).toString(),
  });
}

/** The body with what differs between any two accounts (id, username) taken out. */
function shape(body: Record<string, unknown>) {
  const { id, username, ...rest } = body;
  return { id: typeof id, username: typeof username, ...rest };
}

beforeAll(async () => {
  t = await createTestApp();
  expect((await signUp('owner', 'someone@example.test')).statusCode).toBe(201);
});
afterAll(async () => t?.close());

describe('sign-up with an e-mail address', () => {
  it('answers the same for a taken address as for a free one', async () => {
    const free = await countStatements(t, () => signUp('newcomer', 'fresh@example.test'));
    const taken = await countStatements(t, () => signUp('prober', 'SOMEONE@example.test'));
    const freeReply = await signUp('newcomer2', 'fresh2@example.test');
    const takenReply = await signUp('prober2', 'someone@example.test');
    expect(takenReply.statusCode).toBe(freeReply.statusCode);
    expect(takenReply.statusCode).toBe(201);
    expect(shape(takenReply.json())).toEqual(shape(freeReply.json()));
    expect(Object.keys(takenReply.headers).sort()).toEqual(Object.keys(freeReply.headers).sort());
    // The same statements on users (other statements, such as reading the row-change log before a
    // writing request answers, depend on timing).
    const onUsers = (run: { statements: string[] }) => run.statements.filter((text) => /\busers\b/.test(text));
    expect(onUsers(taken)).toEqual(onUsers(free));
    expect(onUsers(free)).toHaveLength(1);
  });

  it('leaves the address with the account that registered it', async () => {
    // The prober's account exists and signs in by username...
    expect((await login('prober', 'pw-prober-secret')).statusCode).toBe(200);
    // ...but the address signs in to its owner only.
    expect((await login('someone@example.test', 'pw-owner-secret')).statusCode).toBe(200);
    expect((await login('someone@example.test', 'pw-prober-secret')).statusCode).toBe(400);
    const rows = await t.container.db.selectFrom('users').select(['username', 'email']).where('username', 'in', ['owner', 'prober', 'prober2']).orderBy('username').execute();
    expect(rows).toEqual([
      { username: 'owner', email: 'someone@example.test' },
      { username: 'prober', email: null },
      { username: 'prober2', email: null },
    ]);
  });

  it('still refuses a taken username (public anyway) and writes nothing', async () => {
    const count = async () => Number((await t.container.db.selectFrom('users').select((eb) => eb.fn.countAll<string>().as('n')).executeTakeFirstOrThrow()).n);
    const before = await count();
    const reply = await signUp('OWNER', 'other@example.test');
    expect(reply.statusCode).toBe(409);
    expect(reply.json()).toEqual({ code: 4090, message: 'That username is taken.' });
    expect(await count()).toBe(before);
  });
});
