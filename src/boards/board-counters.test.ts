// Counters stay exact: users' board and pin counts (all, and PUBLIC-only as others see them),
// boards' pin counts and pins' save counts, through privacy flips, deletes and concurrent requests.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp, type TestUser } from '../../test/support/test-app.js';
import { assertMatchesV5 } from '../../test/support/contract.js';
import * as support from './board-test-support.js';

describe('board counters', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp();
  });
  afterAll(async () => t.close());

  const createBoard = (as: TestUser, payload: Record<string, unknown>) => support.createBoard(t, as, payload);
  const accountCounts = (as: TestUser, username?: string) => support.accountCounts(t, as, username);
  const insertPin = (owner: TestUser, boardId: string, parentPinId: string | null = null) =>
    support.insertPin(t, owner, boardId, parentPinId);
  const expectCountersExact = () => support.expectCountersExact(t);

  it('moves public board and pin counts with privacy flips, for the owner and every pinner', async () => {
    const own = await t.signUp('olga');
    const helper = await t.signUp('pete');
    const stranger = await t.signUp('quinn');
    const board = await createBoard(own, { name: 'Group' });
    const invite = await t.request({
      method: 'POST',
      url: `/v5/boards/${board.id}/collaborators`,
      payload: { username: 'pete', role: 'editor' },
      as: own,
    });
    expect(invite.statusCode).toBe(201);
    await insertPin(own, board.id);
    await insertPin(own, board.id);
    await insertPin(helper, board.id);
    const publicCounts = async (username: string) => accountCounts(stranger, username);
    expect(await publicCounts('olga')).toMatchObject({ board_count: 1, pin_count: 2 });
    expect(await publicCounts('pete')).toMatchObject({ board_count: 0, pin_count: 1 });

    for (const privacy of ['SECRET', 'PROTECTED', 'PUBLIC', 'PROTECTED', 'SECRET'] as const) {
      const reply = await t.request({ method: 'PATCH', url: `/v5/boards/${board.id}`, payload: { privacy }, as: own });
      expect(reply.statusCode).toBe(200);
      const visible = privacy === 'PUBLIC';
      expect(await publicCounts('olga'), privacy).toMatchObject({ board_count: visible ? 1 : 0, pin_count: visible ? 2 : 0 });
      expect(await publicCounts('pete'), privacy).toMatchObject({ pin_count: visible ? 1 : 0 });
      expect(await accountCounts(own)).toMatchObject({ board_count: 1, pin_count: 2 });
      await expectCountersExact();
    }
  });

  it('takes back every count when a board with pins and saves is deleted', async () => {
    const rae = await t.signUp('rae');
    const sam = await t.signUp('sam');
    const source = await createBoard(sam, { name: 'Source' });
    const sourcePin = await insertPin(sam, source.id);
    const doomed = await createBoard(rae, { name: 'Doomed' });
    await t.request({ method: 'POST', url: `/v5/boards/${doomed.id}/collaborators`, payload: { username: 'sam', role: 'editor' }, as: rae });
    const kept = await createBoard(rae, { name: 'Kept' });
    const keptPin = await insertPin(rae, kept.id);
    // On the doomed board: a save of sam's pin, a save of a kept pin, sam's own pin, and a pin saved elsewhere.
    await insertPin(rae, doomed.id, sourcePin.pinId);
    await insertPin(rae, doomed.id, keptPin.pinId);
    await insertPin(sam, doomed.id);
    const savedFromDoomed = await insertPin(rae, doomed.id);
    await insertPin(sam, source.id, savedFromDoomed.pinId);
    await expectCountersExact();

    const deleted = await t.request({ method: 'DELETE', url: `/v5/boards/${doomed.id}`, as: rae });
    expect(deleted.statusCode).toBe(204);
    await expectCountersExact();
    expect(await accountCounts(rae)).toMatchObject({ board_count: 1, pin_count: 1 });
    expect(await accountCounts(sam)).toMatchObject({ board_count: 1, pin_count: 2 });
    const saveCounts = await t.container.db.selectFrom('pins').select(['id', 'save_count']).where('id', 'in', [sourcePin.pinId, keptPin.pinId]).execute();
    expect(saveCounts.map((pin) => pin.save_count)).toEqual([0, 0]);
    const sections = await t.container.db.selectFrom('board_sections').select('id').where('board_id', '=', doomed.id).execute();
    expect(sections).toEqual([]);
  });

  it('creates exactly one of ten concurrent boards with the same name', async () => {
    const tom = await t.signUp('tom');
    const replies = await Promise.all(
      Array.from({ length: 10 }, () => t.request({ method: 'POST', url: '/v5/boards', payload: { name: 'Race' }, as: tom })),
    );
    const statuses = replies.map((reply) => reply.statusCode).sort();
    expect(statuses).toEqual([201, ...Array<number>(9).fill(409)]);
    for (const reply of replies) assertMatchesV5('POST', '/boards', reply.statusCode, reply.json());
    expect((await accountCounts(tom)).board_count).toBe(1);
    await expectCountersExact();
  });

  it('keeps counts exact under concurrent privacy flips and deletes', async () => {
    const uma = await t.signUp('uma');
    const board = await createBoard(uma, { name: 'Flippy' });
    for (let i = 0; i < 3; i += 1) await insertPin(uma, board.id);
    const flips = ['SECRET', 'PUBLIC', 'PROTECTED', 'PUBLIC', 'SECRET', 'PUBLIC'].map((privacy) =>
      t.request({ method: 'PATCH', url: `/v5/boards/${board.id}`, payload: { privacy }, as: uma }),
    );
    const replies = await Promise.all([...flips, t.request({ method: 'DELETE', url: `/v5/boards/${board.id}`, as: uma })]);
    for (const reply of replies) expect([200, 204, 404]).toContain(reply.statusCode);
    await expectCountersExact();
  });
});
