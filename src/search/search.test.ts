import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp, type TestUser } from '../../test/support/test-app.js';
import { assertMatchesV5 } from '../../test/support/contract.js';
import type { BoardPrivacy } from '../platform/db/schema.js';
import { newImageCapability } from '../media/image-capability.js';

interface PinItem {
  id: string;
  title: string | null;
  board_id: string;
  is_owner: boolean;
  media: { images: Record<string, { url: string }> };
}
interface BoardItem {
  id: string;
  name: string;
  privacy: BoardPrivacy;
  owner: { username: string };
}
interface List<T> {
  items: T[];
  bookmark: string | null;
}

describe('searching your own pins and boards', () => {
  let t: TestApp;
  let alice: TestUser;
  let bob: TestUser;
  let imageId: string;
  const capability = newImageCapability();

  beforeAll(async () => {
    t = await createTestApp();
    alice = await t.signUp('alice');
    bob = await t.signUp('bob');
    imageId = t.container.ids.next();
    await t.container.db
      .insertInto('images')
      .values({ id: imageId, capability, sha256: 'a'.repeat(64), width: 800, height: 600, content_type: 'image/jpeg', dominant_color: '#336699', byte_size: 1000 })
      .execute();
  });
  afterAll(async () => t.close());

  async function makeBoard(owner: TestUser, name: string, privacy: BoardPrivacy = 'PUBLIC', description: string | null = null): Promise<string> {
    const id = t.container.ids.next();
    await t.container.db.insertInto('boards').values({ id, owner_id: owner.id, name, privacy, description }).execute();
    return id;
  }

  async function makePin(owner: TestUser, boardId: string, fields: { title?: string; description?: string; alt_text?: string } = {}): Promise<string> {
    const id = t.container.ids.next();
    await t.container.db
      .insertInto('pins')
      .values({ id, owner_id: owner.id, board_id: boardId, image_id: imageId, title: null, description: null, alt_text: null, ...fields })
      .execute();
    return id;
  }

  async function searchPins(as: TestUser | string, query: string | null, extra = '') {
    const params = new URLSearchParams();
    if (query !== null) params.set('query', query);
    const url = `/v5/search/pins?${params.toString()}${extra}`;
    const reply = await t.request({ method: 'GET', url, as });
    assertMatchesV5('GET', '/search/pins', reply.statusCode, reply.json());
    return reply;
  }

  async function searchBoards(as: TestUser | string, query: string | null, extra = '') {
    const params = new URLSearchParams();
    if (query !== null) params.set('query', query);
    const reply = await t.request({ method: 'GET', url: `/v5/search/boards?${params.toString()}${extra}`, as });
    assertMatchesV5('GET', '/search/boards', reply.statusCode, reply.json());
    return reply;
  }

  async function pinIds(as: TestUser | string, query: string, extra = ''): Promise<string[]> {
    const reply = await searchPins(as, query, extra);
    expect(reply.statusCode, reply.body).toBe(200);
    return reply.json<List<PinItem>>().items.map((pin) => pin.id);
  }

  /** Follows bookmarks to the end; every page must be non-empty until the bookmark is null. */
  async function allPages(search: (extra: string) => Promise<{ statusCode: number; json: <T>() => T }>, pageSize: number) {
    const pages: string[][] = [];
    let bookmark: string | null = null;
    do {
      const reply = await search(`&page_size=${pageSize}${bookmark ? `&bookmark=${bookmark}` : ''}`);
      expect(reply.statusCode).toBe(200);
      const body = reply.json<List<{ id: string }>>();
      pages.push(body.items.map((item) => item.id));
      bookmark = body.bookmark;
      expect(pages.length).toBeLessThan(60);
    } while (bookmark);
    return pages;
  }

  it('ranks a title match above a description match above an alt-text match, in the v5 Pin shape', async () => {
    const board = await makeBoard(alice, 'Baking');
    const byTitle = await makePin(alice, board, { title: 'Sourdough loaf', description: 'Crusty bread' });
    // Newer pins have larger ids: ranking, not recency, must put the title match first.
    const byDescription = await makePin(alice, board, { title: 'Weekend', description: 'My sourdough starter, day five' });
    const byAltText = await makePin(alice, board, { title: 'Photo', alt_text: 'A jar of sourdough' });
    await makePin(alice, board, { title: 'Rye crackers', description: 'No wild yeast here' });

    const reply = await searchPins(alice, 'sourdough');
    expect(reply.statusCode).toBe(200);
    const body = reply.json<List<PinItem>>();
    expect(body.items.map((pin) => pin.id)).toEqual([byTitle, byDescription, byAltText]);
    expect(body.bookmark).toBeNull();
    expect(body.items[0]).toMatchObject({ id: byTitle, title: 'Sourdough loaf', board_id: board, is_owner: true, board_owner: { username: 'alice' } });
    expect(body.items[0]?.media.images['600x']?.url).toContain(capability);

    // English stemming: "loaves" finds "loaf", "starters" finds "starter".
    expect(await pinIds(alice, 'starters')).toEqual([byDescription]);
    // websearch syntax: exclusion and quoted phrases.
    expect((await pinIds(alice, 'sourdough -starter')).sort()).toEqual([byTitle, byAltText].sort());
    expect(await pinIds(alice, '"sourdough starter"')).toEqual([byDescription]);
    expect(await pinIds(alice, 'crusty OR crackers')).toHaveLength(2);
    // Only stop words, or nothing that matches: an empty list, not an error.
    const stopWords = await searchPins(alice, 'the and of');
    expect(stopWords.statusCode).toBe(200);
    expect(stopWords.json()).toEqual({ items: [], bookmark: null });
    expect(await pinIds(alice, 'zeppelin')).toEqual([]);
  });

  it("never returns other people's pins, even on boards the viewer owns or shares", async () => {
    const shared = await makeBoard(bob, 'Bob and Alice cook');
    await t.container.db.insertInto('board_collaborators').values({ board_id: shared, user_id: alice.id, role: 'editor', invited_by: bob.id }).execute();
    const bobsOwn = await makePin(bob, await makeBoard(bob, 'Bob public'), { title: 'Tiramisu' });
    const bobsOnShared = await makePin(bob, shared, { title: 'Tiramisu by Bob' });
    const alicesOnShared = await makePin(alice, shared, { title: 'Tiramisu by Alice' });
    const alicesBoard = await makeBoard(alice, 'Desserts');
    await t.container.db.insertInto('board_collaborators').values({ board_id: alicesBoard, user_id: bob.id, role: 'editor', invited_by: alice.id }).execute();
    const bobsOnAlicesBoard = await makePin(bob, alicesBoard, { title: 'Tiramisu for Alice' });

    const found = await pinIds(alice, 'tiramisu');
    expect(found).toEqual([alicesOnShared]);
    const body = (await searchPins(alice, 'tiramisu')).body;
    for (const hidden of [bobsOwn, bobsOnShared, bobsOnAlicesBoard]) expect(body).not.toContain(hidden);
    expect(await pinIds(bob, 'tiramisu')).toEqual(expect.arrayContaining([bobsOwn, bobsOnShared, bobsOnAlicesBoard]));
    expect(await pinIds(bob, 'tiramisu')).not.toContain(alicesOnShared);

    // Alice's own pin on Bob's board is gone from her results once she may no longer read that board.
    await t.container.db.updateTable('boards').set({ privacy: 'PROTECTED' }).where('id', '=', shared).execute();
    expect(await pinIds(alice, 'tiramisu')).toEqual([alicesOnShared]);
    await t.container.db.deleteFrom('board_collaborators').where('board_id', '=', shared).where('user_id', '=', alice.id).execute();
    expect(await pinIds(alice, 'tiramisu')).toEqual([]);
  });

  it('finds pins on SECRET boards only with pins:read_secret, and SECRET boards only with boards:read_secret', async () => {
    const carol = await t.signUp('carol');
    const carolBasic = await t.signUp('carol_basic');
    // Same account, three tokens with different scopes.
    const tokenFor = async (scope: string) => {
      const reply = await t.request({
        method: 'POST',
        url: '/v5/oauth/token',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        payload: new URLSearchParams({ grant_type: 'password', username: 'carol', password: 'pw-carol-secret', scope }).toString(),
      });
      expect(reply.statusCode).toBe(200);
      return reply.json<{ access_token: string }>().access_token;
    };
    const basic = await tokenFor('boards:read,pins:read');
    const pinSecrets = await tokenFor('boards:read,pins:read,pins:read_secret');
    const boardSecrets = await tokenFor('boards:read,boards:read_secret');

    const open = await makeBoard(carol, 'Open orchids');
    const secret = await makeBoard(carol, 'Secret orchids', 'SECRET');
    const protectedBoard = await makeBoard(carol, 'Protected orchids', 'PROTECTED');
    const openPin = await makePin(carol, open, { title: 'Orchid' });
    const secretPin = await makePin(carol, secret, { title: 'Orchid hidden' });
    const protectedPin = await makePin(carol, protectedBoard, { title: 'Orchid guarded' });

    expect(await pinIds(carol, 'orchid')).toEqual(expect.arrayContaining([openPin, secretPin, protectedPin]));
    expect(await pinIds(pinSecrets, 'orchid')).toHaveLength(3);
    const withoutSecret = await searchPins(basic, 'orchid');
    expect(withoutSecret.json<List<PinItem>>().items.map((pin) => pin.id).sort()).toEqual([openPin, protectedPin].sort());
    expect(withoutSecret.body).not.toContain(secretPin);
    expect(withoutSecret.body).not.toContain(secret);

    const allBoards = (await searchBoards(carol, 'orchids')).json<List<BoardItem>>().items.map((board) => board.id);
    expect(allBoards.sort()).toEqual([open, secret, protectedBoard].sort());
    const basicBoards = await searchBoards(basic, 'orchids');
    expect(basicBoards.json<List<BoardItem>>().items.map((board) => board.id).sort()).toEqual([open, protectedBoard].sort());
    expect(basicBoards.body).not.toContain(secret);
    expect((await searchBoards(boardSecrets, 'orchids')).json<List<BoardItem>>().items).toHaveLength(3);
    // Board search needs no pins scope; pin search needs both boards:read and pins:read.
    const noPinsScope = await searchPins(boardSecrets, 'orchid');
    expect(noPinsScope.statusCode).toBe(403);
    expect(noPinsScope.json<{ code: number }>().code).toBe(3);
    const noBoardsScope = await searchBoards(await tokenFor('pins:read'), 'orchids');
    expect(noBoardsScope.statusCode).toBe(403);
    const anonymous = await searchPins('', 'orchid');
    expect(anonymous.statusCode).toBe(401);

    // Someone else never sees Carol's boards or pins through search, whatever their scopes.
    expect(await pinIds(carolBasic, 'orchid')).toEqual([]);
    expect((await searchBoards(carolBasic, 'orchids')).json()).toEqual({ items: [], bookmark: null });
  });

  it('ranks a board whose name matches above one whose description matches, in the v5 Board shape', async () => {
    const dave = await t.signUp('dave');
    const byName = await makeBoard(dave, 'Lighthouses', 'PUBLIC', 'Coastal things');
    const byDescription = await makeBoard(dave, 'Coast trip', 'PUBLIC', 'We visited three lighthouses');
    await makeBoard(dave, 'Kitchens');
    await makeBoard(bob, 'Lighthouses of Bob');
    const reply = await searchBoards(dave, 'lighthouse');
    expect(reply.statusCode).toBe(200);
    const body = reply.json<List<BoardItem>>();
    expect(body.items.map((board) => board.id)).toEqual([byName, byDescription]);
    expect(body.items[0]).toMatchObject({ name: 'Lighthouses', privacy: 'PUBLIC', owner: { username: 'dave' } });
    expect(body.bookmark).toBeNull();

    // Pinterest's `query` is optional for board search: without it, all your boards, newest first.
    const all = await searchBoards(dave, null);
    expect(all.statusCode).toBe(200);
    expect(all.json<List<BoardItem>>().items.map((board) => board.name)).toEqual(['Kitchens', 'Coast trip', 'Lighthouses']);
    expect(await allPages((extra) => searchBoards(dave, null, extra), 2)).toHaveLength(2);
  });

  it('refuses an empty or blank query with 400 and a stable code', async () => {
    for (const query of ['', '   ', '\t\n']) {
      const pins = await searchPins(alice, query);
      expect(pins.statusCode, JSON.stringify(query)).toBe(400);
      expect(pins.json()).toEqual({ code: 4161, message: 'The search query must contain at least one word.' });
      const boards = await searchBoards(alice, query);
      expect(boards.statusCode).toBe(400);
      expect(boards.json<{ code: number }>().code).toBe(4161);
    }
    const missing = await searchPins(alice, null);
    expect(missing.statusCode).toBe(400);
    expect(missing.json<{ code: number }>().code).toBe(1);
    const tooLong = await searchPins(alice, 'x'.repeat(501));
    expect(tooLong.statusCode).toBe(400);
  });

  it('pages by rank then id with bookmark null on the last page, across ties, and refuses bad bookmarks', async () => {
    const erin = await t.signUp('erin');
    const board = await makeBoard(erin, 'Tulips');
    const strong: string[] = [];
    const weak: string[] = [];
    for (let i = 0; i < 4; i += 1) strong.push(await makePin(erin, board, { title: 'Tulip tulip', description: 'tulip' }));
    for (let i = 0; i < 3; i += 1) weak.push(await makePin(erin, board, { title: 'Flowers', description: `A tulip field ${i}` }));
    const expected = [...strong.reverse(), ...weak.reverse()];

    const onePage = await pinIds(erin, 'tulip', '&page_size=250');
    expect(onePage).toEqual(expected);
    for (const size of [1, 2, 3, 7]) {
      const pages = await allPages((extra) => searchPins(erin, 'tulip', extra), size);
      expect(pages.flat(), `page_size=${size}`).toEqual(expected);
      expect(pages.at(-1)?.length).toBeGreaterThan(0);
    }

    const first = (await searchPins(erin, 'tulip', '&page_size=2')).json<List<PinItem>>();
    expect(first.bookmark).not.toBeNull();
    const encode = (parts: unknown[]) => Buffer.from(JSON.stringify(parts)).toString('base64url');
    for (const bookmark of ['garbage', encode(['v1', '0.5']), encode(['v1', 'NaN', '12']), encode(['v1', '-1', '12']), encode(['v1', '0.5', 'x1']), encode(['v1', '1e5', '12'])]) {
      const reply = await searchPins(erin, 'tulip', `&bookmark=${bookmark}`);
      expect(reply.statusCode, bookmark).toBe(400);
      expect(reply.json()).toEqual({ code: 4001, message: 'Invalid bookmark.' });
      const boards = await searchBoards(erin, 'tulip', `&bookmark=${bookmark}`);
      expect(boards.statusCode).toBe(400);
    }
    for (const extra of ['&page_size=251', '&page_size=0']) {
      const reply = await searchPins(erin, 'tulip', extra);
      expect(reply.statusCode, extra).toBe(400);
      expect(reply.json<{ code: number }>().code).toBe(1);
      expect((await searchBoards(erin, 'tulip', extra)).statusCode).toBe(400);
    }
  });

  it('finds your own pins by a comma-separated list of ids, as Pinterest documents', async () => {
    const fay = await t.signUp('fay');
    const board = await makeBoard(fay, 'Ids');
    const one = await makePin(fay, board, { title: 'First' });
    const two = await makePin(fay, board, { title: 'Second' });
    await makePin(fay, board, { title: 'Third' });
    const someoneElses = await makePin(bob, await makeBoard(bob, 'Not fay'), { title: 'Other' });
    expect((await pinIds(fay, `${one}, ${two},${someoneElses}`)).sort()).toEqual([one, two].sort());
    expect(await pinIds(fay, one)).toEqual([one]);
  });
});
