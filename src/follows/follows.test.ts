import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'kysely';
import { createTestApp, type TestApp, type TestUser } from '../../test/support/test-app.js';
import { assertMatchesV5 } from '../../test/support/contract.js';
import type { BoardPrivacy } from '../platform/db/schema.js';
import { newImageCapability } from '../media/image-capability.js';

interface Counts {
  follower_count: number;
  following_count: number;
}
interface UserList {
  items: { type: string; id: string; username: string }[];
  bookmark: string | null;
}

describe('following people', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp();
  });
  afterAll(async () => t.close());

  async function follow(who: TestUser, username: string) {
    const reply = await t.request({ method: 'POST', url: `/v5/user_account/following/${username}`, payload: {}, as: who });
    assertMatchesV5('POST', '/user_account/following/{username}', reply.statusCode, reply.json());
    return reply;
  }

  async function ownCounts(user: TestUser): Promise<Counts> {
    const reply = await t.request({ method: 'GET', url: '/v5/user_account', as: user });
    expect(reply.statusCode).toBe(200);
    assertMatchesV5('GET', '/user_account', 200, reply.json());
    return reply.json<Counts>();
  }

  async function profileCounts(viewer: TestUser, username: string): Promise<Counts> {
    const reply = await t.request({ method: 'GET', url: `/v5/users/${username}`, as: viewer });
    expect(reply.statusCode).toBe(200);
    return reply.json<Counts>();
  }

  async function followRows(followerId: string, followeeId: string): Promise<number> {
    const row = await t.container.db
      .selectFrom('user_follows')
      .select((eb) => eb.fn.countAll<string>().as('n'))
      .where('follower_id', '=', followerId)
      .where('followee_id', '=', followeeId)
      .executeTakeFirstOrThrow();
    return Number(row.n);
  }

  async function list(path: '/user_account/followers' | '/user_account/following', as: TestUser, query = '') {
    const reply = await t.request({ method: 'GET', url: `/v5${path}${query}`, as });
    assertMatchesV5('GET', path, reply.statusCode, reply.json());
    return reply;
  }

  /** Every page of a list, following bookmarks; fails if a page is empty but has a bookmark. */
  async function allPages(path: '/user_account/followers' | '/user_account/following', as: TestUser, pageSize: number) {
    const pages: string[][] = [];
    let bookmark: string | null = null;
    do {
      const query: string = `?page_size=${pageSize}${bookmark ? `&bookmark=${bookmark}` : ''}`;
      const reply = await list(path, as, query);
      expect(reply.statusCode).toBe(200);
      const body = reply.json<UserList>();
      pages.push(body.items.map((item) => item.username));
      bookmark = body.bookmark;
      expect(pages.length).toBeLessThan(50);
    } while (bookmark);
    return pages;
  }

  it('follows a person once, answers UserSummary, and keeps both counters exact', async () => {
    const alice = await t.signUp('alice');
    const bob = await t.signUp('bob');

    const first = await follow(alice, 'bob');
    expect(first.statusCode).toBe(200);
    expect(first.json()).toEqual({ type: 'user', id: bob.id, username: 'bob' });

    // A second follow, spelled differently, changes nothing.
    const again = await follow(alice, 'BOB');
    expect(again.statusCode).toBe(200);
    expect(again.json()).toMatchObject({ type: 'user', username: 'bob' });
    expect(await followRows(alice.id, bob.id)).toBe(1);

    expect(await ownCounts(alice)).toMatchObject({ following_count: 1, follower_count: 0 });
    expect(await ownCounts(bob)).toMatchObject({ following_count: 0, follower_count: 1 });
    expect(await profileCounts(alice, 'bob')).toMatchObject({ follower_count: 1, following_count: 0 });
    expect(await profileCounts(bob, 'alice')).toMatchObject({ follower_count: 0, following_count: 1 });

    const following = (await list('/user_account/following', alice)).json<UserList>();
    expect(following).toEqual({ items: [{ type: 'user', id: bob.id, username: 'bob' }], bookmark: null });
    const followers = (await list('/user_account/followers', bob)).json<UserList>();
    expect(followers).toEqual({ items: [{ type: 'user', id: alice.id, username: 'alice' }], bookmark: null });

    const unfollow = await t.request({ method: 'DELETE', url: '/v5/user_account/following/bob', as: alice });
    expect(unfollow.statusCode).toBe(204);
    expect(unfollow.body).toBe('');
    expect(await followRows(alice.id, bob.id)).toBe(0);
    expect(await ownCounts(alice)).toMatchObject({ following_count: 0, follower_count: 0 });
    expect(await ownCounts(bob)).toMatchObject({ following_count: 0, follower_count: 0 });

    // Unfollowing someone you do not follow is idempotent: 204, and no counter goes below zero.
    const unfollowAgain = await t.request({ method: 'DELETE', url: '/v5/user_account/following/bob', as: alice });
    expect(unfollowAgain.statusCode).toBe(204);
    expect(await ownCounts(bob)).toMatchObject({ follower_count: 0 });

    const emptyFollowers = await list('/user_account/followers', bob);
    expect(emptyFollowers.json()).toEqual({ items: [], bookmark: null });
  });

  it('accepts the auto_follow flag, and like Pinterest requires a JSON body without unknown fields', async () => {
    const carl = await t.signUp('carl');
    const dina = await t.signUp('dina');
    const bare = await t.request({ method: 'POST', url: '/v5/user_account/following/dina', as: carl });
    expect(bare.statusCode).toBe(400);
    expect(bare.json<{ code: number }>().code).toBe(1);
    expect(await profileCounts(carl, 'dina')).toMatchObject({ follower_count: 0 });
    const flagged = await follow(carl, 'dina');
    expect(flagged.statusCode).toBe(200);
    expect(flagged.json()).toEqual({ type: 'user', id: dina.id, username: 'dina' });
    const withFlag = await t.request({ method: 'POST', url: '/v5/user_account/following/dina', payload: { auto_follow: true }, as: carl });
    expect(withFlag.statusCode).toBe(200);
    const unknownField = await t.request({ method: 'POST', url: '/v5/user_account/following/dina', payload: { mute: true }, as: carl });
    expect(unknownField.statusCode).toBe(400);
    expect(unknownField.json<{ code: number }>().code).toBe(1);
    expect(await profileCounts(carl, 'dina')).toMatchObject({ follower_count: 1 });
  });

  it('refuses following yourself (400) and unknown people (404 code 30), writing nothing', async () => {
    const erin = await t.signUp('erin');
    const self = await follow(erin, 'erin');
    expect(self.statusCode).toBe(400);
    expect(self.json()).toEqual({ code: 4160, message: 'You cannot follow yourself.' });
    const selfCaps = await follow(erin, 'ERIN');
    expect(selfCaps.statusCode).toBe(400);

    const unknown = await follow(erin, 'nobody_at_all');
    expect(unknown.statusCode).toBe(404);
    expect(unknown.json()).toEqual({ code: 30, message: 'User not found.' });
    const numeric = await follow(erin, '12345');
    expect(numeric.statusCode).toBe(404);

    const unfollowUnknown = await t.request({ method: 'DELETE', url: '/v5/user_account/following/nobody_at_all', as: erin });
    expect(unfollowUnknown.statusCode).toBe(404);
    expect(unfollowUnknown.json<{ code: number }>().code).toBe(30);
    const unfollowSelf = await t.request({ method: 'DELETE', url: '/v5/user_account/following/erin', as: erin });
    expect(unfollowSelf.statusCode).toBe(400);
    expect(unfollowSelf.json<{ code: number }>().code).toBe(4160);

    const rows = await t.container.db.selectFrom('user_follows').selectAll().where('follower_id', '=', erin.id).execute();
    expect(rows).toEqual([]);
    expect(await ownCounts(erin)).toMatchObject({ following_count: 0, follower_count: 0 });
  });

  it('requires a token and the v5 scopes: user_accounts:write to follow, user_accounts:read to list', async () => {
    await t.signUp('frank');
    const readOnly = await t.signUp('reader', 'user_accounts:read');
    const noToken = await t.request({ method: 'POST', url: '/v5/user_account/following/frank', payload: {} });
    expect(noToken.statusCode).toBe(401);
    assertMatchesV5('POST', '/user_account/following/{username}', 401, noToken.json());
    const noWrite = await follow(readOnly, 'frank');
    expect(noWrite.statusCode).toBe(403);
    expect(noWrite.json<{ code: number }>().code).toBe(3);
    const noWriteDelete = await t.request({ method: 'DELETE', url: '/v5/user_account/following/frank', as: readOnly });
    expect(noWriteDelete.statusCode).toBe(403);

    const writer = await t.signUp('writer', 'user_accounts:write');
    const cannotList = await list('/user_account/following', writer);
    expect(cannotList.statusCode).toBe(403);
    const cannotListFollowers = await list('/user_account/followers', writer);
    expect(cannotListFollowers.statusCode).toBe(403);
    const listsWithRead = await list('/user_account/following', readOnly);
    expect(listsWithRead.statusCode).toBe(200);
  });

  it('keeps one row and exact counters under 10 concurrent follows and 10 concurrent unfollows', async () => {
    const gina = await t.signUp('gina');
    const hugo = await t.signUp('hugo');
    const follows = await Promise.all(
      Array.from({ length: 10 }, () => t.request({ method: 'POST', url: '/v5/user_account/following/hugo', payload: {}, as: gina })),
    );
    expect(follows.map((reply) => reply.statusCode)).toEqual(Array(10).fill(200));
    expect(await followRows(gina.id, hugo.id)).toBe(1);
    expect(await ownCounts(gina)).toMatchObject({ following_count: 1, follower_count: 0 });
    expect(await ownCounts(hugo)).toMatchObject({ following_count: 0, follower_count: 1 });

    const unfollows = await Promise.all(
      Array.from({ length: 10 }, () => t.request({ method: 'DELETE', url: '/v5/user_account/following/hugo', as: gina })),
    );
    expect(unfollows.map((reply) => reply.statusCode)).toEqual(Array(10).fill(204));
    expect(await followRows(gina.id, hugo.id)).toBe(0);
    expect(await ownCounts(gina)).toMatchObject({ following_count: 0 });
    expect(await ownCounts(hugo)).toMatchObject({ follower_count: 0 });
  });

  it('lets two people follow each other at the same moment (no deadlock, exact counts)', async () => {
    const ivan = await t.signUp('ivan');
    const jill = await t.signUp('jill');
    const replies = await Promise.all(
      Array.from({ length: 6 }, (_, i) =>
        i % 2 === 0
          ? t.request({ method: 'POST', url: '/v5/user_account/following/jill', payload: {}, as: ivan })
          : t.request({ method: 'POST', url: '/v5/user_account/following/ivan', payload: {}, as: jill }),
      ),
    );
    expect(replies.map((reply) => reply.statusCode)).toEqual(Array(6).fill(200));
    expect(await ownCounts(ivan)).toMatchObject({ following_count: 1, follower_count: 1 });
    expect(await ownCounts(jill)).toMatchObject({ following_count: 1, follower_count: 1 });
  });

  it('pages followers and following newest follow first, with bookmark null on the last page', async () => {
    const star = await t.signUp('star');
    const fans: TestUser[] = [];
    for (let i = 0; i < 5; i += 1) {
      const fan = await t.signUp(`fan${i}`);
      fans.push(fan);
      expect((await follow(fan, 'star')).statusCode).toBe(200);
      expect((await follow(star, `fan${i}`)).statusCode).toBe(200);
    }
    const newestFirst = ['fan4', 'fan3', 'fan2', 'fan1', 'fan0'];
    expect(await allPages('/user_account/followers', star, 2)).toEqual([['fan4', 'fan3'], ['fan2', 'fan1'], ['fan0']]);
    expect((await allPages('/user_account/following', star, 2)).flat()).toEqual(newestFirst);
    // A page size equal to the list length ends on that page.
    expect(await allPages('/user_account/followers', star, 5)).toEqual([newestFirst]);
    expect(await allPages('/user_account/followers', star, 250)).toEqual([newestFirst]);

    // Following someone between pages neither repeats nor skips anyone already listed.
    const first = (await list('/user_account/followers', star, '?page_size=2')).json<UserList>();
    const late = await t.signUp('latecomer');
    await follow(late, 'star');
    const second = (await list('/user_account/followers', star, `?page_size=2&bookmark=${first.bookmark}`)).json<UserList>();
    expect(second.items.map((item) => item.username)).toEqual(['fan2', 'fan1']);
    expect(await ownCounts(star)).toMatchObject({ follower_count: 6, following_count: 5 });
  });

  it('breaks ties between follows made in the same microsecond by id', async () => {
    const idol = await t.signUp('idol');
    const twins: TestUser[] = [];
    for (let i = 0; i < 4; i += 1) twins.push(await t.signUp(`twin${i}`));
    await t.container.db
      .insertInto('user_follows')
      .values(twins.map((twin) => ({ follower_id: twin.id, followee_id: idol.id, created_at: '2026-01-02T03:04:05.123456Z' })))
      .execute();
    const pages = await allPages('/user_account/followers', idol, 1);
    expect(pages).toEqual([['twin3'], ['twin2'], ['twin1'], ['twin0']]);
  });

  it('refuses bad bookmarks and page sizes with 400, and accepts feed_type and explicit_following', async () => {
    const kim = await t.signUp('kim');
    const encode = (parts: unknown[]) => Buffer.from(JSON.stringify(parts)).toString('base64url');
    for (const bookmark of [
      'not-a-bookmark',
      encode(['v1', '123']),
      encode(['v1', 'yesterday', '123']),
      encode(['v1', '2026-02-30T00:00:00.000000Z', '123']),
      encode(['v1', '2026-01-01T00:00:00.000Z', '123']),
      encode(['v1', '2026-01-01T00:00:00.000000Z', '99999999999999999999']),
      encode(['v1', '2026-01-01T00:00:00.000000Z', '12a']),
    ]) {
      for (const path of ['/user_account/followers', '/user_account/following'] as const) {
        const reply = await list(path, kim, `?bookmark=${bookmark}`);
        expect(reply.statusCode, bookmark).toBe(400);
        expect(reply.json()).toEqual({ code: 4001, message: 'Invalid bookmark.' });
      }
    }
    for (const query of ['?page_size=251', '?page_size=0', '?page_size=ten', '?feed_type=EVERYONE', '?explicit_following=maybe']) {
      const reply = await list('/user_account/following', kim, query);
      expect(reply.statusCode, query).toBe(400);
      expect(reply.json<{ code: number }>().code).toBe(1);
    }
    const tooBig = await list('/user_account/followers', kim, '?page_size=251');
    expect(tooBig.statusCode).toBe(400);

    await t.signUp('lena');
    await follow(kim, 'lena');
    for (const query of ['?feed_type=ALL', '?feed_type=RANKED&explicit_following=true', '?explicit_following=false&ad_account_id=123']) {
      const reply = await list('/user_account/following', kim, query);
      expect(reply.statusCode, query).toBe(200);
      expect(reply.json<UserList>().items.map((item) => item.username)).toEqual(['lena']);
    }
  });
});

describe('boards the viewer follows', () => {
  let t: TestApp;
  let owner: TestUser;
  let fan: TestUser;
  beforeAll(async () => {
    t = await createTestApp();
    owner = await t.signUp('owner');
    fan = await t.signUp('fan');
  });
  afterAll(async () => t.close());

  async function makeBoard(ownerId: string, name: string, privacy: BoardPrivacy = 'PUBLIC'): Promise<string> {
    const id = t.container.ids.next();
    await t.container.db.insertInto('boards').values({ id, owner_id: ownerId, name, privacy }).execute();
    return id;
  }

  async function followBoard(userId: string, boardId: string, createdAt?: string): Promise<void> {
    await t.container.db
      .insertInto('board_follows')
      .values({ user_id: userId, board_id: boardId, ...(createdAt ? { created_at: createdAt } : {}) })
      .execute();
    await t.container.db
      .updateTable('boards')
      .set((eb) => ({ follower_count: eb('follower_count', '+', 1) }))
      .where('id', '=', boardId)
      .execute();
  }

  async function followedBoards(as: TestUser, query = '') {
    const reply = await t.request({ method: 'GET', url: `/v5/user_account/following/boards${query}`, as });
    assertMatchesV5('GET', '/user_account/following/boards', reply.statusCode, reply.json());
    return reply;
  }

  it('lists followed boards in the v5 Board shape, newest follow first, and pages them', async () => {
    const empty = await followedBoards(fan);
    expect(empty.statusCode).toBe(200);
    expect(empty.json()).toEqual({ items: [], bookmark: null });

    const recipes = await makeBoard(owner.id, 'Recipes');
    const gardens = await makeBoard(owner.id, 'Gardens');
    const travel = await makeBoard(owner.id, 'Travel');
    await followBoard(fan.id, gardens, '2026-01-01T00:00:00.000001Z');
    await followBoard(fan.id, recipes, '2026-01-01T00:00:00.000002Z');
    await followBoard(fan.id, travel, '2026-01-01T00:00:00.000002Z');

    const reply = await followedBoards(fan);
    expect(reply.statusCode).toBe(200);
    const body = reply.json<{ items: Record<string, unknown>[]; bookmark: string | null }>();
    // Same follow time: the larger board id (the later board) first.
    expect(body.items.map((board) => board.name)).toEqual(['Travel', 'Recipes', 'Gardens']);
    expect(body.bookmark).toBeNull();
    expect(body.items[1]).toMatchObject({
      id: recipes,
      name: 'Recipes',
      description: null,
      privacy: 'PUBLIC',
      owner: { username: 'owner' },
      follower_count: 1,
      pin_count: 0,
      collaborator_count: 0,
    });

    // The card comes from the boards feature: the newest pin's image is the cover.
    const imageId = t.container.ids.next();
    const capability = newImageCapability();
    await t.container.db
      .insertInto('images')
      .values({ id: imageId, capability, sha256: 'b'.repeat(64), width: 640, height: 480, content_type: 'image/jpeg', dominant_color: '#aabbcc', byte_size: 10 })
      .execute();
    await t.container.db.insertInto('pins').values({ id: t.container.ids.next(), owner_id: owner.id, board_id: recipes, image_id: imageId, title: 'Soup' }).execute();
    const withCover = (await followedBoards(fan)).json<{ items: { id: string; media: { image_cover_url: string | null } }[] }>();
    expect(withCover.items.find((board) => board.id === recipes)?.media.image_cover_url).toContain(capability);
    expect(withCover.items.find((board) => board.id === travel)?.media.image_cover_url).toBeNull();

    const firstPage = (await followedBoards(fan, '?page_size=2')).json<{ items: { name: string }[]; bookmark: string }>();
    expect(firstPage.items.map((board) => board.name)).toEqual(['Travel', 'Recipes']);
    const secondPage = (await followedBoards(fan, `?page_size=2&bookmark=${firstPage.bookmark}`)).json<{ items: { name: string }[]; bookmark: string | null }>();
    expect(secondPage).toMatchObject({ items: [{ name: 'Gardens' }], bookmark: null });

    const badBookmark = await followedBoards(fan, '?bookmark=%21%21');
    expect(badBookmark.statusCode).toBe(400);
    expect(badBookmark.json<{ code: number }>().code).toBe(4001);
    const tooBig = await followedBoards(fan, '?page_size=251');
    expect(tooBig.statusCode).toBe(400);
    const flags = await followedBoards(fan, '?explicit_following=true');
    expect(flags.json<{ items: unknown[] }>().items).toHaveLength(3);
  });

  it('hides a followed board once it turns SECRET or PROTECTED, except from its collaborators', async () => {
    const collaborator = await t.signUp('collab');
    const collaboratorNoSecret = await t.signUp('collab_ns', 'user_accounts:read,boards:read');
    const hidden = await makeBoard(owner.id, 'Soon hidden');
    const shared = await makeBoard(owner.id, 'Shared');
    for (const user of [fan, collaborator, collaboratorNoSecret]) {
      await followBoard(user.id, hidden);
      await followBoard(user.id, shared);
    }
    await t.container.db
      .insertInto('board_collaborators')
      .values([
        { board_id: shared, user_id: collaborator.id, role: 'viewer', invited_by: owner.id },
        { board_id: shared, user_id: collaboratorNoSecret.id, role: 'viewer', invited_by: owner.id },
      ])
      .execute();
    const names = async (user: TestUser) => (await followedBoards(user)).json<{ items: { name: string }[] }>().items.map((b) => b.name);
    expect(await names(fan)).toEqual(expect.arrayContaining(['Soon hidden', 'Shared']));

    await t.container.db.updateTable('boards').set({ privacy: 'SECRET' }).where('id', 'in', [hidden, shared]).execute();
    const fanNames = await names(fan);
    expect(fanNames).not.toContain('Soon hidden');
    expect(fanNames).not.toContain('Shared');
    const fanBody = (await followedBoards(fan)).body;
    expect(fanBody).not.toContain(hidden);
    expect(fanBody).not.toContain(shared);
    // A collaborator still sees the secret board, but only with a token allowed to read secrets.
    expect(await names(collaborator)).toContain('Shared');
    expect(await names(collaborator)).not.toContain('Soon hidden');
    expect(await names(collaboratorNoSecret)).not.toContain('Shared');

    await t.container.db.updateTable('boards').set({ privacy: 'PROTECTED' }).where('id', '=', shared).execute();
    expect(await names(fan)).not.toContain('Shared');
    expect(await names(collaboratorNoSecret)).toContain('Shared');

    await t.container.db.updateTable('boards').set({ privacy: 'PUBLIC' }).where('id', 'in', [hidden, shared]).execute();
    expect(await names(fan)).toEqual(expect.arrayContaining(['Soon hidden', 'Shared']));
  });

  it('pages correctly when hidden boards sit between visible ones', async () => {
    const pager = await t.signUp('pager');
    const ids: string[] = [];
    for (let i = 0; i < 6; i += 1) {
      const id = await makeBoard(owner.id, `Paged ${i}`, i % 2 === 0 ? 'SECRET' : 'PUBLIC');
      ids.push(id);
      await followBoard(pager.id, id, `2026-03-01T00:00:0${i}.000000Z`);
    }
    const seen: string[] = [];
    let bookmark: string | null = null;
    do {
      const reply = await followedBoards(pager, `?page_size=1${bookmark ? `&bookmark=${bookmark}` : ''}`);
      const body = reply.json<{ items: { name: string }[]; bookmark: string | null }>();
      seen.push(...body.items.map((b) => b.name));
      bookmark = body.bookmark;
    } while (bookmark);
    expect(seen).toEqual(['Paged 5', 'Paged 3', 'Paged 1']);
    const total = await sql<{ n: string }>`SELECT count(*) AS n FROM board_follows WHERE user_id = ${pager.id}`.execute(t.container.db);
    expect(Number(total.rows[0]?.n)).toBe(6);
  });
});
