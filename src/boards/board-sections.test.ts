import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp, type TestUser } from '../../test/support/test-app.js';
import { assertMatchesV5 } from '../../test/support/contract.js';
import { newImageCapability } from '../media/image-capability.js';

interface Section {
  id: string;
  name: string;
}

describe('board sections', () => {
  let t: TestApp;
  let owner: TestUser;
  let editor: TestUser;
  let boardId: string;

  beforeAll(async () => {
    t = await createTestApp();
    owner = await t.signUp('sofia');
    editor = await t.signUp('ed_itor');
    const board = await t.request({ method: 'POST', url: '/v5/boards', payload: { name: 'Kitchen' }, as: owner });
    boardId = board.json<{ id: string }>().id;
    const invited = await t.request({
      method: 'POST',
      url: `/v5/boards/${boardId}/collaborators`,
      payload: { username: 'ed_itor', role: 'editor' },
      as: owner,
    });
    expect(invited.statusCode).toBe(201);
  });
  afterAll(async () => t.close());

  const collection = () => `/v5/boards/${boardId}/sections`;

  async function create(name: string, as: TestUser = owner) {
    const reply = await t.request({ method: 'POST', url: collection(), payload: { name }, as });
    assertMatchesV5('POST', '/boards/{board_id}/sections', reply.statusCode, reply.json());
    return reply;
  }

  async function list(query = '') {
    const reply = await t.request({ method: 'GET', url: `${collection()}${query}`, as: owner });
    assertMatchesV5('GET', '/boards/{board_id}/sections', reply.statusCode, reply.json());
    return reply;
  }

  it('creates, lists in creation order with bookmarks, renames and deletes sections', async () => {
    expect((await list()).json()).toEqual({ items: [], bookmark: null });
    const names = ['Breakfast', 'Lunch', 'Dinner'];
    const created: Section[] = [];
    for (const name of names) {
      const reply = await create(name);
      expect(reply.statusCode).toBe(201);
      created.push(reply.json<Section>());
    }
    expect(created[0]?.name).toBe('Breakfast');
    expect(created[0]?.id).toMatch(/^\d+$/);

    const first = (await list('?page_size=2')).json<{ items: Section[]; bookmark: string | null }>();
    expect(first.items.map((s) => s.name)).toEqual(['Breakfast', 'Lunch']);
    expect(first.bookmark).not.toBeNull();
    const second = (await list(`?page_size=2&bookmark=${first.bookmark}`)).json<{ items: Section[]; bookmark: string | null }>();
    expect(second).toEqual({ items: [created[2]], bookmark: null });

    const lunch = created[1]!;
    const renamed = await t.request({ method: 'PATCH', url: `${collection()}/${lunch.id}`, payload: { name: ' Brunch ' }, as: owner });
    assertMatchesV5('PATCH', '/boards/{board_id}/sections/{section_id}', renamed.statusCode, renamed.json());
    expect(renamed.json()).toEqual({ id: lunch.id, name: 'Brunch' });

    const deleted = await t.request({ method: 'DELETE', url: `${collection()}/${lunch.id}`, as: owner });
    expect(deleted.statusCode).toBe(204);
    assertMatchesV5('DELETE', '/boards/{board_id}/sections/{section_id}', 204, deleted.body);
    expect((await list()).json<{ items: Section[] }>().items.map((s) => s.name)).toEqual(['Breakfast', 'Dinner']);
  });

  it('refuses a duplicate name on the board (any case) with 409, on create and rename', async () => {
    expect((await create('Snacks')).statusCode).toBe(201);
    const duplicate = await create('SNACKS');
    expect(duplicate.statusCode).toBe(409);
    expect(duplicate.json()).toEqual({ code: 409, message: 'Board section conflict.' });
    const other = (await create('Drinks')).json<Section>();
    const rename = await t.request({ method: 'PATCH', url: `${collection()}/${other.id}`, payload: { name: 'snacks' }, as: owner });
    expect(rename.statusCode).toBe(409);
    assertMatchesV5('PATCH', '/boards/{board_id}/sections/{section_id}', 409, rename.json());
    // The same name on another board is fine.
    const elsewhere = await t.request({ method: 'POST', url: '/v5/boards', payload: { name: 'Pantry' }, as: owner });
    const pantry = elsewhere.json<{ id: string }>().id;
    const same = await t.request({ method: 'POST', url: `/v5/boards/${pantry}/sections`, payload: { name: 'Snacks' }, as: owner });
    expect(same.statusCode).toBe(201);
  });

  it('rejects bad names and bookmarks with 400', async () => {
    for (const payload of [{}, { name: '' }, { name: '  ' }, { name: 'n'.repeat(181) }, { name: 'ok', id: '1' }]) {
      const reply = await t.request({ method: 'POST', url: collection(), payload, as: owner });
      expect(reply.statusCode, JSON.stringify(payload)).toBe(400);
      expect(reply.json<{ code: number }>().code).toBe(1);
      assertMatchesV5('POST', '/boards/{board_id}/sections', 400, reply.json());
    }
    const bad = await list('?bookmark=nonsense');
    expect(bad.statusCode).toBe(400);
    expect(bad.json<{ code: number }>().code).toBe(4001);
    const tooBig = await list('?page_size=251');
    expect(tooBig.statusCode).toBe(400);
  });

  it('answers 404 SECTION_NOT_FOUND for unknown, malformed and other boards’ sections', async () => {
    const elsewhere = await t.request({ method: 'POST', url: '/v5/boards', payload: { name: 'Garage' }, as: owner });
    const garage = elsewhere.json<{ id: string }>().id;
    const foreign = await t.request({ method: 'POST', url: `/v5/boards/${garage}/sections`, payload: { name: 'Tools' }, as: owner });
    const foreignId = foreign.json<Section>().id;
    for (const sectionId of ['1', 'abc', '99999999999999999999', foreignId]) {
      for (const method of ['PATCH', 'DELETE'] as const) {
        const reply = await t.request({
          method,
          url: `${collection()}/${sectionId}`,
          as: owner,
          ...(method === 'PATCH' ? { payload: { name: 'x' } } : {}),
        });
        expect(reply.statusCode, `${method} ${sectionId}`).toBe(404);
        expect(reply.json()).toEqual({ code: 2031, message: "Sorry! We couldn't find this board section." });
        assertMatchesV5(method, '/boards/{board_id}/sections/{section_id}', 404, reply.json());
      }
    }
    const unknownBoard = await t.request({ method: 'GET', url: '/v5/boards/42/sections', as: owner });
    expect(unknownBoard.statusCode).toBe(404);
    expect(unknownBoard.json<{ code: number }>().code).toBe(40);
  });

  it('lets editors manage sections', async () => {
    const made = await create('By the editor', editor);
    expect(made.statusCode).toBe(201);
    const id = made.json<Section>().id;
    const renamed = await t.request({ method: 'PATCH', url: `${collection()}/${id}`, payload: { name: 'Edited' }, as: editor });
    expect(renamed.statusCode).toBe(200);
    const deleted = await t.request({ method: 'DELETE', url: `${collection()}/${id}`, as: editor });
    expect(deleted.statusCode).toBe(204);
  });

  it("keeps a deleted section's pins on the board, outside any section", async () => {
    const section = (await create('Desserts')).json<Section>();
    const db = t.container.db;
    const imageId = t.container.ids.next();
    await db
      .insertInto('images')
      .values({ id: imageId, capability: newImageCapability(), sha256: `sha-${imageId}`, width: 10, height: 10, content_type: 'image/jpeg', dominant_color: '#ffffff', byte_size: 10 })
      .execute();
    const pinId = t.container.ids.next();
    await db.insertInto('pins').values({ id: pinId, owner_id: owner.id, board_id: boardId, board_section_id: section.id, image_id: imageId }).execute();
    await db.updateTable('boards').set((eb) => ({ pin_count: eb('pin_count', '+', 1) })).where('id', '=', boardId).execute();

    const deleted = await t.request({ method: 'DELETE', url: `${collection()}/${section.id}`, as: owner });
    expect(deleted.statusCode).toBe(204);
    const pin = await db.selectFrom('pins').select(['board_id', 'board_section_id']).where('id', '=', pinId).executeTakeFirstOrThrow();
    expect(pin).toEqual({ board_id: boardId, board_section_id: null });
    const board = await t.request({ method: 'GET', url: `/v5/boards/${boardId}`, as: owner });
    expect(board.json<{ pin_count: number }>().pin_count).toBe(1);
  });

  it('creates one of ten concurrent sections with the same name', async () => {
    const replies = await Promise.all(
      Array.from({ length: 10 }, () => t.request({ method: 'POST', url: collection(), payload: { name: 'Race' }, as: owner })),
    );
    expect(replies.map((reply) => reply.statusCode).sort()).toEqual([201, ...Array<number>(9).fill(409)]);
  });
});
