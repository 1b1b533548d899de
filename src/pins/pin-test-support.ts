// Helpers shared by the pin test files: boards, sections and collaborators made through the board
// services (so their counters are real), images drawn with sharp, and pins made through the API.
import sharp from 'sharp';
import { expect } from 'vitest';
import type { BoardPrivacy, CollaboratorRole } from '../platform/db/schema.js';
import { V5_SCOPES, type Viewer } from '../platform/http/viewer.js';
import type { TestApp, TestUser } from '../../test/support/test-app.js';
import { assertMatchesV5 } from '../../test/support/contract.js';
import type { PinBody } from './pin.schemas.js';

export function asViewer(user: TestUser): Viewer {
  return { userId: user.id, username: user.username, scopes: new Set(V5_SCOPES), isAdmin: false };
}

export async function makeBoard(t: TestApp, owner: TestUser, name: string, privacy: BoardPrivacy = 'PUBLIC'): Promise<string> {
  const card = await t.container.services.boards.create(asViewer(owner), { name, privacy });
  return card.board.id;
}

export async function makeSection(t: TestApp, owner: TestUser, boardId: string, name: string): Promise<string> {
  const section = await t.container.services.boardSections.create(asViewer(owner), boardId, name);
  return section.id;
}

export async function addCollaborator(
  t: TestApp,
  owner: TestUser,
  boardId: string,
  user: TestUser,
  role: CollaboratorRole,
): Promise<void> {
  await t.container.services.boardMembers.invite(asViewer(owner), boardId, { username: user.username, role });
}

let colourSeed = 0;

/** A PNG of one colour; each call without `colour` draws a different one, so the bytes differ. */
export async function pngImage(width = 640, height = 480, colour?: string): Promise<Buffer> {
  colourSeed += 1;
  const background = colour ?? `#${((colourSeed * 2654435761) % 0xffffff).toString(16).padStart(6, '0')}`;
  return sharp({ create: { width, height, channels: 3, background } }).png().toBuffer();
}

export async function jpegImage(width = 800, height = 600, colour = '#2a7ab0'): Promise<Buffer> {
  return sharp({ create: { width, height, channels: 3, background: colour } }).jpeg().toBuffer();
}

export function base64Source(data: Buffer, contentType = 'image/png') {
  return { source_type: 'image_base64', content_type: contentType, data: data.toString('base64') };
}

/** Creates a pin through POST /v5/pins (checked against the contract) and returns it. */
export async function createPin(
  t: TestApp,
  as: TestUser,
  boardId: string,
  fields: Record<string, unknown> = {},
): Promise<PinBody> {
  const res = await t.request({
    method: 'POST',
    url: '/v5/pins',
    as,
    payload: { board_id: boardId, media_source: base64Source(await pngImage(64, 48)), ...fields },
  });
  expect(res.statusCode, res.body).toBe(201);
  const pin = res.json<PinBody>();
  assertMatchesV5('POST', '/pins', 201, pin);
  return pin;
}

export interface Counts {
  boardPins: number;
  userPins: number;
  userPublicPins: number;
}

export async function counts(t: TestApp, boardId: string, user: TestUser): Promise<Counts> {
  const board = await t.container.db.selectFrom('boards').select('pin_count').where('id', '=', boardId).executeTakeFirstOrThrow();
  const account = await t.container.db
    .selectFrom('users')
    .select(['pin_count', 'public_pin_count'])
    .where('id', '=', user.id)
    .executeTakeFirstOrThrow();
  return { boardPins: board.pin_count, userPins: account.pin_count, userPublicPins: account.public_pin_count };
}

export async function rowCount(t: TestApp, table: 'pins' | 'images'): Promise<number> {
  const row = await t.container.db
    .selectFrom(table)
    .select((eb) => eb.fn.countAll<string>().as('n'))
    .executeTakeFirstOrThrow();
  return Number(row.n);
}
