// Helpers shared by the home feed test files: people, boards and follows made through the API (so
// the following timelines hear of them as they would in production), pins inserted as rows with a
// chosen age, image and save count, and the feed read through GET /v5/feeds/home with its v5
// contract checked.
import { expect } from 'vitest';
import type { TestApp, TestUser } from '../../../test/support/test-app.js';
import { assertMatchesV5 } from '../../../test/support/contract.js';
import { DATASET_SHARD, idAt } from '../../dataset/dataset-ids.js';
import type { BoardPrivacy } from '../../platform/db/schema.js';
import type { PinBody } from '../../pins/pin.schemas.js';
import { makeBoard } from '../../pins/pin-test-support.js';
import { newImageCapability } from '../../media/image-capability.js';
import { readableByEveryone } from '../../boards/board-access.js';

export { makeBoard };

export interface FeedPage {
  items: PinBody[];
  bookmark: string | null;
}

export async function follow(t: TestApp, who: TestUser, whom: TestUser): Promise<void> {
  const res = await t.request({ method: 'POST', url: `/v5/user_account/following/${whom.username}`, as: who, payload: {} });
  expect(res.statusCode, res.body).toBe(200);
}

export async function followBoard(t: TestApp, who: TestUser, boardId: string): Promise<void> {
  const res = await t.request({ method: 'POST', url: `/v5/boards/${boardId}/follow`, as: who, payload: {} });
  expect(res.statusCode, res.body).toBe(200);
}

export async function setPrivacy(t: TestApp, owner: TestUser, boardId: string, privacy: BoardPrivacy): Promise<void> {
  const res = await t.request({ method: 'PATCH', url: `/v5/boards/${boardId}`, as: owner, payload: { privacy } });
  expect(res.statusCode, res.body).toBe(200);
}

let sequence = 0;

/** A new image row; pins given the same image are copies of one picture. */
export async function addImage(t: TestApp): Promise<string> {
  const imageId = t.container.ids.next();
  await t.container.db
    .insertInto('images')
    .values({ id: imageId, capability: newImageCapability(), sha256: `sha-${imageId}`, width: 100, height: 80, content_type: 'image/jpeg', dominant_color: '#112233', byte_size: 1234 })
    .execute();
  return imageId;
}

export interface PinOptions {
  /** How long ago the pin was created (default 1 hour). */
  ageHours?: number;
  imageId?: string;
  /** Its save count (default 0). */
  saves?: number;
  parentPinId?: string;
  title?: string;
}

/**
 * Inserts a pin created `ageHours` ago (its id encodes that time, as every pin id does), with the
 * board's and the owner's pin counts kept right. Returns its id and image id.
 */
export async function addPin(t: TestApp, owner: TestUser, boardId: string, options: PinOptions = {}): Promise<{ pinId: string; imageId: string }> {
  const db = t.container.db;
  const imageId = options.imageId ?? (await addImage(t));
  const createdMs = Math.floor(Date.now() - (options.ageHours ?? 1) * 3_600_000);
  sequence = (sequence + 1) % 4096;
  const pinId = idAt(createdMs, sequence, DATASET_SHARD);
  await db
    .insertInto('pins')
    .values({
      id: pinId,
      owner_id: owner.id,
      board_id: boardId,
      image_id: imageId,
      parent_pin_id: options.parentPinId ?? null,
      title: options.title ?? null,
      save_count: options.saves ?? 0,
      created_at: new Date(createdMs),
    })
    .execute();
  const board = await db
    .updateTable('boards')
    .set((eb) => ({ pin_count: eb('pin_count', '+', 1) }))
    .where('id', '=', boardId)
    .returning('privacy')
    .executeTakeFirstOrThrow();
  await db
    .updateTable('users')
    .set((eb) => ({ pin_count: eb('pin_count', '+', 1), public_pin_count: eb('public_pin_count', '+', readableByEveryone(board.privacy) ? 1 : 0) }))
    .where('id', '=', owner.id)
    .execute();
  return { pinId, imageId };
}

/** One page of the viewer's home feed, checked against the v5 shapes of a Pin list. */
export async function homeFeed(t: TestApp, as: TestUser, query: { page_size?: number; bookmark?: string | null } = {}): Promise<FeedPage> {
  const params = new URLSearchParams();
  if (query.page_size !== undefined) params.set('page_size', String(query.page_size));
  if (query.bookmark) params.set('bookmark', query.bookmark);
  const res = await t.request({ method: 'GET', url: `/v5/feeds/home?${params.toString()}`, as });
  expect(res.statusCode, res.body).toBe(200);
  const body = res.json<FeedPage>();
  // The list has the shape of Pinterest's pin lists, and every item is a v5 Pin.
  assertMatchesV5('GET', '/boards/{board_id}/pins', 200, body);
  for (const item of body.items) assertMatchesV5('GET', '/pins/{pin_id}', 200, item);
  return body;
}

/** Pin ids of the whole feed, page by page; `between` runs after each page but the last (e.g. new pins arriving). */
export async function walkFeed(
  t: TestApp,
  as: TestUser,
  pageSize: number,
  between?: (page: number, bookmark: string) => Promise<void>,
): Promise<string[][]> {
  const pages: string[][] = [];
  let bookmark: string | null = null;
  do {
    const page: FeedPage = await homeFeed(t, as, { page_size: pageSize, bookmark });
    pages.push(page.items.map((item) => item.id));
    bookmark = page.bookmark;
    if (bookmark) await between?.(pages.length, bookmark);
  } while (bookmark && pages.length < 200);
  return pages;
}

/** Reports engagement events as a client does (POST /v5/events). */
export async function recordEvents(t: TestApp, as: TestUser, kind: string, pinIds: readonly string[]): Promise<void> {
  const res = await t.request({ method: 'POST', url: '/v5/events', as, payload: { events: pinIds.map((pin_id) => ({ kind, pin_id })) } });
  expect(res.statusCode, res.body).toBe(200);
}
