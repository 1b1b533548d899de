// Idempotency-Key and crash consistency: a keyed request's writes and its recorded answer commit in
// one transaction, so a failure anywhere between the write and the answer leaves neither, and a retry
// with the key then writes exactly once. Failures are injected in the real database (a trigger that
// raises when the answer is recorded, one that raises at COMMIT, a terminated backend), REST and
// GraphQL, on both engines.
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp, type TestUser } from '../../../test/support/test-app.js';
import { imageSource } from '../../../test/support/fixtures.js';

let t: TestApp;
let ana: TestUser;
let boardId: string;

beforeAll(async () => {
  t = await createTestApp();
  ana = await t.signUp('keyed_ana');
  const board = await t.request({ method: 'POST', url: '/v5/boards', as: ana, payload: { name: 'Keyed writes' } });
  expect(board.statusCode, board.body).toBe(201);
  boardId = board.json<{ id: string }>().id;
  // Raises when the answer of a request whose key starts with "fail-record" is recorded: after the
  // request's writes, inside its transaction. "fail-commit" keys raise at COMMIT instead (deferred).
  await sql`
    CREATE FUNCTION test_refuse_answer() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN RAISE EXCEPTION 'injected failure after the write'; END $$
  `.execute(t.container.db);
  await sql`
    CREATE TRIGGER test_refuse_answer BEFORE INSERT OR UPDATE ON idempotency_keys FOR EACH ROW
    WHEN (NEW.status_code IS NOT NULL AND NEW.key LIKE 'fail-record%') EXECUTE FUNCTION test_refuse_answer()
  `.execute(t.container.db);
  await sql`
    CREATE CONSTRAINT TRIGGER test_refuse_commit AFTER INSERT OR UPDATE ON idempotency_keys
    DEFERRABLE INITIALLY DEFERRED FOR EACH ROW
    WHEN (NEW.status_code IS NOT NULL AND NEW.key LIKE 'fail-commit%') EXECUTE FUNCTION test_refuse_answer()
  `.execute(t.container.db);
  // A pin titled "slow ..." takes a second to insert, so a request stays in flight.
  await sql`
    CREATE FUNCTION test_slow_pin() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN PERFORM pg_sleep(1); RETURN NEW; END $$
  `.execute(t.container.db);
  await sql`
    CREATE TRIGGER test_slow_pin BEFORE INSERT ON pins FOR EACH ROW WHEN (NEW.title LIKE 'slow%') EXECUTE FUNCTION test_slow_pin()
  `.execute(t.container.db);
});
afterAll(async () => t?.close());

async function state() {
  const pins = await t.container.db.selectFrom('pins').select(['id', 'title']).where('owner_id', '=', ana.id).orderBy('id').execute();
  const boards = await t.container.db.selectFrom('boards').select(['id', 'name', 'pin_count']).where('owner_id', '=', ana.id).orderBy('id').execute();
  const owner = await t.container.db.selectFrom('users').select(['pin_count', 'board_count']).where('id', '=', ana.id).executeTakeFirstOrThrow();
  const keys = await t.container.db.selectFrom('idempotency_keys').select(['key', 'status_code']).where('user_id', '=', ana.id).orderBy('key').execute();
  return { pins, boards, owner, keys };
}

/** One picture per title, so that a retry sends the very same request. */
const pictures = new Map<string, Awaited<ReturnType<typeof imageSource>>>();

async function createPin(key: string, title: string) {
  if (!pictures.has(title)) pictures.set(title, await imageSource());
  return t.request({
    method: 'POST',
    url: '/v5/pins',
    as: ana,
    headers: { 'idempotency-key': key },
    payload: { board_id: boardId, title, media_source: pictures.get(title) },
  });
}

async function createBoardByGraphql(key: string, name: string) {
  return t.request({
    method: 'POST',
    url: '/graphql',
    as: ana,
    headers: { 'idempotency-key': key },
    payload: { query: 'mutation ($name: String!) { createBoard(input: { name: $name }) { id name } }', variables: { name } },
  });
}

async function removeInjectedFailures() {
  await sql`DROP TRIGGER test_refuse_answer ON idempotency_keys`.execute(t.container.db);
  await sql`DROP TRIGGER test_refuse_commit ON idempotency_keys`.execute(t.container.db);
}

describe('a keyed write and its recorded answer', () => {
  it('leave neither behind when recording the answer fails after the write (REST and GraphQL)', async () => {
    const before = await state();

    const pin = await createPin('fail-record-pin', 'Recorded with its answer');
    expect(pin.statusCode).toBeGreaterThanOrEqual(500);
    expect(pin.body).not.toContain('Recorded with its answer');
    const board = await createBoardByGraphql('fail-record-board', 'Board with its answer');
    expect(board.statusCode).toBeGreaterThanOrEqual(500);
    const committed = await createPin('fail-commit-pin', 'Committed with its answer');
    expect(committed.statusCode).toBeGreaterThanOrEqual(500);

    // No pin, no board, no counter moved, no key recorded: as if the requests never came.
    expect(await state()).toEqual(before);
  });

  it('then writes exactly once when the client retries with the same keys, and replays after that', async () => {
    await removeInjectedFailures();
    const pin = await createPin('fail-record-pin', 'Recorded with its answer');
    expect(pin.statusCode, pin.body).toBe(201);
    expect(pin.headers['idempotent-replayed']).toBeUndefined();
    const board = await createBoardByGraphql('fail-record-board', 'Board with its answer');
    expect(board.statusCode, board.body).toBe(200);
    expect(board.json<{ errors?: unknown }>().errors).toBeUndefined();
    const committed = await createPin('fail-commit-pin', 'Committed with its answer');
    expect(committed.statusCode, committed.body).toBe(201);

    const after = await state();
    const replayed = await createPin('fail-record-pin', 'Recorded with its answer');
    expect(replayed.statusCode).toBe(201);
    expect(replayed.headers['idempotent-replayed']).toBe('true');
    expect(replayed.json<{ id: string }>().id).toBe(pin.json<{ id: string }>().id);
    const boardAgain = await createBoardByGraphql('fail-record-board', 'Board with its answer');
    expect(boardAgain.headers['idempotent-replayed']).toBe('true');
    expect(boardAgain.body).toBe(board.body);
    expect(await state()).toEqual(after);

    expect(after.pins.map((row) => row.title).sort()).toEqual(['Committed with its answer', 'Recorded with its answer']);
    expect(after.boards.map((row) => row.name)).toContain('Board with its answer');
    expect(after.owner.pin_count).toBe(2);
    expect(after.boards.find((row) => row.id === boardId)?.pin_count).toBe(2);
  });

  it('keeps a refusal answered inside a keyed request (a caught unique violation) and replays it', async () => {
    const first = await createBoardByGraphql('board-twice-1', 'Twice');
    expect(first.json<{ errors?: unknown }>().errors).toBeUndefined();
    const before = await state();
    const conflict = await t.request({ method: 'POST', url: '/v5/boards', as: ana, headers: { 'idempotency-key': 'board-twice-2' }, payload: { name: 'Twice' } });
    expect(conflict.statusCode, conflict.body).toBe(409);
    // The request went on after the database refused its insert, and its answer was recorded.
    const again = await t.request({ method: 'POST', url: '/v5/boards', as: ana, headers: { 'idempotency-key': 'board-twice-2' }, payload: { name: 'Twice' } });
    expect(again.statusCode).toBe(409);
    expect(again.headers['idempotent-replayed']).toBe('true');
    const { keys, ...rest } = await state();
    expect(rest).toEqual({ pins: before.pins, boards: before.boards, owner: before.owner });
    expect(keys.map((row) => row.key)).toContain('board-twice-2');
  });
});

describe('a key whose request is in flight', () => {
  it('is refused (409) while the first request runs on PostgreSQL, and replayed once it answered', async () => {
    const first = createPin('in-flight-1', 'slow in flight');
    await new Promise((resolve) => setTimeout(resolve, 300));
    const duplicate = await createPin('in-flight-1', 'slow in flight');
    const answered = await first;
    expect(answered.statusCode, answered.body).toBe(201);
    if (t.container.database.engine === 'postgres') {
      expect(duplicate.statusCode, duplicate.body).toBe(409);
      expect(duplicate.json<{ code: number }>().code).toBe(4093);
    } else {
      // The embedded engine runs one transaction at a time: the duplicate waits for the first and
      // gets its answer.
      expect(duplicate.statusCode).toBe(201);
      expect(duplicate.json<{ id: string }>().id).toBe(answered.json<{ id: string }>().id);
    }
    const replay = await createPin('in-flight-1', 'slow in flight');
    expect(replay.headers['idempotent-replayed']).toBe('true');
    const pins = await t.container.db.selectFrom('pins').select('id').where('title', '=', 'slow in flight').execute();
    expect(pins).toHaveLength(1);
  });

  it('is free at once when the connection of the request holding it dies (no lease to wait out)', async (context) => {
    if (t.container.database.engine !== 'postgres') return context.skip();
    const first = createPin('killed-1', 'slow killed');
    // Its backend is sleeping in the pin insert, in the transaction that holds the key.
    let victim: number | undefined;
    for (let tries = 0; tries < 50 && victim === undefined; tries += 1) {
      await new Promise((resolve) => setTimeout(resolve, 20));
      const { rows } = await sql<{ pid: number }>`
        SELECT pid FROM pg_stat_activity WHERE wait_event = 'PgSleep' AND datname = current_database() AND pid <> pg_backend_pid()
      `.execute(t.container.db);
      victim = rows[0]?.pid;
    }
    expect(victim).toBeDefined();
    await sql`SELECT pg_terminate_backend(${victim})`.execute(t.container.db);
    const killed = await first;
    expect(killed.statusCode).toBe(503);
    expect(killed.headers['retry-after']).toBeDefined();

    // The retry right away runs (not 409 for a lease), and writes once.
    const retry = await createPin('killed-1', 'slow killed');
    expect(retry.statusCode, retry.body).toBe(201);
    const pins = await t.container.db.selectFrom('pins').select('id').where('title', '=', 'slow killed').execute();
    expect(pins).toHaveLength(1);
  });
});

describe('keyed and unkeyed requests together', () => {
  it('all answer: a keyed request holding its connection never waits on a read it shares with another request', async () => {
    const reads = (n: number) =>
      Array.from({ length: n }, (_, index) =>
        index % 2 === 0
          ? t.request({ method: 'GET', url: `/v5/boards/${boardId}`, as: ana })
          : t.request({ method: 'GET', url: `/v5/boards/${boardId}/pins`, as: ana }),
      );
    const replies = await Promise.all([
      ...reads(6),
      ...Array.from({ length: 8 }, (_, index) => createPin(`together-${index}`, `Together ${index}`)),
      ...reads(6),
    ]);
    expect(replies.map((reply) => reply.statusCode).filter((status) => status !== 200 && status !== 201)).toEqual([]);
    const pins = await t.container.db.selectFrom('pins').select('id').where('title', 'like', 'Together %').execute();
    expect(pins).toHaveLength(8);
  });
});
