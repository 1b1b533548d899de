// Paging through the home feed while the world moves on: new pins from the people and boards the
// viewer follows (which would rank first), new popular pins on the boards the picked pool draws
// from, saves of pins already in the feed. Each page continues the first page's feed: no pin twice,
// none left out, none of the newcomers, whether the feed's list is still cached or must be rebuilt
// from the bookmark.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp, type TestUser } from '../../../test/support/test-app.js';
import { decodePosition, snapshotKey } from './home-feed-cursor.js';
import { LIST_CACHE } from './home-feed.service.js';
import { INTERESTS_CACHE } from './viewer-interests.js';
import { addPin, follow, followBoard, homeFeed, makeBoard, walkFeed } from './home-feed-test-support.js';

let t: TestApp;
let viewer: TestUser;
let ann: TestUser;
let bob: TestUser;
const boards: Record<string, string> = {};
const strangers: TestUser[] = [];
let arrivals = 0;

beforeAll(async () => {
  t = await createTestApp({ FEED_PICKED_RATE: '0.4' });
  [viewer, ann, bob] = [await t.signUp('page_viewer'), await t.signUp('page_ann'), await t.signUp('page_bob')];
  await follow(t, viewer, ann);
  boards.ann = await makeBoard(t, ann, 'Road trips');
  boards.bob = await makeBoard(t, bob, 'Weeknight dinners');
  await followBoard(t, viewer, boards.bob);
  await makeBoard(t, viewer, 'Dinner Ideas');
  for (let n = 0; n < 25; n += 1) {
    await addPin(t, ann, boards.ann, { ageHours: 2 * n + 1, saves: n % 4 });
    await addPin(t, bob, boards.bob, { ageHours: 3 * n + 2, saves: n % 3 });
  }
  for (let index = 0; index < 4; index += 1) {
    const stranger = await t.signUp(`page_stranger${index}`);
    strangers.push(stranger);
    boards[`stranger${index}`] = await makeBoard(t, stranger, 'Dinner Ideas');
    for (let n = 0; n < 6; n += 1) await addPin(t, stranger, boards[`stranger${index}`]!, { ageHours: 10 + n, saves: 5 + n });
  }
  await t.container.background.settle();
});
afterAll(async () => t.close());

/** Pins that arrive between two pages: fresh ones the viewer follows, and popular ones on picked boards. */
async function newPinsArrive(): Promise<string[]> {
  const created: string[] = [];
  for (const [owner, board] of [
    [ann, boards.ann],
    [bob, boards.bob],
    [strangers[0]!, boards.stranger0],
    [strangers[1]!, boards.stranger1],
  ] as const) {
    arrivals += 1;
    // Created now, so they are newer than any snapshot taken before (ages in the past would not be).
    const pin = await addPin(t, owner, board!, { ageHours: 0, saves: 1000 + arrivals, title: `arrival ${arrivals}` });
    created.push(pin.pinId);
  }
  await t.container.background.settle();
  return created;
}

/** The whole feed at once, before anything arrives: what paging must reproduce, in some order. */
async function wholeFeed(): Promise<Set<string>> {
  const page = await homeFeed(t, viewer, { page_size: 250 });
  expect(page.bookmark).toBeNull();
  return new Set(page.items.map((item) => item.id));
}

describe('home feed pagination while new pins arrive', () => {
  it('neither repeats nor skips a pin, and shows none of the newcomers, while the list is cached', async () => {
    const whole = await wholeFeed();
    expect(whole.size).toBeGreaterThan(60);
    const arrived: string[] = [];
    const pages = await walkFeed(t, viewer, 7, async () => {
      arrived.push(...(await newPinsArrive()));
    });
    const walked = pages.flat();
    expect(pages.length).toBeGreaterThan(8);
    expect(walked.length).toBe(new Set(walked).size);
    expect(new Set(walked)).toEqual(whole);
    expect(walked.filter((id) => arrived.includes(id))).toEqual([]);
  });

  it('continues the same feed when every later page has to rebuild it from the bookmark', async () => {
    const whole = await wholeFeed();
    const arrived: string[] = [];
    const pages = await walkFeed(t, viewer, 9, async (_page, bookmark) => {
      arrived.push(...(await newPinsArrive()));
      // The list and the viewer's interests leave the cache (another process, or the TTL ran out).
      await t.container.background.cache.invalidate(LIST_CACHE, [snapshotKey(viewer.id, decodePosition(bookmark))]);
      await t.container.background.cache.invalidate(INTERESTS_CACHE, [viewer.id]);
    });
    const walked = pages.flat();
    expect(walked.length).toBe(new Set(walked).size);
    expect(new Set(walked)).toEqual(whole);
    expect(walked.filter((id) => arrived.includes(id))).toEqual([]);
  });

  it('shows the newcomers on a fresh first page', async () => {
    const arrived = await newPinsArrive();
    const first = (await homeFeed(t, viewer, { page_size: 250 })).items.map((item) => item.id);
    expect(first).toEqual(expect.arrayContaining(arrived.slice(0, 2)));
  });
});
