import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp, type TestUser } from '../../test/support/test-app.js';
import { assertMatchesV5 } from '../../test/support/contract.js';
import { countStatements } from '../graphql/graphql-test-support.js';
import { encodeBookmark } from '../platform/http/pagination.js';
import * as support from './board-test-support.js';
import type { BoardBody } from './board-test-support.js';

interface BoardList {
  items: BoardBody[];
  bookmark: string | null;
}

describe('boards', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp();
  });
  afterAll(async () => t.close());

  const createBoard = (as: TestUser, payload: Record<string, unknown>) => support.createBoard(t, as, payload);
  const accountCounts = (as: TestUser, username?: string) => support.accountCounts(t, as, username);
  const insertPin = (owner: TestUser, boardId: string) => support.insertPin(t, owner, boardId);

  async function listBoards(as: TestUser, query = ''): Promise<BoardList> {
    const reply = await t.request({ method: 'GET', url: `/v5/boards${query}`, as });
    assertMatchesV5('GET', '/boards', reply.statusCode, reply.json());
    expect(reply.statusCode, reply.body).toBe(200);
    return reply.json<BoardList>();
  }

  describe('create, read, update, delete', () => {
    it('creates a board with v5 defaults and counts it for its owner', async () => {
      const ann = await t.signUp('ann');
      const other = await t.signUp('ann_watcher');
      const board = await createBoard(ann, { name: '  Summer recipes ', description: 'Cold soups' });
      expect(board).toMatchObject({
        name: 'Summer recipes',
        description: 'Cold soups',
        privacy: 'PUBLIC',
        owner: { username: 'ann' },
        pin_count: 0,
        follower_count: 0,
        collaborator_count: 0,
        media: { image_cover_url: null, pin_thumbnail_urls: [] },
      });
      expect(board.id).toMatch(/^\d+$/);
      expect(Date.parse(board.created_at)).not.toBeNaN();

      const fetched = await t.request({ method: 'GET', url: `/v5/boards/${board.id}`, as: ann });
      assertMatchesV5('GET', '/boards/{board_id}', fetched.statusCode, fetched.json());
      expect(fetched.json()).toEqual(board);

      const secret = await createBoard(ann, { name: 'Gifts', privacy: 'SECRET', description: null });
      expect(secret.privacy).toBe('SECRET');
      expect(secret.description).toBeNull();
      expect((await accountCounts(ann)).board_count).toBe(2);
      expect((await accountCounts(other, 'ann')).board_count).toBe(1);
      // A generated client may send Pinterest's default for ad-only boards.
      await createBoard(ann, { name: 'Plain', is_ads_only: false });
    });

    it('rejects bad bodies with 400 and writes nothing', async () => {
      const bea = await t.signUp('bea');
      for (const payload of [
        {},
        { name: '' },
        { name: '   ' },
        { name: 'x'.repeat(181) },
        { name: 'ok', description: 'd'.repeat(501) },
        { name: 'ok', privacy: 'FRIENDS' },
        { name: 'ok', owner_id: bea.id },
        { name: 'ok', is_ads_only: true },
      ]) {
        const reply = await t.request({ method: 'POST', url: '/v5/boards', payload, as: bea });
        expect(reply.statusCode, JSON.stringify(payload)).toBe(400);
        expect(reply.json<{ code: number }>().code).toBe(1);
        assertMatchesV5('POST', '/boards', 400, reply.json());
      }
      expect((await listBoards(bea)).items).toEqual([]);
      expect((await accountCounts(bea)).board_count).toBe(0);
    });

    it('refuses a second board with the same name (any case) with 409', async () => {
      const cat = await t.signUp('cat');
      const first = await createBoard(cat, { name: 'Travel' });
      const again = await t.request({ method: 'POST', url: '/v5/boards', payload: { name: 'TRAVEL' }, as: cat });
      expect(again.statusCode).toBe(409);
      expect(again.json()).toEqual({ code: 4092, message: 'You already have a board with this name.' });
      assertMatchesV5('POST', '/boards', 409, again.json());
      // Another person may use the name.
      await createBoard(await t.signUp('cat2'), { name: 'Travel' });

      const other = await createBoard(cat, { name: 'Hiking' });
      const rename = await t.request({ method: 'PATCH', url: `/v5/boards/${other.id}`, payload: { name: 'travel' }, as: cat });
      expect(rename.statusCode).toBe(409);
      assertMatchesV5('PATCH', '/boards/{board_id}', 409, rename.json());
      // Renaming a board to its own name in another case is fine.
      const recase = await t.request({ method: 'PATCH', url: `/v5/boards/${first.id}`, payload: { name: 'TRAVEL' }, as: cat });
      expect(recase.statusCode).toBe(200);
      expect(recase.json<BoardBody>().name).toBe('TRAVEL');
      expect((await accountCounts(cat)).board_count).toBe(2);
    });

    it('needs boards:write_secret to create or make a SECRET board', async () => {
      const narrow = await t.signUp('dee', 'boards:read,boards:write,boards:read_secret');
      const refused = await t.request({ method: 'POST', url: '/v5/boards', payload: { name: 'Hidden', privacy: 'SECRET' }, as: narrow });
      expect(refused.statusCode).toBe(403);
      expect(refused.json<{ code: number }>().code).toBe(3);
      assertMatchesV5('POST', '/boards', 403, refused.json());
      const board = await createBoard(narrow, { name: 'Open' });
      const flip = await t.request({ method: 'PATCH', url: `/v5/boards/${board.id}`, payload: { privacy: 'SECRET' }, as: narrow });
      expect(flip.statusCode).toBe(403);
      expect((await listBoards(narrow)).items.map((item) => item.privacy)).toEqual(['PUBLIC']);
    });

    it('answers 404 for unknown and malformed ids', async () => {
      const eve = await t.signUp('eve');
      for (const id of ['123', 'abc', '99999999999999999999', '0x10', '-1', '1'.repeat(100)]) {
        for (const method of ['GET', 'PATCH', 'DELETE'] as const) {
          const reply = await t.request({ method, url: `/v5/boards/${id}`, as: eve, ...(method === 'PATCH' ? { payload: { name: 'n' } } : {}) });
          expect(reply.statusCode, `${method} ${id}`).toBe(404);
          expect(reply.json()).toEqual({ code: 40, message: 'Board not found.' });
          assertMatchesV5(method, '/boards/{board_id}', 404, reply.json());
        }
      }
    });

    it('updates name, description and privacy, answering BoardWithUpdatePrivacy', async () => {
      const fay = await t.signUp('fay');
      const board = await createBoard(fay, { name: 'Draft', description: 'old' });
      const patch = async (payload: Record<string, unknown>) => {
        const reply = await t.request({ method: 'PATCH', url: `/v5/boards/${board.id}`, payload, as: fay });
        assertMatchesV5('PATCH', '/boards/{board_id}', reply.statusCode, reply.json());
        return reply;
      };
      const renamed = await patch({ name: 'Final', description: null });
      expect(renamed.statusCode).toBe(200);
      expect(renamed.json()).toMatchObject({ id: board.id, name: 'Final', description: null, privacy: 'PUBLIC' });
      const secret = await patch({ privacy: 'SECRET' });
      expect(secret.json<BoardBody>().privacy).toBe('SECRET');
      // PROTECTED is accepted; Pinterest's update response cannot express it, so privacy is omitted.
      const hidden = await patch({ privacy: 'PROTECTED' });
      expect(hidden.statusCode).toBe(200);
      expect(hidden.json()).not.toHaveProperty('privacy');
      const fetched = await t.request({ method: 'GET', url: `/v5/boards/${board.id}`, as: fay });
      expect(fetched.json<BoardBody>().privacy).toBe('PROTECTED');
      const unchanged = await patch({});
      expect(unchanged.statusCode).toBe(200);
      expect(unchanged.json<BoardBody>().name).toBe('Final');
      for (const payload of [{ name: '' }, { privacy: 'OPEN' }, { owner: 'x' }]) {
        const reply = await patch(payload);
        expect(reply.statusCode, JSON.stringify(payload)).toBe(400);
      }
    });

    it('deletes a board with 204, then it is gone', async () => {
      const gus = await t.signUp('gus');
      const board = await createBoard(gus, { name: 'Temporary' });
      const deleted = await t.request({ method: 'DELETE', url: `/v5/boards/${board.id}`, as: gus });
      expect(deleted.statusCode).toBe(204);
      expect(deleted.body).toBe('');
      assertMatchesV5('DELETE', '/boards/{board_id}', 204, deleted.body);
      const gone = await t.request({ method: 'GET', url: `/v5/boards/${board.id}`, as: gus });
      expect(gone.statusCode).toBe(404);
      const again = await t.request({ method: 'DELETE', url: `/v5/boards/${board.id}`, as: gus });
      expect(again.statusCode).toBe(404);
      assertMatchesV5('DELETE', '/boards/{board_id}', 404, again.json());
      expect((await accountCounts(gus)).board_count).toBe(0);
    });

    it('answers 401 without a token and 403 without the scope', async () => {
      const anonymous = await t.request({ method: 'GET', url: '/v5/boards' });
      expect(anonymous.statusCode).toBe(401);
      assertMatchesV5('GET', '/boards', 401, anonymous.json());
      const readOnly = await t.signUp('hal', 'boards:read');
      const create = await t.request({ method: 'POST', url: '/v5/boards', payload: { name: 'x' }, as: readOnly });
      expect(create.statusCode).toBe(403);
      expect(create.json<{ code: number }>().code).toBe(3);
      assertMatchesV5('POST', '/boards', 403, create.json());
    });
  });

  describe('listing', () => {
    it('pages newest first with bookmarks, null on the last page', async () => {
      const ivy = await t.signUp('ivy');
      const empty = await listBoards(ivy);
      expect(empty).toEqual({ items: [], bookmark: null });
      const names = ['b1', 'b2', 'b3', 'b4', 'b5'];
      for (const name of names) await createBoard(ivy, { name });
      const seen: string[] = [];
      let bookmark: string | null = null;
      let pages = 0;
      do {
        const page: BoardList = await listBoards(ivy, `?page_size=2${bookmark ? `&bookmark=${bookmark}` : ''}`);
        expect(page.items.length).toBeGreaterThan(0);
        seen.push(...page.items.map((item) => item.name));
        bookmark = page.bookmark;
        pages += 1;
      } while (bookmark !== null);
      expect(pages).toBe(3);
      expect(seen).toEqual([...names].reverse());
      const exact = await listBoards(ivy, '?page_size=5');
      expect(exact.items).toHaveLength(5);
      expect(exact.bookmark).toBeNull();
    });

    it('rejects a bad bookmark (4001) and an out-of-range page_size (1)', async () => {
      const jo = await t.signUp('joe');
      for (const bookmark of ['garbage', encodeBookmark(['not-a-number']), encodeBookmark(['99999999999999999999']), encodeBookmark(['1', '2'])]) {
        const reply = await t.request({ method: 'GET', url: `/v5/boards?bookmark=${bookmark}`, as: jo });
        expect(reply.statusCode, bookmark).toBe(400);
        expect(reply.json<{ code: number }>().code).toBe(4001);
        assertMatchesV5('GET', '/boards', 400, reply.json());
      }
      for (const size of ['251', '0', 'ten']) {
        const reply = await t.request({ method: 'GET', url: `/v5/boards?page_size=${size}`, as: jo });
        expect(reply.statusCode, size).toBe(400);
        expect(reply.json<{ code: number }>().code).toBe(1);
        assertMatchesV5('GET', '/boards', 400, reply.json());
      }
      expect((await listBoards(jo, '?page_size=250')).items).toEqual([]);
    });

    it('filters by privacy and hides SECRET boards from tokens without boards:read_secret', async () => {
      const kim = await t.signUp('kim');
      await createBoard(kim, { name: 'pub' });
      await createBoard(kim, { name: 'prot', privacy: 'PROTECTED' });
      await createBoard(kim, { name: 'sec', privacy: 'SECRET' });
      const names = async (query: string, as: TestUser = kim) => (await listBoards(as, query)).items.map((item) => item.name);
      expect(await names('')).toEqual(['sec', 'prot', 'pub']);
      expect(await names('?privacy=ALL')).toEqual(['sec', 'prot', 'pub']);
      expect(await names('?privacy=PUBLIC')).toEqual(['pub']);
      expect(await names('?privacy=PROTECTED')).toEqual(['prot']);
      expect(await names('?privacy=SECRET')).toEqual(['sec']);
      expect(await names('?privacy=PUBLIC_AND_SECRET')).toEqual(['sec', 'pub']);
      const bad = await t.request({ method: 'GET', url: '/v5/boards?privacy=public', as: kim });
      expect(bad.statusCode).toBe(400);
      assertMatchesV5('GET', '/boards', 400, bad.json());

      const [password] = [`pw-kim-secret`];
      const narrowToken = await t.request({
        method: 'POST',
        url: '/v5/oauth/token',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        payload: new URLSearchParams({ grant_type: 'password', username: 'kim', password, scope: 'boards:read' }).toString(),
      });
      const narrow = { ...kim, token: narrowToken.json<{ access_token: string }>().access_token };
      expect(await names('', narrow)).toEqual(['prot', 'pub']);
      expect(await names('?privacy=SECRET', narrow)).toEqual([]);
      const secretId = (await listBoards(kim, '?privacy=SECRET')).items[0]?.id;
      const hidden = await t.request({ method: 'GET', url: `/v5/boards/${secretId}`, as: narrow });
      expect(hidden.statusCode).toBe(404);
    });

    it("includes group boards the viewer collaborates on, never other people's boards", async () => {
      const lea = await t.signUp('lea');
      const max = await t.signUp('max');
      await createBoard(lea, { name: 'mine' });
      const group = await createBoard(max, { name: 'group', privacy: 'SECRET' });
      await createBoard(max, { name: 'max only' });
      const invite = await t.request({
        method: 'POST',
        url: `/v5/boards/${group.id}/collaborators`,
        payload: { username: 'lea', role: 'viewer' },
        as: max,
      });
      expect(invite.statusCode).toBe(201);
      const items = (await listBoards(lea)).items;
      expect(items.map((item) => [item.name, item.owner.username])).toEqual([
        ['group', 'max'],
        ['mine', 'lea'],
      ]);
    });

    it('shows the newest pin as cover and up to five thumbnails, loaded in one statement per page', async () => {
      const ned = await t.signUp('ned');
      const boards: BoardBody[] = [];
      for (const name of ['one', 'two', 'three']) boards.push(await createBoard(ned, { name }));
      const [one, two] = boards as [BoardBody, BoardBody, BoardBody];
      const images: string[] = [];
      for (let i = 0; i < 7; i += 1) images.push((await insertPin(ned, one.id)).capability);
      const single = (await insertPin(ned, two.id)).capability;
      const base = t.config.publicBaseUrl;

      let page!: Awaited<ReturnType<typeof listBoards>>;
      const { statements } = await countStatements(t, async () => {
        page = await listBoards(ned);
      });
      const mediaStatements = statements.filter((text) => /from "pins"|from pins/i.test(text));
      expect(mediaStatements).toHaveLength(1);

      const byName = new Map(page.items.map((item) => [item.name, item]));
      const newestFirst = [...images].reverse();
      expect(byName.get('one')?.media).toEqual({
        image_cover_url: `${base}/media/images/${newestFirst[0]}/600x.jpg`,
        pin_thumbnail_urls: newestFirst.slice(0, 5).map((capability) => `${base}/media/images/${capability}/150x150.jpg`),
      });
      expect(byName.get('one')?.pin_count).toBe(7);
      expect(byName.get('two')?.media.image_cover_url).toBe(`${base}/media/images/${single}/600x.jpg`);
      expect(byName.get('three')?.media).toEqual({ image_cover_url: null, pin_thumbnail_urls: [] });
    });
  });
});
