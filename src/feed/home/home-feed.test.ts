// GET /v5/feeds/home and Query.homeFeed as a client sees them: the v5 contract, the blend of the two
// pools at the configured (or experiment-assigned) rate, the ranking order, one pin per image,
// nothing already seen, and nothing from a board the viewer may not see.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp, type TestUser } from '../../../test/support/test-app.js';
import { gql } from '../../graphql/graphql-test-support.js';
import { encodeBookmark } from '../../platform/http/pagination.js';
import {
  addImage,
  addPin,
  follow,
  followBoard,
  homeFeed,
  makeBoard,
  recordEvents,
  setPrivacy,
  walkFeed,
} from './home-feed-test-support.js';

let t: TestApp;
const user = (name: string) => t.signUp(name);

beforeAll(async () => {
  // No experiment runs at first: every viewer gets FEED_PICKED_RATE.
  t = await createTestApp({ FEED_PICKED_RATE: '0.5' });
});
afterAll(async () => t.close());

/** Strangers with popular pins on PUBLIC "Dinner Ideas" boards, and a SECRET one: the picked pool's material. */
async function strangersWithDinnerIdeas(count: number): Promise<{ publicPins: Set<string>; secretPins: Set<string> }> {
  const publicPins = new Set<string>();
  const secretPins = new Set<string>();
  for (let index = 0; index < count; index += 1) {
    const stranger = await user(`stranger${index}_${Math.random().toString(36).slice(2, 7)}`);
    const board = await makeBoard(t, stranger, 'Dinner Ideas');
    for (let n = 0; n < 6; n += 1) publicPins.add((await addPin(t, stranger, board, { ageHours: 30 + n, saves: 20 + n })).pinId);
    const hidden = await makeBoard(t, stranger, 'Secret dinners', 'SECRET');
    for (let n = 0; n < 3; n += 1) secretPins.add((await addPin(t, stranger, hidden, { ageHours: 1, saves: 500 })).pinId);
  }
  return { publicPins, secretPins };
}

describe('the v5 contract', () => {
  let viewer: TestUser;
  beforeAll(async () => {
    viewer = await user('contract_viewer');
    const author = await user('contract_author');
    await follow(t, viewer, author);
    const board = await makeBoard(t, author, 'Things');
    for (let n = 0; n < 7; n += 1) await addPin(t, author, board, { ageHours: n + 1 });
    await t.container.background.settle();
  });

  it('answers v5 Pins with bookmark pagination, bookmark null on the last page', async () => {
    const first = await homeFeed(t, viewer, { page_size: 3 });
    expect(first.items).toHaveLength(3);
    expect(first.bookmark).toEqual(expect.any(String));
    const pages = await walkFeed(t, viewer, 3);
    expect(pages.flat().length).toBeGreaterThanOrEqual(7);
    expect((await homeFeed(t, viewer)).items.length).toBe(pages.flat().length);
  });

  it('refuses a bad request the way every v5 list does', async () => {
    const ask = (url: string, as: TestUser | string | null = viewer) => t.request({ method: 'GET', url, as });
    expect((await ask('/v5/feeds/home', null)).statusCode).toBe(401);
    const noPins = await t.signUp('contract_no_pins', 'boards:read');
    const forbidden = await ask('/v5/feeds/home', noPins);
    expect([forbidden.statusCode, forbidden.json<{ code: number }>().code]).toEqual([403, 3]);
    for (const url of ['/v5/feeds/home?page_size=0', '/v5/feeds/home?page_size=251']) expect((await ask(url)).json<{ code: number }>().code).toBe(1);
    // A bookmark of another list, or one tampered with, is not a home feed position.
    for (const bookmark of ['nonsense', encodeBookmark(['123']), encodeBookmark(['1', '2', 'zz', '7', '1', 'x'])]) {
      const res = await ask(`/v5/feeds/home?bookmark=${bookmark}`);
      expect([res.statusCode, res.json<{ code: number }>().code], bookmark).toEqual([400, 4001]);
    }
  });

  it('serves the same feed through GraphQL, with cursors that are the REST bookmarks', async () => {
    const first = await homeFeed(t, viewer, { page_size: 2 });
    const restNext = await homeFeed(t, viewer, { page_size: 2, bookmark: first.bookmark });
    const query = /* GraphQL */ `
      query Feed($after: String) {
        homeFeed(first: 2, after: $after) {
          edges { cursor node { entityId title pinner { username } board { name } media { images { image600x { url } } } } }
          pageInfo { hasNextPage endCursor }
        }
      }
    `;
    type Feed = { homeFeed: { edges: Array<{ cursor: string; node: { entityId: string; pinner: { username: string }; board: { name: string } } }>; pageInfo: { hasNextPage: boolean; endCursor: string } } };
    const graph = await gql<Feed>(t, viewer, query, { after: first.bookmark });
    expect(graph.errors).toEqual([]);
    const feed = graph.data!.homeFeed;
    expect(feed.edges.map((edge) => edge.node.entityId)).toEqual(restNext.items.map((item) => item.id));
    expect(feed.edges[0]!.node.pinner.username).toBe('contract_author');
    expect(feed.edges[0]!.node.board.name).toBe('Things');
    expect(feed.pageInfo.endCursor).toBe(restNext.bookmark);
    expect(feed.edges[1]!.cursor).toBe(restNext.bookmark);
    // And a GraphQL cursor continues the REST list.
    const afterEdge = await homeFeed(t, viewer, { page_size: 2, bookmark: feed.edges[0]!.cursor });
    expect(afterEdge.items[0]!.id).toBe(feed.edges[1]!.node.entityId);

    const anonymous = await gql(t, null, '{ homeFeed(first: 1) { edges { cursor } } }');
    expect(anonymous.errors[0]?.extensions.code).toBe('AUTHENTICATION_FAILED');
  });
});

describe('pools, blend and ranking', () => {
  let pia: TestUser;
  let followedAuthor: TestUser;
  let material: { publicPins: Set<string>; secretPins: Set<string> };

  beforeAll(async () => {
    pia = await user('blend_pia');
    followedAuthor = await user('blend_author');
    await follow(t, pia, followedAuthor);
    await makeBoard(t, pia, 'Dinner Ideas');
    const board = await makeBoard(t, followedAuthor, 'Travel');
    for (let n = 0; n < 40; n += 1) await addPin(t, followedAuthor, board, { ageHours: n + 1 });
    material = await strangersWithDinnerIdeas(3);
    await t.container.background.settle();
  });

  it('fills FEED_PICKED_RATE of the slots from pins picked for the viewer, the rest from whom they follow', async () => {
    const page = await homeFeed(t, pia, { page_size: 20 });
    expect(page.items).toHaveLength(20);
    const picked = page.items.filter((item) => item.board_owner.username !== followedAuthor.username);
    expect(picked).toHaveLength(10);
    // Picked pins are the popular pins of the viewer's topics, never a secret one.
    for (const item of picked) expect(material.secretPins.has(item.id)).toBe(false);
    expect(picked.filter((item) => material.publicPins.has(item.id)).length).toBeGreaterThan(0);
  });

  it('takes the rate from the home-feed-blend-rate experiment when it runs', async () => {
    const boss = await t.signUpAdmin('boss');
    const zoe = await user('blend_zoe');
    await follow(t, zoe, followedAuthor);
    await makeBoard(t, zoe, 'Dinner Ideas');
    await t.container.background.settle();
    const created = await t.request({
      method: 'POST',
      url: '/v5/experiments',
      as: boss,
      payload: {
        key: 'home-feed-blend-rate',
        name: 'Home feed blend rate',
        variations: [
          { key: 'control', value: 0.5 },
          { key: 'following-only', value: 0 },
          { key: 'picked-only', value: 1 },
        ],
        weights: [1, 0, 0],
        forced_variations: { [pia.id]: 1, [zoe.id]: 2 },
      },
    });
    expect(created.statusCode, created.body).toBe(201);
    expect((await t.request({ method: 'POST', url: '/v5/experiments/home-feed-blend-rate/start', as: boss })).statusCode).toBe(200);

    const following = (await homeFeed(t, pia, { page_size: 20 })).items;
    expect(following.every((item) => item.board_owner.username === followedAuthor.username)).toBe(true);
    const picked = (await homeFeed(t, zoe, { page_size: 10 })).items;
    expect(picked.filter((item) => item.board_owner.username === followedAuthor.username)).toEqual([]);
  });

  it('orders by recency, engagement and affinity', async () => {
    // ron follows ann and bob, and bob's board: a pin there has twice the affinity of ann's.
    const [ron, ann, bob] = [await user('rank_ron'), await user('rank_ann'), await user('rank_bob')];
    await follow(t, ron, ann);
    await follow(t, ron, bob);
    const annBoard = await makeBoard(t, ann, 'Road trips');
    const bobBoard = await makeBoard(t, bob, 'Bread');
    await followBoard(t, ron, bobBoard);
    // score = -age/48h + log2(1 + saves) + log2(1 + affinity)
    const old = await addPin(t, ann, annBoard, { ageHours: 100 }); //        -2.08 + 0 + log2(3) = -0.50
    const fresh = await addPin(t, ann, annBoard, { ageHours: 1 }); //         -0.02 + 0 + log2(3) =  1.56
    const affine = await addPin(t, bob, bobBoard, { ageHours: 1 }); //        -0.02 + 0 + log2(5) =  2.30
    const popular = await addPin(t, ann, annBoard, { ageHours: 100, saves: 15 }); // -2.08 + 4 + log2(3) = 3.50
    await t.container.background.settle();
    // Whatever the blend puts between them, the following pool's pins keep their order.
    const items = (await homeFeed(t, ron, { page_size: 50 })).items.map((item) => item.id);
    const following = items.filter((id) => [old, fresh, affine, popular].some((pin) => pin.pinId === id));
    expect(following).toEqual([popular.pinId, affine.pinId, fresh.pinId, old.pinId]);
  });

  it('moves a pin up as soon as people save it (its cached features are dropped, not left to expire)', async () => {
    const [viv, kim] = [await user('rank_viv'), await user('rank_kim')];
    await follow(t, viv, kim);
    const board = await makeBoard(t, kim, 'Lamps');
    // score = -age/48h + log2(1 + saves): older -0.21, newer -0.02; after 7 saves older is 2.79.
    const older = await addPin(t, kim, board, { ageHours: 10 });
    const newer = await addPin(t, kim, board, { ageHours: 1 });
    await t.container.background.settle();
    const order = async () =>
      (await homeFeed(t, viv, { page_size: 50 })).items.map((item) => item.id).filter((id) => id === older.pinId || id === newer.pinId);
    expect(await order()).toEqual([newer.pinId, older.pinId]);

    for (let n = 0; n < 7; n += 1) {
      const saver = await user(`rank_saver${n}`);
      const res = await t.request({ method: 'POST', url: `/v5/pins/${older.pinId}/save`, as: saver, payload: { board_id: await makeBoard(t, saver, 'Lamps') } });
      expect(res.statusCode).toBe(201);
    }
    await t.container.background.settle();
    expect(await order()).toEqual([older.pinId, newer.pinId]);
  });
});

describe('what a feed never shows twice, again, or at all', () => {
  it('shows one pin per image: a saved copy of a pin, or a picked pin with the same picture, is left out', async () => {
    const [dan, ann, bob, sam] = [await user('dup_dan'), await user('dup_ann'), await user('dup_bob'), await user('dup_sam')];
    await follow(t, dan, ann);
    await follow(t, dan, bob);
    await makeBoard(t, dan, 'Cakes');
    const picture = await addImage(t);
    const original = await addPin(t, bob, await makeBoard(t, bob, 'Desserts'), { imageId: picture, ageHours: 5, saves: 1 });
    const copy = await addPin(t, ann, await makeBoard(t, ann, 'Sweet'), { imageId: picture, ageHours: 2, parentPinId: original.pinId });
    const picked = await addPin(t, sam, await makeBoard(t, sam, 'Cakes'), { imageId: picture, ageHours: 3, saves: 50 });
    await addPin(t, bob, await makeBoard(t, bob, 'More'), { ageHours: 4 });
    await t.container.background.settle();

    const items = (await walkFeed(t, dan, 2)).flat();
    const sharing = items.filter((id) => [original.pinId, copy.pinId, picked.pinId].includes(id));
    expect(sharing).toHaveLength(1);
    expect(new Set(items).size).toBe(items.length);
  });

  it('leaves out pins the viewer has already seen or hid', async () => {
    const [eve, ann] = [await user('seen_eve'), await user('seen_ann')];
    await follow(t, eve, ann);
    const board = await makeBoard(t, ann, 'Gardens');
    const pins = [];
    for (let n = 0; n < 6; n += 1) pins.push((await addPin(t, ann, board, { ageHours: n + 1 })).pinId);
    await t.container.background.settle();
    expect((await homeFeed(t, eve)).items.map((item) => item.id)).toEqual(expect.arrayContaining(pins));

    await recordEvents(t, eve, 'impression', pins.slice(0, 3));
    await recordEvents(t, eve, 'hide', [pins[3]!]);
    const after = (await homeFeed(t, eve)).items.map((item) => item.id);
    expect(after).toEqual(expect.arrayContaining(pins.slice(4)));
    for (const gone of pins.slice(0, 4)) expect(after).not.toContain(gone);
  });

  it('never shows a pin of a SECRET or PROTECTED board to someone else, even one that turns secret between pages', async () => {
    const [fay, gus] = [await user('secret_fay'), await user('secret_gus')];
    await follow(t, fay, gus);
    await makeBoard(t, fay, 'Dinner Ideas');
    const open = await makeBoard(t, gus, 'Open');
    const secret = await makeBoard(t, gus, 'Hidden', 'SECRET');
    const protectedBoard = await makeBoard(t, gus, 'Friends only', 'PROTECTED');
    const openPins = new Set<string>();
    const hidden = new Set<string>();
    for (let n = 0; n < 10; n += 1) {
      openPins.add((await addPin(t, gus, open, { ageHours: n + 1, saves: 1 })).pinId);
      hidden.add((await addPin(t, gus, secret, { ageHours: n + 1, saves: 100 })).pinId);
      hidden.add((await addPin(t, gus, protectedBoard, { ageHours: n + 1, saves: 100 })).pinId);
    }
    const strangers = await strangersWithDinnerIdeas(1);
    for (const id of strangers.secretPins) hidden.add(id);
    await t.container.background.settle();

    const first = await homeFeed(t, fay, { page_size: 4 });
    expect(first.items.some((item) => openPins.has(item.id))).toBe(true);
    await setPrivacy(t, gus, open, 'SECRET');
    for (const id of openPins) hidden.add(id);
    const rest: string[] = [];
    let bookmark = first.bookmark;
    while (bookmark) {
      const page = await homeFeed(t, fay, { page_size: 4, bookmark });
      rest.push(...page.items.map((item) => item.id));
      bookmark = page.bookmark;
    }
    expect(rest.filter((id) => hidden.has(id))).toEqual([]);
    // Through GraphQL too, and for everyone else in this world.
    const graph = await gql<{ homeFeed: { edges: Array<{ node: { entityId: string } }> } }>(t, fay, '{ homeFeed(first: 100) { edges { node { entityId } } } }');
    expect(graph.data!.homeFeed.edges.filter((edge) => hidden.has(edge.node.entityId))).toEqual([]);
    for (const other of [await user('secret_someone')]) {
      await makeBoard(t, other, 'Dinner Ideas');
      expect((await walkFeed(t, other, 50)).flat().filter((id) => hidden.has(id))).toEqual([]);
    }
  });
});

describe('interests follow the follows', () => {
  it('drops the cached interests when the viewer unfollows a board: its pins stop coming, from either pool', async () => {
    const [una, owner, crowd] = [await user('cache_una'), await user('cache_owner'), await user('cache_crowd')];
    // Thirty boards more followed than any other here, so the new-viewer fallback never reaches the board below.
    for (let index = 0; index < 30; index += 1) {
      const board = await makeBoard(t, crowd, `Crowd favourite ${index}`);
      await addPin(t, crowd, board, { ageHours: 50 });
      await t.container.db.updateTable('boards').set({ follower_count: 1000 }).where('id', '=', board).execute();
    }
    const board = await makeBoard(t, owner, 'Unusual lamps');
    const pins = new Set<string>();
    for (let n = 0; n < 5; n += 1) pins.add((await addPin(t, owner, board, { ageHours: 20 + n, saves: 30 })).pinId);
    await followBoard(t, una, board);
    await t.container.background.settle();
    expect((await homeFeed(t, una, { page_size: 100 })).items.filter((item) => pins.has(item.id)).length).toBe(5);

    const res = await t.request({ method: 'DELETE', url: `/v5/boards/${board}/follow`, as: una });
    expect(res.statusCode).toBe(204);
    await t.container.background.settle();
    expect((await homeFeed(t, una, { page_size: 100 })).items.filter((item) => pins.has(item.id))).toEqual([]);
  });
});
