// Pins, boards and users cached by id, as their readers notice it: a warm read sends no statement of
// its own (on PostgreSQL it waits for the shared change-log read, fresh-reads.ts);
// whoever writes reads their write back at once; a board turning secret hides its pins from everyone
// at once; a second API process sees changes made through the first within moments (pub/sub with
// Redis, its own change-log poll without); edits made outside Corkboard (an operator's SQL) reach
// the cache within one poll; and the cache never holds credentials.
import type { InjectOptions } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp, type TestUser } from '../support/test-app.js';
import { startSecondProcess, type SecondProcess } from '../support/second-process.js';
import { countStatements } from '../../src/graphql/graphql-test-support.js';
import { base64Source, createPin, makeBoard, pngImage } from '../../src/pins/pin-test-support.js';

let t: TestApp;
let ana: TestUser;
let ben: TestUser;
let second: SecondProcess;

/** A request to the second API process. */
function onSecond(options: InjectOptions & { as: TestUser }) {
  const { as, ...rest } = options;
  return second.app.inject({ ...rest, headers: { authorization: `Bearer ${as.token}` } });
}

/**
 * Lets every invalidation made so far, in both processes, land (with its delayed second delete), so
 * what is cached next stays cached until the next write.
 */
async function settleBoth(): Promise<void> {
  await Promise.all([t.container.background.settle(), second.container.background.settle()]);
}

/** Milliseconds until `check` holds, polling every 10 ms; fails after `limitMs`. */
async function timeUntil(check: () => Promise<boolean>, limitMs: number): Promise<number> {
  const started = performance.now();
  while (performance.now() - started < limitMs) {
    if (await check()) return performance.now() - started;
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  throw new Error(`not within ${limitMs} ms`);
}

beforeAll(async () => {
  t = await createTestApp();
  ana = await t.signUp('ana');
  ben = await t.signUp('ben');
  // A second API process on the same database and Redis (same key prefix), as a second machine would be.
  second = await startSecondProcess(t);
});

afterAll(async () => {
  await second.close();
  await t.close();
});

describe('cached pins, boards and users', () => {
  it('answers a warm read of a pin, a board and an account without a statement', async () => {
    const boardId = await makeBoard(t, ana, 'Warm reads');
    const pin = await createPin(t, ana, boardId, { title: 'Lighthouse' });
    // The pin's write drops the board and ana's row twice (the second time a moment later, for a
    // read that raced the first); wait for that, so the warm-up below stays cached.
    await settleBoth();
    const read = () => t.request({ method: 'GET', url: `/v5/pins/${pin.id}`, as: ben });
    expect((await read()).statusCode).toBe(200);
    const warm = await countStatements(t, async () => {
      const res = await read();
      expect(res.json()).toMatchObject({ id: pin.id, title: 'Lighthouse', board_owner: { username: 'ana' } });
    });
    expect(warm.count, warm.statements.join('\n')).toBe(0);

    await t.request({ method: 'GET', url: '/v5/user_account', as: ana });
    const account = await countStatements(t, async () => {
      const res = await t.request({ method: 'GET', url: '/v5/user_account', as: ana });
      expect(res.json()).toMatchObject({ username: 'ana' });
    });
    expect(account.count, account.statements.join('\n')).toBe(0);

    await t.request({ method: 'GET', url: `/v5/boards/${boardId}`, as: ben });
    const board = await countStatements(t, async () => {
      const res = await t.request({ method: 'GET', url: `/v5/boards/${boardId}`, as: ben });
      expect(res.json()).toMatchObject({ id: boardId, pin_count: 1 });
    });
    // Only the card's owner name and newest pin images are read; the board itself is cached.
    expect(board.statements.join('\n'), board.statements.join('\n')).not.toMatch(/from "boards" where "id" in/);
  });

  it('shows the writer their own change at once, in the next request', async () => {
    const boardId = await makeBoard(t, ana, 'Own writes');
    const pin = await createPin(t, ana, boardId, { title: 'Before' });
    const get = async () => (await t.request({ method: 'GET', url: `/v5/pins/${pin.id}`, as: ana })).json<{ title: string }>();
    expect((await get()).title).toBe('Before');
    const patched = await t.request({ method: 'PATCH', url: `/v5/pins/${pin.id}`, as: ana, payload: { title: 'After' } });
    expect(patched.json()).toMatchObject({ title: 'After' });
    expect((await get()).title).toBe('After');

    // Counters too: ben follows ana, and ana's account shows it on her very next request.
    const before = (await t.request({ method: 'GET', url: '/v5/user_account', as: ana })).json<{ follower_count: number }>();
    const followed = await t.request({ method: 'POST', url: `/v5/user_account/following/${ana.username}`, as: ben, payload: {} });
    expect(followed.statusCode, followed.body).toBe(200);
    const after = (await t.request({ method: 'GET', url: '/v5/user_account', as: ana })).json<{ follower_count: number }>();
    expect(after.follower_count).toBe(before.follower_count + 1);
  });

  it('hides the pins of a board that turned secret from everyone else at once', async () => {
    const boardId = await makeBoard(t, ana, 'Soon secret');
    const pin = await createPin(t, ana, boardId);
    const benReads = () => t.request({ method: 'GET', url: `/v5/pins/${pin.id}`, as: ben });
    expect((await benReads()).statusCode).toBe(200);
    const graphql = () =>
      t.request({ method: 'POST', url: '/graphql', as: ben, payload: { query: `{ pin(id: "${pin.id}") { board { name } } }` } });
    expect((await graphql()).json()).toMatchObject({ data: { pin: { board: { name: 'Soon secret' } } } });

    const secret = await t.request({ method: 'PATCH', url: `/v5/boards/${boardId}`, as: ana, payload: { privacy: 'SECRET' } });
    expect(secret.statusCode, secret.body).toBe(200);
    expect((await benReads()).statusCode).toBe(404);
    expect((await graphql()).json()).toMatchObject({ data: { pin: null } });
    // Ana still sees her own pin.
    expect((await t.request({ method: 'GET', url: `/v5/pins/${pin.id}`, as: ana })).statusCode).toBe(200);
  });

  it('reaches a second API process within moments of a write through the first', async () => {
    const boardId = await makeBoard(t, ana, 'Two processes');
    const pin = await createPin(t, ana, boardId, { title: 'Old title' });
    const secondSees = async () => (await onSecond({ method: 'GET', url: `/v5/pins/${pin.id}`, as: ben })).json<{ title?: string }>();
    expect((await secondSees()).title).toBe('Old title');
    expect((await secondSees()).title).toBe('Old title');

    const patched = await t.request({ method: 'PATCH', url: `/v5/pins/${pin.id}`, as: ana, payload: { title: 'New title' } });
    expect(patched.statusCode, patched.body).toBe(200);
    // With Redis the invalidation is published before the write answers; without it the second
    // process reads the change log every CHANGE_POLL_MS.
    const titleMs = await timeUntil(async () => (await secondSees()).title === 'New title', 2 * t.config.changePollMs + 500);

    const secret = await t.request({ method: 'PATCH', url: `/v5/boards/${boardId}`, as: ana, payload: { privacy: 'SECRET' } });
    expect(secret.statusCode, secret.body).toBe(200);
    const hiddenMs = await timeUntil(
      async () => (await onSecond({ method: 'GET', url: `/v5/pins/${pin.id}`, as: ben })).statusCode === 404,
      2 * t.config.changePollMs + 500,
    );
    console.info(`second process: new title after ${titleMs.toFixed(0)} ms, secret board hidden after ${hiddenMs.toFixed(0)} ms`);
  });

  it('drops cached rows at once even while an older transaction is still open (PostgreSQL)', async () => {
    if (t.container.database.engine === 'pglite') return; // one connection: no transaction overlaps another
    const boardId = await makeBoard(t, ana, 'Held back');
    const pin = await createPin(t, ana, boardId, { title: 'First' });
    const benReads = () => t.request({ method: 'GET', url: `/v5/pins/${pin.id}`, as: ben });
    expect((await benReads()).json()).toMatchObject({ title: 'First' });
    let release!: () => void;
    const held = new Promise<void>((resolve) => {
      release = resolve;
    });
    // An operator's session that wrote something and was left open: the ordered change stream
    // cannot pass it, the row caches must not wait for it.
    const idle = t.container.db.transaction().execute(async (tx) => {
      await tx.updateTable('users').set({ about: 'left open' }).where('id', '=', ben.id).execute();
      await held;
    });
    try {
      await new Promise((resolve) => setTimeout(resolve, 50));
      const started = performance.now();
      const patched = await t.request({ method: 'PATCH', url: `/v5/pins/${pin.id}`, as: ana, payload: { title: 'Second' } });
      const patchMs = performance.now() - started;
      expect(patched.statusCode, patched.body).toBe(200);
      expect((await benReads()).json()).toMatchObject({ title: 'Second' });
      const secret = await t.request({ method: 'PATCH', url: `/v5/boards/${boardId}`, as: ana, payload: { privacy: 'SECRET' } });
      expect(secret.statusCode, secret.body).toBe(200);
      expect((await benReads()).statusCode).toBe(404);
      // The write did not wait for the open transaction either.
      expect(patchMs).toBeLessThan(900);
    } finally {
      release();
      await idle;
    }
  });

  it('answers a committed write as done even when reading its row changes fails, and a retry writes nothing twice', async () => {
    const boardId = await makeBoard(t, ana, 'Read fails');
    const logs = t.container.background.logs;
    const read = logs.readChangesById.bind(logs);
    let failing = true;
    logs.readChangesById = async (...args) => {
      if (failing) throw new Error('connection lost');
      return read(...args);
    };
    const payload = { board_id: boardId, media_source: base64Source(await pngImage(64, 48)) };
    const create = () => t.request({ method: 'POST', url: '/v5/pins', as: ana, headers: { 'idempotency-key': 'read-fails-1' }, payload });
    try {
      const first = await create();
      expect(first.statusCode, first.body).toBe(201);
      failing = false;
      const again = await create();
      expect(again.statusCode, again.body).toBe(201);
      expect(again.json<{ id: string }>().id).toBe(first.json<{ id: string }>().id);
      const stored = await t.container.db.selectFrom('pins').select('id').where('board_id', '=', boardId).execute();
      expect(stored).toHaveLength(1);
    } finally {
      logs.readChangesById = read;
    }
  });

  it('drops a cached row edited outside Corkboard within one change-log poll', async () => {
    const boardId = await makeBoard(t, ana, 'Hand edits');
    const pin = await createPin(t, ana, boardId, { title: 'Typed in the app' });
    const title = async () => (await t.request({ method: 'GET', url: `/v5/pins/${pin.id}`, as: ben })).json<{ title: string }>().title;
    expect(await title()).toBe('Typed in the app');
    await t.container.db.updateTable('pins').set({ title: 'Fixed by an operator' }).where('id', '=', pin.id).execute();
    await timeUntil(async () => (await title()) === 'Fixed by an operator', 2 * t.config.changePollMs + 500);
  });

  it('never caches an email address or a password hash', async () => {
    await settleBoth();
    await t.request({ method: 'GET', url: '/v5/user_account', as: ana });
    const cached = await t.container.background.cache.get<Record<string, unknown>>('user', ana.id, async () => undefined);
    expect(cached).toMatchObject({ id: ana.id, username: 'ana' });
    expect(Object.keys(cached ?? {})).not.toEqual(expect.arrayContaining(['email']));
    expect(JSON.stringify(cached)).not.toMatch(/example\.test|scrypt/);
  });
});
