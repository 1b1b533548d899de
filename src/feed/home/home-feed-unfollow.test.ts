// Unfollowing takes pins out of the home feed as soon as the unfollow has answered: the first page
// opened next holds no pin of the person (or board) unfollowed, from either pool, without waiting
// for the timeline clean-up job (nothing is settled between the unfollow and the read). With
// FEED_PICKED_RATE=0 the picked-for-you pool still fills the slots the following pool cannot, which
// is how an unfollowed person's pins came back before. Following again brings them back; a board
// turning SECRET leaves every feed at once; a followed board deleted records no unfollow.
// Runs on the embedded default, and on PostgreSQL + Redis when DATABASE_URL / REDIS_URL are set.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp, type TestUser } from '../../../test/support/test-app.js';
import { createPin, makeBoard } from '../../pins/pin-test-support.js';
import { follow, followBoard, homeFeed, setPrivacy } from './home-feed-test-support.js';

let t: TestApp;
let counter = 0;

beforeAll(async () => {
  t = await createTestApp({ FEED_PICKED_RATE: '0' });
});
afterAll(async () => {
  await t.close();
});

async function person(name: string): Promise<TestUser> {
  counter += 1;
  return t.signUp(`${name}${counter}`);
}

/** The ids of the viewer's first page (a new feed each time). */
async function firstPage(viewer: TestUser): Promise<string[]> {
  return (await homeFeed(t, viewer, { page_size: 100 })).items.map((item) => item.id);
}

async function pinsOn(owner: TestUser, boardId: string, count: number): Promise<string[]> {
  const ids: string[] = [];
  for (let n = 0; n < count; n += 1) ids.push((await createPin(t, owner, boardId, { title: `pin ${n}` })).id);
  return ids;
}

const settle = () => t.container.background.settle(20_000);

describe('unfollowing empties the home feed of what was unfollowed, at once', () => {
  it('a person: none of their pins on the next first page, from either pool; following again brings them back', async () => {
    const [viewer, author] = [await person('viewer'), await person('author')];
    const boardId = await makeBoard(t, author, 'Lamps');
    const pins = await pinsOn(author, boardId, 3);
    await follow(t, viewer, author);
    await settle();
    expect(await firstPage(viewer)).toEqual(expect.arrayContaining(pins));

    const unfollowed = await t.request({ method: 'DELETE', url: `/v5/user_account/following/${author.username}`, as: viewer });
    expect(unfollowed.statusCode).toBe(204);
    expect((await firstPage(viewer)).filter((id) => pins.includes(id))).toEqual([]);
    // Still none once the clean-up has run and the caches are settled.
    await settle();
    expect((await firstPage(viewer)).filter((id) => pins.includes(id))).toEqual([]);

    await follow(t, viewer, author);
    await settle();
    expect(await firstPage(viewer)).toEqual(expect.arrayContaining(pins));
  });

  it('a board: none of its pins on the next first page', async () => {
    const [viewer, owner] = [await person('viewer'), await person('owner')];
    const boardId = await makeBoard(t, owner, 'Chairs');
    const pins = await pinsOn(owner, boardId, 3);
    await followBoard(t, viewer, boardId);
    await settle();
    expect(await firstPage(viewer)).toEqual(expect.arrayContaining(pins));

    const unfollowed = await t.request({ method: 'DELETE', url: `/v5/boards/${boardId}/follow`, as: viewer });
    expect(unfollowed.statusCode).toBe(204);
    expect((await firstPage(viewer)).filter((id) => pins.includes(id))).toEqual([]);
    await settle();
    expect((await firstPage(viewer)).filter((id) => pins.includes(id))).toEqual([]);
  });

  it('a board turning SECRET leaves its followers\' feeds at once, and the author\'s other boards stay', async () => {
    const [viewer, author] = [await person('viewer'), await person('author')];
    const secretLater = await makeBoard(t, author, 'Plans');
    const open = await makeBoard(t, author, 'Open plans');
    const hidden = await pinsOn(author, secretLater, 3);
    const shown = await pinsOn(author, open, 2);
    await follow(t, viewer, author);
    await settle();
    expect(await firstPage(viewer)).toEqual(expect.arrayContaining([...hidden, ...shown]));

    await setPrivacy(t, author, secretLater, 'SECRET');
    const page = await firstPage(viewer);
    expect(page.filter((id) => hidden.includes(id))).toEqual([]);
    expect(page).toEqual(expect.arrayContaining(shown));
  });

  it('a followed board deleted by its owner is not recorded as unfollowed', async () => {
    const [viewer, owner] = [await person('viewer'), await person('owner')];
    const boardId = await makeBoard(t, owner, 'Short-lived');
    await followBoard(t, viewer, boardId);
    const deleted = await t.request({ method: 'DELETE', url: `/v5/boards/${boardId}`, as: owner });
    expect(deleted.statusCode).toBe(204);
    const rows = await t.container.db.selectFrom('board_unfollows').selectAll().where('user_id', '=', viewer.id).execute();
    expect(rows).toEqual([]);
  });
});
