// Finding 5: there were no rate limits (300 wrong passwords in a row got no 429, 40 sign-ups and 16
// huge uploads all went through). Requests now count per category (reads, writes, authentication,
// uploads, expensive) per token or per client address, password sign-ins also per username, in
// Redis when REDIS_URL is set. The apps here get small real limits; requests come from the
// addresses a load balancer would see (light-my-request's remoteAddress), one range per test so
// that they share one app without sharing counts.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp, type TestUser } from '../support/test-app.js';
import { imageSource } from '../support/fixtures.js';
import { randomBytes } from 'node:crypto';
import type { LightMyRequestResponse } from 'fastify';
import { RedisServer } from '../faults/harness/redis-server.js';
import { Teardown } from '../faults/harness/teardown.js';
import { parseHtml } from '../experiments/html-test-support.js';

const FORM = { 'content-type': 'application/x-www-form-urlencoded' };

/** The limits of the shared app (small, so that floods are short). */
const LIMITS = {
  RATE_LIMITS: 'on',
  RATE_LIMIT_READS: '5/1m',
  RATE_LIMIT_WRITES: '2/1m',
  RATE_LIMIT_AUTHENTICATION: '5/1m',
  RATE_LIMIT_UPLOADS: '3/1m',
  RATE_LIMIT_EXPENSIVE: '3/1m',
  RATE_LIMIT_PASSWORD_ATTEMPTS: '10/1m',
};

let t: TestApp;
const others: TestApp[] = [];

async function otherApp(env: Record<string, string>): Promise<TestApp> {
  const app = await createTestApp({ RATE_LIMITS: 'on', ...env });
  others.push(app);
  return app;
}

beforeAll(async () => {
  t = await createTestApp(LIMITS);
});
afterAll(async () => {
  await Promise.all([t?.close(), ...others.map((app) => app.close())]);
});

function passwordGrant(app: TestApp, username: string, password: string, from: string): Promise<LightMyRequestResponse> {
  return app.request({
    method: 'POST',
    url: '/v5/oauth/token',
    headers: FORM,
    remoteAddress: from,
    payload: new URLSearchParams({ grant_type: 'password', username, password }).toString(),
  });
}

function signUpFrom(app: TestApp, username: string, from: string): Promise<LightMyRequestResponse> {
  return app.request({
    method: 'POST',
    url: '/v5/accounts',
    remoteAddress: from,
    payload: { username, email: `${username}@example.test`, password: `pw-${username}-secret` },
  });
}

/** Signs `username` up and in from `from` (two authentication requests of that address). */
async function userFrom(app: TestApp, username: string, from: string): Promise<TestUser> {
  const created = await signUpFrom(app, username, from);
  expect(created.statusCode, created.body).toBe(201);
  const granted = await passwordGrant(app, username, `pw-${username}-secret`, from);
  expect(granted.statusCode, granted.body).toBe(200);
  return { id: created.json<{ id: string }>().id, username, token: granted.json<{ access_token: string }>().access_token };
}

/** Opens the sign-in page from `from` and posts it with its CSRF value, as a browser would. */
async function loginForm(app: TestApp, username: string, password: string, from: string): Promise<LightMyRequestResponse> {
  const form = await app.request({ method: 'GET', url: '/login', remoteAddress: from });
  const raw = form.headers['set-cookie'];
  const cookie = (Array.isArray(raw) ? raw : [raw ?? '']).find((header) => header.includes('corkboard_login='))!.split(';', 1)[0]!;
  const csrf = parseHtml(form.body).find((node) => node.tag === 'input' && node.attributes.name === 'csrf')?.attributes.value ?? '';
  return app.request({
    method: 'POST',
    url: '/login',
    remoteAddress: from,
    headers: { ...FORM, cookie },
    payload: new URLSearchParams({ username, password, csrf }).toString(),
  });
}

/** The n-th of many distinct client addresses in 10.<range>.x.y. */
const address = (range: number, n: number) => `10.${range}.${(n >> 8) & 255}.${n & 255}`;

function expectRefused(reply: LightMyRequestResponse, code = 8): void {
  expect(reply.statusCode, reply.body).toBe(429);
  const body = reply.json<{ code: number; message: string }>();
  expect(body.code).toBe(code);
  expect(body.message.length).toBeGreaterThan(0);
  const retryAfter = Number(reply.headers['retry-after']);
  expect(retryAfter).toBeGreaterThanOrEqual(1);
}

describe('the password grant', () => {
  it('checks 9 of 300 wrong passwords for one username sent from 300 addresses, 25 at a time', async () => {
    // The owner signs in once (from an address not known yet: 1 of the 10 attempts of the window).
    await userFrom(t, 'victim', '10.100.0.1');
    const answers: LightMyRequestResponse[] = [];
    for (let batch = 0; batch < 12; batch++) {
      const tries = Array.from({ length: 25 }, (_, i) => batch * 25 + i);
      answers.push(...(await Promise.all(tries.map((i) => passwordGrant(t, 'victim', `guess-${i}`, address(1, i + 1))))));
    }
    // A checked wrong password answers 400 INVALID_GRANT; the rest were refused unchecked.
    expect(answers.filter((reply) => reply.statusCode === 400)).toHaveLength(9);
    const refused = answers.filter((reply) => reply.statusCode === 429);
    expect(refused).toHaveLength(291);
    for (const reply of refused.slice(0, 3)) expectRefused(reply, 4291);

    // The owner's own address (it signed in before) is not locked out by the attack...
    expect((await passwordGrant(t, 'victim', 'pw-victim-secret', '10.100.0.1')).statusCode).toBe(200);
    // ...a new address waits for the window, like the attacker, even with the right password,
    expectRefused(await passwordGrant(t, 'victim', 'pw-victim-secret', '10.200.0.1'), 4291);
    // and so does the sign-in form, which says so in its page (and starts no session).
    const page = await loginForm(t, 'victim', 'pw-victim-secret', '10.200.0.2');
    expect(page.statusCode).toBe(429);
    expect(Number(page.headers['retry-after'])).toBeGreaterThanOrEqual(1);
    expect(page.body).toContain('Too many sign-in attempts');
    expect(String(page.headers['set-cookie'] ?? '')).not.toContain('corkboard_session=');
    // A name that does not exist is limited alike (the limit tells nothing about who has an account).
    const unknown: number[] = [];
    for (let i = 0; i < 15; i++) unknown.push((await passwordGrant(t, 'nobody-here', 'x', address(2, i))).statusCode);
    expect(unknown).toEqual([...Array<number>(10).fill(400), ...Array<number>(5).fill(429)]);
  }, 120_000);

  it('lets the right password in from a new address once the window is over', async () => {
    const app = await otherApp({ RATE_LIMIT_PASSWORD_ATTEMPTS: '3/6s' });
    expect((await signUpFrom(app, 'walker', '10.0.0.1')).statusCode).toBe(201);
    const answers = await Promise.all(Array.from({ length: 20 }, (_, i) => passwordGrant(app, 'walker', `nope-${i}`, address(3, i + 1))));
    expect(answers.filter((reply) => reply.statusCode === 400)).toHaveLength(3);
    const refused = await passwordGrant(app, 'walker', 'pw-walker-secret', '10.77.0.1');
    expectRefused(refused, 4291);
    const wait = Number(refused.headers['retry-after']);
    expect(wait).toBeLessThanOrEqual(6);
    await new Promise((resolve) => setTimeout(resolve, wait * 1000 + 200));
    expect((await passwordGrant(app, 'walker', 'pw-walker-secret', '10.77.0.2')).statusCode).toBe(200);
  }, 60_000);

  it('counts every address separately for authentication and says how much is left', async () => {
    const first = await passwordGrant(t, 'someone', 'wrong', '10.4.0.1');
    expect(first.statusCode).toBe(400);
    expect(first.headers['x-ratelimit-limit']).toBe('5');
    expect(first.headers['x-ratelimit-remaining']).toBe('4');
    expect(Number(first.headers['x-ratelimit-reset'])).toBeGreaterThan(0);
    for (let i = 0; i < 4; i++) await passwordGrant(t, 'someone', 'wrong', '10.4.0.1');
    const refused = await passwordGrant(t, 'someone', 'wrong', '10.4.0.1');
    expectRefused(refused);
    expect(refused.headers['x-ratelimit-remaining']).toBe('0');
    expect(Number(refused.headers['retry-after'])).toBeLessThanOrEqual(60);
    expect((await passwordGrant(t, 'someone', 'wrong', '10.4.0.2')).statusCode).toBe(400);
  });
});

describe('unknown tokens', () => {
  it('count against their address, which is then refused before any token lookup', async () => {
    const guess = (from: string) =>
      t.request({ method: 'GET', url: '/v5/boards', as: randomBytes(24).toString('base64url'), remoteAddress: from });
    for (let i = 0; i < 5; i++) expect((await guess('10.13.0.1')).statusCode).toBe(401);
    expectRefused(await guess('10.13.0.1'));
    expect((await guess('10.13.0.2')).statusCode).toBe(401);
    // Requests without a token from the same address are not affected.
    expect((await t.request({ method: 'GET', url: '/v5/openapi.json', remoteAddress: '10.13.0.1' })).statusCode).toBe(200);
  });
});

describe('sign-up', () => {
  it('refuses a sign-up flood from one address, and a refused sign-up creates nobody', async () => {
    const statuses: number[] = [];
    for (let i = 0; i < 40; i++) statuses.push((await signUpFrom(t, `flood${i}`, '10.9.9.9')).statusCode);
    expect(statuses.slice(0, 5)).toEqual([201, 201, 201, 201, 201]);
    expect(statuses.slice(5).every((status) => status === 429)).toBe(true);
    for (let i = 0; i < 40; i++) {
      const row = await t.container.repositories.accounts.findByUsername(`flood${i}`);
      expect(row === undefined, `flood${i}`).toBe(i >= 5);
    }
    expectRefused(await signUpFrom(t, 'flood-last', '10.9.9.9'));
    expect(await t.container.repositories.accounts.findByUsername('flood-last')).toBeUndefined();
  });
});

describe('uploads', () => {
  it('refuses an upload flood and keeps only the pins that were accepted', async () => {
    const user = await userFrom(t, 'uploader', '10.5.0.1');
    const board = await t.request({ method: 'POST', url: '/v5/boards', payload: { name: 'Floods' }, as: user });
    const media = await imageSource();
    const statuses: number[] = [];
    for (let i = 0; i < 10; i++) {
      const reply = await t.request({ method: 'POST', url: '/v5/pins', as: user, payload: { board_id: board.json<{ id: string }>().id, media_source: media, title: `p${i}` } });
      statuses.push(reply.statusCode);
      if (reply.statusCode === 429) expectRefused(reply);
    }
    expect(statuses).toEqual([201, 201, 201, 429, 429, 429, 429, 429, 429, 429]);
    const pins = await t.request({ method: 'GET', url: '/v5/pins', as: user });
    expect(pins.json<{ items: unknown[] }>().items).toHaveLength(3);
  });
});

describe('reads', () => {
  it('limits an anonymous flood per client address, never the health checks', async () => {
    const read = (from: string) => t.request({ method: 'GET', url: '/v5/openapi.json', remoteAddress: from });
    for (let i = 0; i < 5; i++) {
      const reply = await read('10.12.0.1');
      expect(reply.statusCode).toBe(200);
      expect(reply.headers['x-ratelimit-remaining']).toBe(String(4 - i));
    }
    expectRefused(await read('10.12.0.1'));
    expect((await read('10.12.0.2')).statusCode).toBe(200);
    for (let i = 0; i < 20; i++) expect((await t.request({ method: 'GET', url: '/healthz', remoteAddress: '10.12.0.1' })).statusCode).toBe(200);
  });

  it('counts two tokens separately, and apart from their address', async () => {
    const alice = await userFrom(t, 'alice', '10.3.0.1');
    const bob = await userFrom(t, 'bob', '10.3.0.2');
    const read = (as: TestUser | null) => t.request({ method: 'GET', url: '/v5/boards', as, remoteAddress: '10.3.0.1' });
    for (let i = 0; i < 5; i++) expect((await read(alice)).statusCode).toBe(200);
    expectRefused(await read(alice));
    expect((await read(bob)).statusCode).toBe(200);
    // The address they share has its own anonymous count.
    expect((await t.request({ method: 'GET', url: '/v5/openapi.json', remoteAddress: '10.3.0.1' })).statusCode).toBe(200);
  });

  it('believes X-Forwarded-For only from a trusted proxy (TRUST_PROXY)', async () => {
    const direct = t;
    const behind = await otherApp({ RATE_LIMIT_READS: '2/1m', TRUST_PROXY: '127.0.0.1' });
    const read = (app: TestApp, client: string) =>
      app.request({ method: 'GET', url: '/v5/openapi.json', remoteAddress: '127.0.0.1', headers: { 'x-forwarded-for': client } });
    // Without TRUST_PROXY a client cannot escape its count by making up addresses.
    for (let i = 0; i < 5; i++) expect((await read(direct, `1.1.1.${i}`)).statusCode).toBe(200);
    expectRefused(await read(direct, '1.1.1.9'));
    // Behind the trusted load balancer each client has its own count.
    for (const client of ['2.2.2.1', '2.2.2.1', '2.2.2.2', '2.2.2.2']) expect((await read(behind, client)).statusCode).toBe(200);
    expectRefused(await read(behind, '2.2.2.1'));
  });
});

describe('expensive work', () => {
  it('limits searches and first home feed pages apart from reads', async () => {
    const user = await userFrom(t, 'searcher', '10.6.0.1');
    for (let i = 0; i < 2; i++) expect((await t.request({ method: 'GET', url: '/v5/search/pins?query=cat', as: user })).statusCode).toBe(200);
    expect((await t.request({ method: 'GET', url: '/v5/feeds/home', as: user })).statusCode).toBe(200);
    expectRefused(await t.request({ method: 'GET', url: '/v5/search/boards?query=cat', as: user }));
    expectRefused(await t.request({ method: 'GET', url: '/v5/feeds/home', as: user }));
    expect((await t.request({ method: 'GET', url: '/v5/boards', as: user })).statusCode).toBe(200);
  });
});

describe('GraphQL', () => {
  const graphql = (t: TestApp, as: TestUser, query: string) => t.request({ method: 'POST', url: '/graphql', as, payload: { query } });

  it('counts a query asking for a search as expensive', async () => {
    const user = await userFrom(t, 'gql', '10.7.0.1');
    const search = '{ searchPins(query: "cat") { edges { node { id } } } }';
    for (let i = 0; i < 3; i++) expect((await graphql(t, user, search)).statusCode).toBe(200);
    const refused = await graphql(t, user, search);
    expect(refused.statusCode).toBe(429);
    expect(refused.json()).toMatchObject({ errors: [{ extensions: { code: 'RATE_LIMITED', v5Code: 8 } }] });
    expect(Number(refused.headers['retry-after'])).toBeGreaterThanOrEqual(1);
    // A plain read is another category.
    expect((await graphql(t, user, '{ viewer { user { username } } }')).statusCode).toBe(200);
  });

  it('counts mutations as writes, and a refused mutation does nothing', async () => {
    const user = await userFrom(t, 'writer', '10.8.0.1');
    const create = (name: string) => graphql(t, user, `mutation { createBoard(input: { name: "${name}" }) { id } }`);
    expect((await create('one')).statusCode).toBe(200);
    expect((await create('two')).statusCode).toBe(200);
    expect((await create('three')).statusCode).toBe(429);
    const boards = await t.request({ method: 'GET', url: '/v5/boards', as: user });
    expect(boards.json<{ items: Array<{ name: string }> }>().items.map((board) => board.name).sort()).toEqual(['one', 'two']);
  });
});

describe('GraphQL counts as the REST route doing the same', () => {
  const refusedInGraphql = (reply: LightMyRequestResponse) => {
    expect(reply.statusCode, reply.body).toBe(429);
    expect(reply.json()).toMatchObject({ errors: [{ extensions: { code: 'RATE_LIMITED', v5Code: 8 } }] });
    expect(Number(reply.headers['retry-after'])).toBeGreaterThanOrEqual(1);
  };

  it('counts createPin as an upload, in one count with POST /v5/pins, and a refused createPin stores nothing', async () => {
    const user = await userFrom(t, 'gqluploader', '10.15.0.1');
    const board = (await t.request({ method: 'POST', url: '/v5/boards', payload: { name: 'Uploads' }, as: user })).json<{ id: string }>().id;
    const media = await imageSource();
    const create = (title: string) =>
      t.request({
        method: 'POST',
        url: '/graphql',
        as: user,
        payload: {
          query: `mutation($board: ID!, $title: String, $data: String!) {
            createPin(input: {boardId: $board, title: $title, mediaSource: {sourceType: "image_base64", contentType: "image/png", data: $data}}) { id } }`,
          variables: { board, title, data: media.data },
        },
      });
    for (const [i, title] of ['g1', 'g2'].entries()) {
      const reply = await create(title);
      expect(reply.statusCode, reply.body).toBe(200);
      expect(reply.json<{ errors?: unknown }>().errors).toBeUndefined();
      expect(reply.headers['x-ratelimit-limit']).toBe(LIMITS.RATE_LIMIT_UPLOADS.split('/')[0]);
      expect(reply.headers['x-ratelimit-remaining']).toBe(String(2 - i));
    }
    const rest = await t.request({ method: 'POST', url: '/v5/pins', as: user, payload: { board_id: board, media_source: media, title: 'r1' } });
    expect(rest.statusCode, rest.body).toBe(201);
    refusedInGraphql(await create('g3'));
    expectRefused(await t.request({ method: 'POST', url: '/v5/pins', as: user, payload: { board_id: board, media_source: media, title: 'r2' } }));
    const pins = await t.request({ method: 'GET', url: '/v5/pins', as: user });
    expect(pins.json<{ items: Array<{ title: string }> }>().items.map((pin) => pin.title).sort()).toEqual(['g1', 'g2', 'r1']);
    // Uploads are not writes: the user's writes (one board so far) are still there.
    const other = await t.request({ method: 'POST', url: '/graphql', as: user, payload: { query: 'mutation { createBoard(input: { name: "After" }) { id } }' } });
    expect(other.statusCode, other.body).toBe(200);
  });

  it('counts queries as reads, in one count with REST reads, and a document refused before it is classified as a read', async () => {
    const user = await userFrom(t, 'gqlreader', '10.16.0.1');
    const query = () => t.request({ method: 'POST', url: '/graphql', as: user, payload: { query: '{ viewer { user { username } } }' } });
    const remaining = (reply: LightMyRequestResponse) => reply.headers['x-ratelimit-remaining'];
    const first = await query();
    expect(first.statusCode, first.body).toBe(200);
    expect(first.headers['x-ratelimit-limit']).toBe(LIMITS.RATE_LIMIT_READS.split('/')[0]);
    expect(remaining(first)).toBe('4');
    expect(remaining(await t.request({ method: 'GET', url: '/v5/boards', as: user }))).toBe('3');
    // Refused before it is known what it asks for: counted as a read once answered.
    const invalid = await t.request({ method: 'POST', url: '/graphql', as: user, payload: { query: '{ noSuchField }' } });
    expect(invalid.statusCode).toBe(400);
    expect(remaining(await query())).toBe('1');
    expect(remaining(await query())).toBe('0');
    refusedInGraphql(await query());
    expectRefused(await t.request({ method: 'GET', url: '/v5/boards', as: user }));
  });
});

describe.runIf(process.env.REDIS_URL)('on Redis', () => {
  it('shares one count between two processes', async () => {
    const prefix = `test-${randomBytes(6).toString('hex')}:`;
    const first = await otherApp({ RATE_LIMIT_READS: '6/1m', REDIS_KEY_PREFIX: prefix });
    const second = await otherApp({ RATE_LIMIT_READS: '6/1m', REDIS_KEY_PREFIX: prefix });
    const read = (t: TestApp) => t.request({ method: 'GET', url: '/v5/openapi.json', remoteAddress: '10.4.0.1' });
    for (let i = 0; i < 3; i++) {
      expect((await read(first)).statusCode).toBe(200);
      expect((await read(second)).statusCode).toBe(200);
    }
    expectRefused(await read(first));
    expectRefused(await read(second));
  });

  it('counts a token-bearing request, and checks its address for unknown tokens, in one round trip', async () => {
    const app = await otherApp({ RATE_LIMIT_READS: '100/1m' });
    const user = await app.signUp('roundtrip');
    const board = (await app.request({ method: 'POST', url: '/v5/boards', as: user, payload: { name: 'Counted once' } })).json<{ id: string }>().id;
    const read = () => app.request({ method: 'GET', url: `/v5/boards/${board}`, as: user, remoteAddress: '10.17.0.1' });
    for (let i = 0; i < 3; i++) expect((await read()).statusCode).toBe(200);
    const redis = app.container.background.redis!;
    const scripts: string[] = [];
    const send = redis.sendCommand.bind(redis);
    redis.sendCommand = (...args: Parameters<typeof redis.sendCommand>) => {
      if (/^eval/i.test(args[0].name)) scripts.push(args[0].name);
      return send(...args);
    };
    const reply = await read();
    expect(reply.statusCode).toBe(200);
    expect(reply.headers['x-ratelimit-remaining']).toBe('96');
    expect(scripts).toHaveLength(1);
  });

  it('keeps limiting in each process while Redis is away, and answers no 5xx', async () => {
    // A Redis of this test's own (the machine's shared one is never stopped).
    const teardown = new Teardown();
    try {
      const redis = await RedisServer.start(teardown);
      const app = await createTestApp({ RATE_LIMITS: 'on', RATE_LIMIT_READS: '4/1m', REDIS_URL: redis.url() });
      teardown.add('close the app', () => app.close());
      const read = () => app.request({ method: 'GET', url: '/v5/openapi.json', remoteAddress: '10.14.0.1' });
      for (let i = 0; i < 2; i++) expect((await read()).statusCode).toBe(200);
      await redis.stop('SIGKILL');
      // Counted in the process from here: 4 more, then refused.
      const statuses: number[] = [];
      for (let i = 0; i < 6; i++) statuses.push((await read()).statusCode);
      expect(statuses).toEqual([200, 200, 200, 200, 429, 429]);
      // Back before the app closes (it deletes its keys).
      await redis.startServer();
    } finally {
      await teardown.run();
    }
  });
});

describe('RATE_LIMITS=off (benchmarks only)', () => {
  it('counts nothing', async () => {
    const t = await otherApp({ RATE_LIMITS: 'off', RATE_LIMIT_READS: '1/1m' });
    for (let i = 0; i < 5; i++) {
      const reply = await t.request({ method: 'GET', url: '/v5/openapi.json' });
      expect(reply.statusCode).toBe(200);
      expect(reply.headers['x-ratelimit-limit']).toBeUndefined();
    }
  });
});
