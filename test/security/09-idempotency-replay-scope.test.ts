// Finding 9 (idempotency): Idempotency-Key records belong to a user, not to a token. A replay must not
// hand a token an answer it could not have got itself: the scopes of the token that made the first
// request are kept with the record, and a token lacking any of them is refused (403, code 3) instead
// of replayed, changing nothing. A token with the same or more scopes still gets the replay.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp, type TestUser } from '../support/test-app.js';
import { NO_SECRET_SCOPES, imageSource, tokenFor } from '../support/fixtures.js';

let t: TestApp;
let owner: TestUser;
let weak: TestUser;
let secretBoardId: string;

beforeAll(async () => {
  t = await createTestApp();
  owner = await t.signUp('keeper');
  weak = await tokenFor(t, owner, NO_SECRET_SCOPES);
  const board = await t.request({ method: 'POST', url: '/v5/boards', as: owner, payload: { name: 'Hidden plans', privacy: 'SECRET' } });
  expect(board.statusCode, board.body).toBe(201);
  secretBoardId = board.json<{ id: string }>().id;
});
afterAll(async () => t?.close());

async function state() {
  const pins = await t.container.db.selectFrom('pins').select(['id', 'title']).orderBy('id').execute();
  const keys = await t.container.db.selectFrom('idempotency_keys').selectAll().orderBy('key').execute();
  return { pins, keys };
}

describe('replaying an Idempotency-Key answer', () => {
  it('refuses a token without the scopes of the first request, and changes nothing', async () => {
    const body = {
      board_id: secretBoardId,
      title: 'Surprise party venue',
      media_source: await imageSource(),
    };
    const first = await t.request({ method: 'POST', url: '/v5/pins', as: owner, headers: { 'idempotency-key': 'pin-1' }, payload: body });
    expect(first.statusCode, first.body).toBe(201);
    const pinId = first.json<{ id: string }>().id;

    const before = await state();
    const replayed = await t.request({ method: 'POST', url: '/v5/pins', as: weak, headers: { 'idempotency-key': 'pin-1' }, payload: body });
    expect(replayed.statusCode).toBe(403);
    expect(replayed.json<{ code: number }>().code).toBe(3);
    expect(replayed.body).not.toContain(pinId);
    expect(replayed.body).not.toContain('Surprise party venue');
    expect(replayed.headers['idempotent-replayed']).toBeUndefined();
    expect(await state()).toEqual(before);

    // The same person's other token with the same scopes gets the replay.
    const again = await tokenFor(t, owner, [...new Set([...NO_SECRET_SCOPES, 'boards:read_secret', 'boards:write_secret', 'pins:read_secret', 'pins:write_secret'] as const)]);
    const replay = await t.request({ method: 'POST', url: '/v5/pins', as: again, headers: { 'idempotency-key': 'pin-1' }, payload: body });
    expect(replay.statusCode).toBe(201);
    expect(replay.headers['idempotent-replayed']).toBe('true');
    expect(replay.json<{ id: string }>().id).toBe(pinId);
    expect(await state()).toEqual(before);
  });

  it('replays to a stronger token an answer a weaker one got', async () => {
    const body = { name: 'Open plans', privacy: 'PUBLIC' };
    const first = await t.request({ method: 'POST', url: '/v5/boards', as: weak, headers: { 'idempotency-key': 'board-1' }, payload: body });
    expect(first.statusCode).toBe(201);
    const replay = await t.request({ method: 'POST', url: '/v5/boards', as: owner, headers: { 'idempotency-key': 'board-1' }, payload: body });
    expect(replay.statusCode).toBe(201);
    expect(replay.headers['idempotent-replayed']).toBe('true');
    expect(replay.json<{ id: string }>().id).toBe(first.json<{ id: string }>().id);
  });
});
