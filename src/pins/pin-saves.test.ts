import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp, type TestUser } from '../../test/support/test-app.js';
import { assertMatchesV5 } from '../../test/support/contract.js';
import type { PinBody } from './pin.schemas.js';
import { counts, createPin, makeBoard, makeSection, rowCount } from './pin-test-support.js';

describe('saving pins', () => {
  let t: TestApp;
  let alice: TestUser;
  let bob: TestUser;
  let aliceBoard: string;
  let bobBoard: string;

  beforeAll(async () => {
    t = await createTestApp();
    alice = await t.signUp('alice');
    bob = await t.signUp('bob');
    aliceBoard = await makeBoard(t, alice, 'Gardens');
    bobBoard = await makeBoard(t, bob, 'Ideas');
  });
  afterAll(async () => t.close());

  const save = (as: TestUser, pinId: string, payload: Record<string, unknown>) =>
    t.request({ method: 'POST', url: `/v5/pins/${pinId}/save`, as, payload });

  async function saveCount(pinId: string): Promise<number> {
    const row = await t.container.db.selectFrom('pins').select('save_count').where('id', '=', pinId).executeTakeFirstOrThrow();
    return row.save_count;
  }

  it("makes the saver's own copy with the source as parent, and counts it", async () => {
    const source = await createPin(t, alice, aliceBoard, {
      title: 'Roses',
      description: 'Climbing roses',
      link: 'https://roses.test/',
      alt_text: 'Pink roses',
    });
    const section = await makeSection(t, bob, bobBoard, 'Flowers');
    const before = await counts(t, bobBoard, bob);
    const res = await save(bob, source.id, { board_id: bobBoard, board_section_id: section });
    expect(res.statusCode, res.body).toBe(201);
    const saved = res.json<PinBody>();
    assertMatchesV5('POST', '/pins/{pin_id}/save', 201, saved);
    expect(saved.id).not.toBe(source.id);
    expect(saved).toMatchObject({
      parent_pin_id: source.id,
      board_id: bobBoard,
      board_section_id: section,
      board_owner: { username: 'bob' },
      is_owner: true,
      title: 'Roses',
      description: 'Climbing roses',
      link: 'https://roses.test/',
      alt_text: 'Pink roses',
      dominant_color: source.dominant_color,
      media: source.media,
    });
    expect(await saveCount(source.id)).toBe(1);
    expect(await counts(t, bobBoard, bob)).toEqual({
      boardPins: before.boardPins + 1,
      userPins: before.userPins + 1,
      userPublicPins: before.userPublicPins + 1,
    });

    // Saving it onto the same board again returns the same pin and counts nothing.
    const again = await save(bob, source.id, { board_id: bobBoard });
    expect(again.statusCode).toBe(201);
    expect(again.json<PinBody>().id).toBe(saved.id);
    expect(await saveCount(source.id)).toBe(1);
    expect((await counts(t, bobBoard, bob)).boardPins).toBe(before.boardPins + 1);

    // Deleting the save gives the count back.
    const deleted = await t.request({ method: 'DELETE', url: `/v5/pins/${saved.id}`, as: bob });
    expect(deleted.statusCode).toBe(204);
    expect(await saveCount(source.id)).toBe(0);
    expect(await counts(t, bobBoard, bob)).toEqual(before);
  });

  it('keeps one row and exact counts under 10 concurrent saves of one pin onto one board', async () => {
    const source = await createPin(t, alice, aliceBoard, { title: 'Tulips' });
    const target = await makeBoard(t, bob, 'Race');
    const before = await counts(t, target, bob);
    const pinsBefore = await rowCount(t, 'pins');
    const results = await Promise.all(Array.from({ length: 10 }, () => save(bob, source.id, { board_id: target })));
    for (const res of results) {
      expect(res.statusCode, res.body).toBe(201);
      assertMatchesV5('POST', '/pins/{pin_id}/save', 201, res.json());
    }
    const ids = new Set(results.map((res) => res.json<PinBody>().id));
    expect(ids.size).toBe(1);
    expect(await rowCount(t, 'pins')).toBe(pinsBefore + 1);
    expect(await saveCount(source.id)).toBe(1);
    expect(await counts(t, target, bob)).toEqual({
      boardPins: before.boardPins + 1,
      userPins: before.userPins + 1,
      userPublicPins: before.userPublicPins + 1,
    });
  });

  it('counts saves onto different boards separately, also when concurrent', async () => {
    const source = await createPin(t, alice, aliceBoard);
    const boards = await Promise.all([1, 2, 3, 4].map((i) => makeBoard(t, bob, `Many ${i}`)));
    const results = await Promise.all(boards.map((board) => save(bob, source.id, { board_id: board })));
    expect(results.map((res) => res.statusCode)).toEqual([201, 201, 201, 201]);
    expect(await saveCount(source.id)).toBe(4);
  });

  it('needs a readable pin and a board the saver may pin to', async () => {
    const secret = await makeBoard(t, alice, 'Hidden', 'SECRET');
    const hiddenPin = await createPin(t, alice, secret);
    const hidden = await save(bob, hiddenPin.id, { board_id: bobBoard });
    expect(hidden.statusCode).toBe(404);
    expect(hidden.json<{ code: number }>().code).toBe(50);
    assertMatchesV5('POST', '/pins/{pin_id}/save', 404, hidden.json());

    const source = await createPin(t, alice, aliceBoard);
    const notMine = await save(bob, source.id, { board_id: aliceBoard });
    expect(notMine.statusCode).toBe(403);
    expect(notMine.json<{ code: number }>().code).toBe(29);
    assertMatchesV5('POST', '/pins/{pin_id}/save', 403, notMine.json());
    const missingBoard = await save(bob, source.id, { board_id: '4242' });
    expect(missingBoard.statusCode).toBe(404);
    expect(missingBoard.json<{ code: number }>().code).toBe(40);
    const missingSection = await save(bob, source.id, { board_id: bobBoard, board_section_id: '4242' });
    expect(missingSection.statusCode).toBe(404);
    expect(missingSection.json<{ code: number }>().code).toBe(2031);
    for (const payload of [{}, { board_id: null }, { board_id: bobBoard, extra: true }]) {
      const bad = await save(bob, source.id, payload);
      expect(bad.statusCode, JSON.stringify(payload)).toBe(400);
      assertMatchesV5('POST', '/pins/{pin_id}/save', 400, bad.json());
    }
    const anonymous = await t.request({ method: 'POST', url: `/v5/pins/${source.id}/save`, payload: { board_id: bobBoard } });
    expect(anonymous.statusCode).toBe(401);
    expect(await saveCount(source.id)).toBe(0);
  });

  it('treats POST /v5/pins with parent_pin_id as a save, with fields overriding the parent', async () => {
    const source = await createPin(t, alice, aliceBoard, { title: 'Original', description: 'Kept' });
    const target = await makeBoard(t, bob, 'Via create');
    const res = await t.request({
      method: 'POST',
      url: '/v5/pins',
      as: bob,
      payload: { board_id: target, parent_pin_id: source.id, title: 'My title' },
    });
    expect(res.statusCode, res.body).toBe(201);
    const pin = res.json<PinBody>();
    assertMatchesV5('POST', '/pins', 201, pin);
    expect(pin).toMatchObject({ parent_pin_id: source.id, title: 'My title', description: 'Kept', media: source.media });
    expect(await saveCount(source.id)).toBe(1);
  });

  it('shows parent_pin_id only to those who can see the parent, and clears it when the parent goes', async () => {
    const secret = await makeBoard(t, alice, 'Private sketches', 'SECRET');
    const parent = await createPin(t, alice, secret);
    const child = (await save(alice, parent.id, { board_id: aliceBoard })).json<PinBody>();
    expect(child.parent_pin_id).toBe(parent.id);
    const asBob = await t.request({ method: 'GET', url: `/v5/pins/${child.id}`, as: bob });
    expect(asBob.statusCode).toBe(200);
    expect(asBob.json<PinBody>().parent_pin_id).toBeNull();

    const deleted = await t.request({ method: 'DELETE', url: `/v5/pins/${parent.id}`, as: alice });
    expect(deleted.statusCode).toBe(204);
    const asAlice = await t.request({ method: 'GET', url: `/v5/pins/${child.id}`, as: alice });
    expect(asAlice.json<PinBody>().parent_pin_id).toBeNull();
  });
});
