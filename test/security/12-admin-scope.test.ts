// Finding 12: administration needs the extension scope experiments:admin, which only administrators
// can be granted and no token gets by default; sign-up never makes anyone an administrator
// (ADMIN_USERNAMES is refused at start); and the attributes the server knows about a caller (id,
// username, account_type) win over the ones the caller sends to evaluate and activate, in REST and
// GraphQL, so nobody picks their own variation. Every refusal is checked to change nothing.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../../src/config.js';
import { createTestApp, type TestApp, type TestUser } from '../support/test-app.js';

const FORM = { 'content-type': 'application/x-www-form-urlencoded' };
const ADMIN_SCOPE = 'experiments:admin';

let t: TestApp;
let chief: TestUser;
let pat: TestUser;
let chiefAdminToken: string;

function passwordGrant(username: string, scope?: string) {
  return t.request({
    method: 'POST',
    url: '/v5/oauth/token',
    headers: FORM,
    payload: new URLSearchParams({ grant_type: 'password', username, password: `pw-${username}-secret`, ...(scope ? { scope } : {}) }).toString(),
  });
}

async function graphql(as: string, query: string, variables: Record<string, unknown> = {}) {
  const reply = await t.request({ method: 'POST', url: '/graphql', as, payload: { query, variables } });
  return reply.json<{ data?: Record<string, unknown> | null; errors?: Array<{ extensions?: { code?: string } }> }>();
}

async function experimentRows() {
  return t.container.db.selectFrom('experiments').selectAll().orderBy('id').execute();
}

async function tokenRowCount() {
  const row = await t.container.db.selectFrom('oauth_tokens').select((eb) => eb.fn.countAll<string>().as('n')).executeTakeFirstOrThrow();
  return Number(row.n);
}

function create(as: string, key: string, extra: Record<string, unknown> = {}) {
  return t.request({
    method: 'POST',
    url: '/v5/experiments',
    as,
    payload: { key, name: key, variations: [{ key: 'control', value: 0 }, { key: 'treatment', value: 1 }], ...extra },
  });
}

beforeAll(async () => {
  t = await createTestApp();
  chief = await t.signUp('chief');
  pat = await t.signUp('pat');
  await t.container.repositories.accounts.setAdmin(chief.id, true);
  const granted = await passwordGrant('chief', `pins:read,${ADMIN_SCOPE}`);
  expect(granted.statusCode, granted.body).toBe(200);
  chiefAdminToken = granted.json<{ access_token: string }>().access_token;
  for (const key of ['running-one']) {
    expect((await create(chiefAdminToken, key)).statusCode).toBe(201);
    expect((await t.request({ method: 'POST', url: `/v5/experiments/${key}/start`, as: chiefAdminToken })).statusCode).toBe(200);
  }
});
afterAll(async () => t?.close());

describe('the administrator scope', () => {
  it('is not in a token by default, not even an administrator\'s', async () => {
    const everyday = await passwordGrant('chief');
    expect(everyday.statusCode).toBe(200);
    expect(everyday.json<{ scope: string }>().scope.split(',')).not.toContain(ADMIN_SCOPE);
  });

  it('is needed by every administrator route, REST and GraphQL; without it nothing changes', async () => {
    // chief.token: an administrator's token with every v5 scope but not experiments:admin.
    const before = await experimentRows();
    const refusals = [
      await t.request({ method: 'GET', url: '/v5/experiments', as: chief }),
      await create(chief.token, 'sneaky'),
      await t.request({ method: 'GET', url: '/v5/experiments/running-one', as: chief }),
      await t.request({ method: 'PATCH', url: '/v5/experiments/running-one', as: chief, payload: { name: 'renamed' } }),
      await t.request({ method: 'POST', url: '/v5/experiments/running-one/stop', as: chief }),
      await t.request({ method: 'POST', url: '/v5/experiments/running-one/start', as: chief }),
      await t.request({ method: 'DELETE', url: '/v5/experiments/running-one', as: chief }),
      await t.request({ method: 'GET', url: '/v5/experiments/running-one/results', as: chief }),
    ];
    for (const reply of refusals) {
      expect(reply.statusCode, `${reply.body}`).toBe(403);
      expect(reply.json()).toEqual({ code: 3, message: `Authorization failed: the token lacks scope ${ADMIN_SCOPE}.` });
    }
    const listed = await graphql(chief.token, '{ experiments(first: 5) { edges { node { key } } } }');
    expect(listed.errors?.[0]?.extensions?.code).toBe('MISSING_SCOPE');
    const stopped = await graphql(chief.token, 'mutation { stopExperiment(key: "running-one") { status } }');
    expect(stopped.errors?.[0]?.extensions?.code).toBe('MISSING_SCOPE');
    expect(await experimentRows()).toEqual(before);

    // With the scope, the same administrator manages them.
    const list = await t.request({ method: 'GET', url: '/v5/experiments', as: chiefAdminToken });
    expect(list.statusCode).toBe(200);
    const viaGraphql = await graphql(chiefAdminToken, '{ experiments(first: 5) { edges { node { key } } } }');
    expect(viaGraphql.errors).toBeUndefined();
  });

  it('can be granted to administrators only, and a refused grant issues nothing', async () => {
    const tokensBefore = await tokenRowCount();
    const refused = await passwordGrant('pat', `pins:read,${ADMIN_SCOPE}`);
    expect(refused.statusCode).toBe(400);
    expect(refused.json()).toEqual({ code: 4008, message: `The scope ${ADMIN_SCOPE} can be granted to administrators only.` });
    await expect(t.container.services.tokens.issueFor(pat.id, [ADMIN_SCOPE])).rejects.toMatchObject({ kind: 'INVALID_SCOPE' });
    expect(await tokenRowCount()).toBe(tokensBefore);
  });

  it('stops working when administration is revoked, even in a token issued before', async () => {
    const ada = await t.signUp('ada');
    await t.container.repositories.accounts.setAdmin(ada.id, true);
    const token = (await passwordGrant('ada', ADMIN_SCOPE)).json<{ access_token: string }>().access_token;
    expect((await t.request({ method: 'GET', url: '/v5/experiments', as: token })).statusCode).toBe(200);
    await t.container.repositories.accounts.setAdmin(ada.id, false);
    const before = await experimentRows();
    const stop = await t.request({ method: 'POST', url: '/v5/experiments/running-one/stop', as: token });
    expect(stop.statusCode).toBe(403);
    expect(stop.json<{ code: number }>().code).toBe(29);
    expect(await experimentRows()).toEqual(before);
  });
});

describe('becoming an administrator', () => {
  it('refuses to start with ADMIN_USERNAMES, saying what to do instead', () => {
    expect(() => loadConfig({ ADMIN_USERNAMES: 'root' })).toThrow(ConfigError);
    expect(() => loadConfig({ ADMIN_USERNAMES: 'root' })).toThrow(/ADMIN_USERNAMES is no longer supported.*admin grant/);
    expect(loadConfig({ ADMIN_USERNAMES: '' }).databaseUrl).toBeUndefined();
  });

  it('never happens by signing up, whatever the name', async () => {
    for (const username of ['admin', 'root', 'boss']) {
      const user = await t.signUp(username);
      const row = await t.container.repositories.accounts.findById(user.id);
      expect(row?.is_admin, username).toBe(false);
      expect((await passwordGrant(username, ADMIN_SCOPE)).statusCode, username).toBe(400);
    }
  });
});

describe('attributes the server knows', () => {
  beforeAll(async () => {
    const targeted = [
      ['only-chief-id', { id: chief.id }],
      ['only-chief-name', { username: 'chief' }],
      ['only-business', { account_type: 'BUSINESS' }],
    ] as const;
    for (const [key, condition] of targeted) {
      expect((await create(chiefAdminToken, key, { condition, weights: [0, 1] })).statusCode).toBe(201);
      expect((await t.request({ method: 'POST', url: `/v5/experiments/${key}/start`, as: chiefAdminToken })).statusCode).toBe(200);
    }
  });

  const spoofed = () => ({ id: chief.id, username: 'chief', account_type: 'BUSINESS', country: 'FR' });

  async function exposuresOf(userId: string) {
    await t.container.experimentParts.exposureLog.flush();
    await t.container.background.settle();
    const row = await t.container.db
      .selectFrom('experiment_exposure_events')
      .select((eb) => eb.fn.countAll<string>().as('n'))
      .where('user_id', '=', userId)
      .executeTakeFirstOrThrow();
    return Number(row.n);
  }

  it('win over the caller\'s in evaluate and activate (REST)', async () => {
    const evaluated = await t.request({ method: 'POST', url: '/v5/experiments/evaluate', as: pat, payload: { attributes: spoofed() } });
    expect(evaluated.statusCode).toBe(200);
    const body = evaluated.json<{ attributes: Record<string, unknown>; experiments: Record<string, { inExperiment: boolean }> }>();
    expect(body.attributes).toEqual({ id: pat.id, username: 'pat', account_type: 'PINNER', country: 'FR' });
    for (const key of ['only-chief-id', 'only-chief-name', 'only-business']) expect(body.experiments[key]?.inExperiment, key).toBe(false);

    const exposuresBefore = await exposuresOf(pat.id);
    for (const key of ['only-chief-id', 'only-chief-name', 'only-business']) {
      const activated = await t.request({ method: 'POST', url: `/v5/experiments/${key}/activate`, as: pat, payload: { attributes: spoofed() } });
      expect(activated.statusCode).toBe(200);
      expect(activated.json<{ inExperiment: boolean }>().inExperiment, key).toBe(false);
    }
    expect(await exposuresOf(pat.id)).toBe(exposuresBefore);
  });

  it('win over the caller\'s in GraphQL', async () => {
    const answer = await graphql(
      pat.token,
      'query ($a: JSON) { experimentAssignments(attributes: $a) { experimentKey inExperiment } }',
      { a: spoofed() },
    );
    expect(answer.errors).toBeUndefined();
    const assignments = answer.data!.experimentAssignments as Array<{ experimentKey: string; inExperiment: boolean }>;
    for (const key of ['only-chief-id', 'only-chief-name', 'only-business']) {
      expect(assignments.find((a) => a.experimentKey === key)?.inExperiment, key).toBe(false);
    }
    const activated = await graphql(pat.token, 'mutation ($a: JSON) { activateExperiment(key: "only-chief-id", attributes: $a) { inExperiment } }', { a: spoofed() });
    expect(activated.errors).toBeUndefined();
    expect((activated.data!.activateExperiment as { inExperiment: boolean }).inExperiment).toBe(false);
  });
});
