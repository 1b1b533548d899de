// Helpers shared by the board test files: boards made through the API (contract-checked), pins
// inserted as rows with their counters (the pins API is tested on its own), and a check that every
// stored counter equals a fresh count of the rows it counts.
import { expect } from 'vitest';
import type { TestApp, TestUser } from '../../test/support/test-app.js';
import { assertMatchesV5 } from '../../test/support/contract.js';
import type { BoardPrivacy } from '../platform/db/schema.js';
import { newImageCapability } from '../media/image-capability.js';
import { readableByEveryone } from './board-access.js';
import { boardReadableByEveryone } from './board-visibility.sql.js';

export interface BoardBody {
  id: string;
  name: string;
  description: string | null;
  privacy?: BoardPrivacy;
  owner: { username: string };
  pin_count: number;
  follower_count: number;
  collaborator_count: number;
  created_at: string;
  board_pins_modified_at: string;
  media: { image_cover_url: string | null; pin_thumbnail_urls: string[] };
}

export async function createBoard(t: TestApp, as: TestUser, payload: Record<string, unknown>): Promise<BoardBody> {
  const reply = await t.request({ method: 'POST', url: '/v5/boards', payload, as });
  assertMatchesV5('POST', '/boards', reply.statusCode, reply.json());
  expect(reply.statusCode, reply.body).toBe(201);
  return reply.json<BoardBody>();
}

/** board_count and pin_count as `as` sees them: their own account, or `username`'s public profile. */
export async function accountCounts(t: TestApp, as: TestUser, username?: string): Promise<{ board_count: number; pin_count: number }> {
  const reply = await t.request({ method: 'GET', url: username ? `/v5/users/${username}` : '/v5/user_account', as });
  expect(reply.statusCode).toBe(200);
  return reply.json<{ board_count: number; pin_count: number }>();
}

/** Inserts a pin row the way the pins feature does, counters included (the pins API is separate). */
export async function insertPin(t: TestApp, owner: TestUser, boardId: string, parentPinId: string | null = null) {
  const db = t.container.db;
  const imageId = t.container.ids.next();
  const capability = newImageCapability();
  await db
    .insertInto('images')
    .values({ id: imageId, capability, sha256: `sha-${imageId}`, width: 100, height: 80, content_type: 'image/jpeg', dominant_color: '#112233', byte_size: 1234 })
    .execute();
  const pinId = t.container.ids.next();
  await db.insertInto('pins').values({ id: pinId, owner_id: owner.id, board_id: boardId, image_id: imageId, parent_pin_id: parentPinId }).execute();
  const board = await db
    .updateTable('boards')
    .set((eb) => ({ pin_count: eb('pin_count', '+', 1) }))
    .where('id', '=', boardId)
    .returning('privacy')
    .executeTakeFirstOrThrow();
  await db
    .updateTable('users')
    .set((eb) => ({
      pin_count: eb('pin_count', '+', 1),
      public_pin_count: eb('public_pin_count', '+', readableByEveryone(board.privacy) ? 1 : 0),
    }))
    .where('id', '=', owner.id)
    .execute();
  if (parentPinId) {
    await db.updateTable('pins').set((eb) => ({ save_count: eb('save_count', '+', 1) })).where('id', '=', parentPinId).execute();
  }
  return { pinId, imageId, capability };
}

/** Every stored counter equals a fresh count of the rows it counts. */
export async function expectCountersExact(t: TestApp): Promise<void> {
  const db = t.container.db;
  const users = await db
    .selectFrom('users')
    .select((eb) => [
      'username',
      'board_count',
      'public_board_count',
      'pin_count',
      'public_pin_count',
      eb.selectFrom('boards').whereRef('boards.owner_id', '=', 'users.id').select(eb.fn.countAll<number>().as('n')).as('boards_n'),
      eb
        .selectFrom('boards')
        .whereRef('boards.owner_id', '=', 'users.id')
        .where(boardReadableByEveryone('boards'))
        .select(eb.fn.countAll<number>().as('n'))
        .as('public_boards_n'),
      eb.selectFrom('pins').whereRef('pins.owner_id', '=', 'users.id').select(eb.fn.countAll<number>().as('n')).as('pins_n'),
      eb
        .selectFrom('pins')
        .innerJoin('boards', 'boards.id', 'pins.board_id')
        .whereRef('pins.owner_id', '=', 'users.id')
        .where(boardReadableByEveryone('boards'))
        .select(eb.fn.countAll<number>().as('n'))
        .as('public_pins_n'),
    ])
    .execute();
  for (const user of users) {
    expect(
      [user.board_count, user.public_board_count, user.pin_count, user.public_pin_count],
      `counters of ${user.username}`,
    ).toEqual([Number(user.boards_n), Number(user.public_boards_n), Number(user.pins_n), Number(user.public_pins_n)]);
  }
  const boards = await db
    .selectFrom('boards')
    .select((eb) => [
      'name',
      'pin_count',
      eb.selectFrom('pins').whereRef('pins.board_id', '=', 'boards.id').select(eb.fn.countAll<number>().as('n')).as('pins_n'),
    ])
    .execute();
  for (const board of boards) expect(board.pin_count, `pin_count of ${board.name}`).toBe(Number(board.pins_n));
  const pins = await db
    .selectFrom('pins as p')
    .select((eb) => [
      'p.id',
      'p.save_count',
      eb.selectFrom('pins as s').whereRef('s.parent_pin_id', '=', 'p.id').select(eb.fn.countAll<number>().as('n')).as('saves_n'),
    ])
    .execute();
  for (const pin of pins) expect(pin.save_count, `save_count of pin ${pin.id}`).toBe(Number(pin.saves_n));
}
