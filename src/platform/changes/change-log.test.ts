// The change log as its readers see it: every graph change made through the API arrives, in commit
// order, once per durable reader even across a failed batch, and bulk loads can opt out.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'kysely';
import { createTestApp, type TestApp, type TestUser } from '../../../test/support/test-app.js';
import { createPin, makeBoard } from '../../pins/pin-test-support.js';
import type { LoggedChange } from './change.js';
import { changeFromRow } from './change.js';
import { DurableConsumer } from './durable-consumer.js';
import type { LogRow } from './log.repository.js';

let t: TestApp;
let ana: TestUser;
let ben: TestUser;

beforeAll(async () => {
  t = await createTestApp();
  ana = await t.signUp('ana');
  ben = await t.signUp('ben');
});
afterAll(async () => {
  await t.close();
});

type ChangeRow = LogRow & { kind: string; payload: Record<string, unknown>; created_at: Date };

describe('change log', () => {
  it('reaches every process-local subscriber, in order, for pins, boards and follows', async () => {
    const seen: LoggedChange[] = [];
    const unsubscribe = t.container.background.changes.subscribe('test', async (changes) => {
      seen.push(...changes);
    });
    const boardId = await makeBoard(t, ana, 'Trails');
    const pinId = (await createPin(t, ana, boardId)).id;
    const followed = await t.request({ method: 'POST', url: `/v5/user_account/following/${ana.username}`, as: ben, payload: {} });
    expect(followed.statusCode, followed.body).toBe(200);
    const madeSecret = await t.request({ method: 'PATCH', url: `/v5/boards/${boardId}`, as: ana, payload: { privacy: 'SECRET' } });
    expect(madeSecret.statusCode, madeSecret.body).toBe(200);
    const deleted = await t.request({ method: 'DELETE', url: `/v5/pins/${pinId}`, as: ana });
    expect(deleted.statusCode, deleted.body).toBe(204);
    await t.container.background.changes.poke();
    unsubscribe();

    const graph = seen.filter((change) => change.kind !== 'rows.changed');
    expect(graph.map((change) => change.kind)).toEqual(['pin.created', 'user.followed', 'board.privacy_changed', 'pin.deleted']);
    expect(graph[0]).toMatchObject({ pinId, boardId, ownerId: ana.id, parentPinId: null });
    expect(graph[1]).toMatchObject({ followerId: ben.id, followeeId: ana.id });
    expect(graph[2]).toMatchObject({ boardId, from: 'PUBLIC', to: 'SECRET' });
    // The rows those writes updated or deleted, for the caches: the board (counters, privacy), both
    // users (counters) and the deleted pin.
    const rows = seen.flatMap((change) => (change.kind === 'rows.changed' ? change.ids.map((id) => `${change.table}:${id}`) : []));
    expect(rows).toEqual(expect.arrayContaining([`boards:${boardId}`, `users:${ana.id}`, `users:${ben.id}`, `pins:${pinId}`]));
  });

  it('logs every update and delete of a cached table, whoever sends it, once per statement', async () => {
    const boardId = await makeBoard(t, ana, 'Direct edits');
    const pins = [(await createPin(t, ana, boardId)).id, (await createPin(t, ana, boardId)).id];
    const seen: LoggedChange[] = [];
    await t.container.background.changes.poke();
    const unsubscribe = t.container.background.changes.subscribe('test-rows', async (changes) => {
      seen.push(...changes);
    });
    // An operator's SQL, not a Corkboard code path.
    await t.container.db.updateTable('pins').set({ title: 'Edited by hand' }).where('board_id', '=', boardId).execute();
    await t.container.db.updateTable('users').set({ about: 'hand-edited' }).where('id', '=', ben.id).execute();
    await t.container.db.insertInto('board_collaborators').values({ board_id: boardId, user_id: ben.id, role: 'viewer', invited_by: ana.id }).execute();
    await t.container.db.deleteFrom('boards').where('id', '=', boardId).execute();
    await t.container.background.changes.poke();
    unsubscribe();

    const rows = seen.flatMap((change) => (change.kind === 'rows.changed' ? [{ table: change.table, ids: [...change.ids].sort() }] : []));
    expect(rows).toEqual(
      expect.arrayContaining([
        { table: 'pins', ids: [...pins].sort() },
        { table: 'users', ids: [ben.id] },
        { table: 'board_collaborators', ids: [boardId] },
        { table: 'boards', ids: [boardId] },
      ]),
    );
    // The board's deletion cascades to its pins and collaborators: one entry per table, not per row.
    expect(rows.filter((row) => row.table === 'pins')).toEqual([
      { table: 'pins', ids: [...pins].sort() },
      { table: 'pins', ids: [...pins].sort() },
    ]);
  });

  it('lets a durable reader resume where its last committed batch ended', async () => {
    const handled: string[] = [];
    let failNext = false;
    const consumer = new DurableConsumer<ChangeRow>(t.container.db, t.container.background.logs, {
      name: 'test-durable',
      table: 'change_log',
      startAt: 'tail',
      idleMs: 10,
      batchSize: 2,
      async handle(rows) {
        if (failNext) throw new Error('the worker died');
        handled.push(...rows.map((row) => changeFromRow(row).kind));
      },
    });
    expect(await consumer.drain()).toBe(0);
    const boardId = await makeBoard(t, ben, 'Bread');
    await createPin(t, ben, boardId);
    await createPin(t, ben, boardId);
    const followed = await t.request({ method: 'POST', url: `/v5/user_account/following/${ben.username}`, as: ana, payload: {} });
    expect(followed.statusCode, followed.body).toBe(200);

    failNext = true;
    await expect(consumer.batch()).rejects.toThrow('the worker died');
    failNext = false;
    const drained = await consumer.drain();
    expect(handled.filter((kind) => kind !== 'rows.changed')).toEqual(['pin.created', 'pin.created', 'user.followed']);
    // Each batch handled exactly once: every row read after the failure, none twice.
    expect(drained).toBe(handled.length);
    expect(await consumer.drain()).toBe(0);
  });

  it('shows in /metrics how long a failing reader has been behind, and 0 once it catches up', async () => {
    let failing = true;
    const consumer = new DurableConsumer<ChangeRow>(t.container.db, t.container.background.logs, {
      name: 'test-lagging',
      table: 'change_log',
      startAt: 'tail',
      idleMs: 10,
      async handle() {
        if (failing) throw new Error('the handler is broken');
      },
    });
    t.container.background.addConsumer(consumer);
    const metric = async (name: string) => {
      const text = (await t.request({ method: 'GET', url: '/metrics' })).body;
      const line = text.split('\n').find((row) => row.startsWith(`${name}{reader="test-lagging"}`));
      return line === undefined ? undefined : Number(line.split(' ').pop());
    };
    expect(await metric('corkboard_log_reader_behind_seconds')).toBe(0);
    await consumer.drain();
    consumer.start();
    try {
      await createPin(t, ana, await makeBoard(t, ana, 'Lagging'));
      await new Promise((resolve) => setTimeout(resolve, 400));
      expect(await metric('corkboard_log_reader_behind_seconds')).toBeGreaterThanOrEqual(0.3);
      expect(await metric('corkboard_log_reader_failures')).toBeGreaterThanOrEqual(1);

      // The reader's own loop retries with backoff and catches up once the handler works again.
      failing = false;
      await expect.poll(() => metric('corkboard_log_reader_failures'), { timeout: 5000 }).toBe(0);
      await expect.poll(() => metric('corkboard_log_reader_behind_seconds'), { timeout: 5000 }).toBeLessThan(0.2);
    } finally {
      await consumer.stop();
    }
  });

  it('holds back rows of a transaction that is still open, so none is skipped when it commits later', async () => {
    const boardId = await makeBoard(t, ana, 'Slow');
    const before = await t.container.background.logs.tail('change_log');
    let release!: () => void;
    const held = new Promise<void>((resolve) => {
      release = resolve;
    });
    // A transaction that writes a change and stays open while another commits after it.
    const slow = t.container.db.transaction().execute(async (tx) => {
      await sql`INSERT INTO change_log (kind, payload) VALUES ('test.slow', '{}')`.execute(tx);
      await held;
    });
    if (t.container.database.engine === 'pglite') {
      // One connection: nothing else can commit meanwhile, which is its own guarantee.
      release();
      await slow;
      return;
    }
    await new Promise((resolve) => setTimeout(resolve, 50));
    await createPin(t, ana, boardId);
    const visibleEarly = await t.container.background.logs.readAfter<ChangeRow>('change_log', before, 100);
    expect(visibleEarly.map((row) => row.kind)).toEqual([]);
    release();
    await slow;
    const afterCommit = await t.container.background.logs.readAfter<ChangeRow>('change_log', before, 100);
    expect(afterCommit.map((row) => row.kind).filter((kind) => kind !== 'rows.changed')).toEqual(['test.slow', 'pin.created']);
  });

  it('writes nothing for a transaction that opted out (bulk loads)', async () => {
    const before = await t.container.background.logs.tail('change_log');
    await t.container.db.transaction().execute(async (tx) => {
      await sql`SET LOCAL corkboard.skip_change_log = 'on'`.execute(tx);
      await tx.deleteFrom('user_follows').execute();
    });
    const rows = await t.container.background.logs.readAfter<ChangeRow>('change_log', before, 100);
    expect(rows).toEqual([]);
  });
});
