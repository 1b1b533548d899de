// Search over everyone's public pins (GET /v5/search/partner/pins and GraphQL `search`): what is found,
// in what order, one card per picture, never a pin of a board that is not PUBLIC (also a moment after
// it turned), and a write found at once. Typeahead and related terms are in public-terms.test.ts.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp, type TestUser } from '../../test/support/test-app.js';
import { assertMatchesV5 } from '../../test/support/contract.js';
import { createBoard, createPin } from '../../test/support/fixtures.js';
import { gql } from '../graphql/graphql-test-support.js';
import { newImageCapability } from '../media/image-capability.js';
import type { BoardPrivacy } from '../platform/db/schema.js';

interface SummaryPin {
  id: string;
  title: string | null;
  description: string | null;
  alt_text: string | null;
  link: string | null;
  media: { media_type: string; images: Record<string, { url: string }> };
}
interface List {
  items: SummaryPin[];
  bookmark: string | null;
}

const DAY_MS = 86_400_000;

describe("searching everyone's public pins", () => {
  let t: TestApp;
  let alice: TestUser;
  let bob: TestUser;
  let imageCount = 0;

  beforeAll(async () => {
    t = await createTestApp();
    alice = await t.signUp('alice');
    bob = await t.signUp('bob');
  });
  afterAll(async () => t.close());

  /** A new picture (each pin gets its own unless told to show another's). */
  async function newImage(): Promise<string> {
    const id = t.container.ids.next();
    imageCount += 1;
    await t.container.db
      .insertInto('images')
      .values({
        id,
        capability: newImageCapability(),
        sha256: imageCount.toString(16).padStart(64, '0'),
        width: 800,
        height: 600,
        content_type: 'image/jpeg',
        dominant_color: '#336699',
        byte_size: 1000,
      })
      .execute();
    return id;
  }

  async function board(owner: TestUser, name: string, privacy: BoardPrivacy = 'PUBLIC', description?: string): Promise<string> {
    return (await createBoard(t, owner, { name, privacy, ...(description ? { description } : {}) })).id;
  }

  interface PinFields {
    title?: string;
    description?: string;
    alt_text?: string;
    /** Days before now. */
    age?: number;
    image?: string;
    parent?: string;
  }

  async function pin(owner: TestUser, boardId: string, fields: PinFields = {}): Promise<string> {
    const id = t.container.ids.next();
    await t.container.db
      .insertInto('pins')
      .values({
        id,
        owner_id: owner.id,
        board_id: boardId,
        image_id: fields.image ?? (await newImage()),
        parent_pin_id: fields.parent ?? null,
        title: fields.title ?? null,
        description: fields.description ?? null,
        alt_text: fields.alt_text ?? null,
        created_at: new Date(Date.now() - (fields.age ?? 0) * DAY_MS),
      })
      .execute();
    return id;
  }

  async function search(as: TestUser, term: string, extra: Record<string, string> = {}) {
    const params = new URLSearchParams({ term, country_code: 'US', ...extra });
    const reply = await t.request({ method: 'GET', url: `/v5/search/partner/pins?${params.toString()}`, as });
    assertMatchesV5('GET', '/search/partner/pins', reply.statusCode, reply.json());
    return reply;
  }

  async function found(as: TestUser, term: string, extra: Record<string, string> = {}): Promise<string[]> {
    const reply = await search(as, term, { limit: '50', ...extra });
    expect(reply.statusCode, reply.body).toBe(200);
    return reply.json<List>().items.map((item) => item.id);
  }

  it("finds other people's pins on PUBLIC boards by title, description, alt text and board name; never on PROTECTED or SECRET ones, not even for their owner", async () => {
    const open = await board(bob, 'Garden walrus');
    const byTitle = await pin(bob, open, { title: 'A walrus on the beach' });
    const byDescription = await pin(bob, open, { description: 'The walrus sleeps' });
    const byAltText = await pin(bob, open, { alt_text: 'walrus tusks close up' });
    const byBoardName = await pin(bob, open, { title: 'Sunday picnic' });
    const hidden: string[] = [];
    for (const privacy of ['PROTECTED', 'SECRET'] as const) {
      const closed = await board(bob, `Hidden walrus ${privacy}`, privacy);
      hidden.push(await pin(bob, closed, { title: `walrus ${privacy}` }));
    }
    for (const viewer of [alice, bob]) {
      const ids = await found(viewer, 'walrus');
      expect(ids.sort()).toEqual([byTitle, byDescription, byAltText, byBoardName].sort());
    }
    const reply = await search(alice, 'walrus', { limit: '1' });
    const item = reply.json<List>().items[0]!;
    const { media, ...fields } = item;
    expect(fields).toEqual({ id: byTitle, title: 'A walrus on the beach', description: null, alt_text: null, link: null });
    expect(media.media_type).toBe('image');
    expect(media.images['600x']?.url).toContain('/media/images/');
  });

  it('ranks a word in the title above the description, the description above the alt text, and all above the board name', async () => {
    const open = await board(bob, 'Ocelot corner');
    const inBoardName = await pin(bob, open, { title: 'Something else' });
    const inAltText = await pin(bob, open, { alt_text: 'an ocelot' });
    const inDescription = await pin(bob, open, { description: 'an ocelot' });
    const inTitle = await pin(bob, open, { title: 'Ocelot' });
    expect(await found(alice, 'ocelot')).toEqual([inTitle, inDescription, inAltText, inBoardName]);
  });

  it('matches word forms (stemming) and, when no word matches, words spelt nearly alike', async () => {
    const open = await board(bob, 'Weeknight meals');
    const baking = await pin(bob, open, { title: 'Baking sourdough bread' });
    const soup = await pin(bob, open, { title: 'Chicken noodle soup' });
    expect(await found(alice, 'baked breads')).toEqual([baking]);
    expect(await found(alice, 'chiken')).toEqual([soup]);
    expect(await found(alice, 'noodel soup')).toEqual([soup]);
    expect(await found(alice, 'qwxzv')).toEqual([]);
    // Nearly alike, not merely alike: "soap" does not find "soup".
    expect(await found(alice, 'soap')).toEqual([]);
  });

  it('ranks, at equal relevance, a picture more people saved publicly (secret saves not counted) above one saved less, and a fresher pin above an older one', async () => {
    const open = await board(bob, 'Tapir things');
    const saves = await board(alice, 'Alice tapir saves');
    const carol = await t.signUp('carol_tapir');
    const carolSaves = await board(carol, 'Carol saves');
    const secretSaves = [];
    for (const name of ['one', 'two', 'three']) secretSaves.push(await board(carol, `Carol secret saves ${name}`, 'SECRET'));
    const popular = await pin(bob, open, { title: 'Tapir', age: 10 });
    const lonely = await pin(bob, open, { title: 'Tapir', age: 10 });
    const popularImage = (await t.container.db.selectFrom('pins').select('image_id').where('id', '=', popular).executeTakeFirstOrThrow()).image_id;
    const lonelyImage = (await t.container.db.selectFrom('pins').select('image_id').where('id', '=', lonely).executeTakeFirstOrThrow()).image_id;
    // Two public saves of the popular picture (older, so freshness does not decide), three secret ones of the lonely one.
    const aliceSave = await pin(alice, saves, { title: 'Tapir', age: 20, image: popularImage, parent: popular });
    await pin(carol, carolSaves, { title: 'Tapir', age: 20, image: popularImage, parent: popular });
    for (const secret of secretSaves) await pin(carol, secret, { title: 'Tapir', age: 1, image: lonelyImage, parent: lonely });

    const ids = await found(alice, 'tapir');
    // One card per picture: the popular one's copies collapse into one result.
    expect(ids).toEqual([popular, lonely]);
    expect(ids).not.toContain(aliceSave);

    // Ten days fresher outranks the lonely picture; two more public saves still outrank ten days.
    const fresh = await pin(bob, open, { title: 'Tapir', age: 0 });
    expect(await found(alice, 'tapir')).toEqual([popular, fresh, lonely]);
  });

  it('pages with limit and bookmark, nothing repeated, bookmark null on the last page, the typo mode kept across pages', async () => {
    const open = await board(bob, 'Axolotl');
    const made = [];
    for (let i = 0; i < 5; i++) made.push(await pin(bob, open, { title: `Axolotl number ${i}`, age: i }));
    for (const term of ['axolotl', 'axolotel']) {
      const seen: string[] = [];
      let bookmark: string | null = null;
      let pages = 0;
      do {
        const reply = await search(alice, term, { limit: '2', ...(bookmark ? { bookmark } : {}) });
        expect(reply.statusCode, reply.body).toBe(200);
        const body = reply.json<List>();
        seen.push(...body.items.map((item) => item.id));
        bookmark = body.bookmark;
        pages += 1;
      } while (bookmark !== null && pages < 10);
      expect(seen, term).toEqual(made);
      expect(pages).toBe(3);
    }
  });

  it('refuses bad input with a clear 400 and a stable code', async () => {
    const cases: Array<[Record<string, string>, number, RegExp]> = [
      [{ term: '   ', country_code: 'US' }, 4161, /at least one word/],
      [{ country_code: 'US' }, 1, /term/],
      [{ term: 'walrus' }, 1, /country_code/],
      [{ term: 'walrus', country_code: 'USA' }, 1, /country_code/],
      [{ term: 'walrus', country_code: 'US', limit: '51' }, 1, /limit/],
      [{ term: 'walrus', country_code: 'US', limit: '0' }, 1, /limit/],
      [{ term: 'walrus', country_code: 'US', bookmark: 'nope' }, 4001, /bookmark/i],
      [{ term: 'x'.repeat(501), country_code: 'US' }, 1, /term/],
    ];
    for (const [params, code, message] of cases) {
      const reply = await t.request({ method: 'GET', url: `/v5/search/partner/pins?${new URLSearchParams(params).toString()}`, as: alice });
      expect(reply.statusCode, JSON.stringify(params)).toBe(400);
      const body = reply.json<{ code: number; message: string }>();
      expect(body.code, JSON.stringify(params)).toBe(code);
      expect(body.message, JSON.stringify(params)).toMatch(message);
    }
    // A bookmark of another list (GET /v5/search/pins has two keys, this one three).
    const own = await t.request({ method: 'GET', url: '/v5/search/pins?query=walrus&page_size=1', as: bob });
    const foreign = own.json<{ bookmark: string | null }>().bookmark;
    if (foreign) expect((await search(alice, 'walrus', { bookmark: foreign })).json()).toMatchObject({ code: 4001 });
    expect((await t.request({ method: 'GET', url: '/v5/search/partner/pins?term=walrus&country_code=US' })).statusCode).toBe(401);
  });

  it('finds a new pin, an edited title and a board made PUBLIC at once, and stops finding a pin the moment its board turns SECRET or PROTECTED', async () => {
    const boardId = (await createBoard(t, bob, { name: 'Capybara place' })).id;
    const made = await createPin(t, bob, boardId, { title: 'Capybara in a hot spring' });
    expect(await found(alice, 'capybara')).toEqual([made.id]);

    const edited = await t.request({ method: 'PATCH', url: `/v5/pins/${made.id}`, payload: { title: 'Quokka smiling' }, as: bob });
    expect(edited.statusCode, edited.body).toBe(200);
    expect(await found(alice, 'quokka')).toEqual([made.id]);
    const [hit] = (await search(alice, 'quokka')).json<List>().items;
    expect(hit?.title).toBe('Quokka smiling');

    for (const privacy of ['SECRET', 'PROTECTED', 'PUBLIC'] as const) {
      const turned = await t.request({ method: 'PATCH', url: `/v5/boards/${boardId}`, payload: { privacy }, as: bob });
      expect(turned.statusCode, turned.body).toBe(200);
      // No wait: the very next request answers as the board now is.
      const expected = privacy === 'PUBLIC' ? [made.id] : [];
      expect(await found(alice, 'quokka'), privacy).toEqual(expected);
      expect(await found(bob, 'quokka'), `${privacy}, its owner`).toEqual(expected);
    }

    const deleted = await t.request({ method: 'DELETE', url: `/v5/pins/${made.id}`, as: bob });
    expect(deleted.statusCode).toBe(204);
    expect(await found(alice, 'quokka')).toEqual([]);
  });

  it('GraphQL `search` answers the same pins in the same pages as REST, and counts as a search', async () => {
    const open = await board(bob, 'Pangolin');
    for (let i = 0; i < 3; i++) await pin(bob, open, { title: `Pangolin ${i}`, age: i });
    const rest1 = (await search(alice, 'pangolin', { limit: '2' })).json<List>();
    const query = 'query S($term: String!, $first: Int, $after: String) { search(term: $term, first: $first, after: $after) { edges { node { entityId title } } pageInfo { hasNextPage endCursor } } }';
    type SearchData = { search: { edges: Array<{ node: { entityId: string; title: string } }>; pageInfo: { hasNextPage: boolean; endCursor: string | null } } };
    const page1 = await gql<SearchData>(t, alice, query, { term: 'pangolin', first: 2 });
    expect(page1.errors).toEqual([]);
    expect(page1.data!.search.edges.map((edge) => edge.node.entityId)).toEqual(rest1.items.map((item) => item.id));
    expect(page1.data!.search.pageInfo.endCursor).toBe(rest1.bookmark);
    const rest2 = (await search(alice, 'pangolin', { limit: '2', bookmark: rest1.bookmark! })).json<List>();
    const page2 = await gql<SearchData>(t, alice, query, { term: 'pangolin', first: 2, after: page1.data!.search.pageInfo.endCursor });
    expect(page2.data!.search.edges.map((edge) => edge.node.entityId)).toEqual(rest2.items.map((item) => item.id));
    expect(page2.data!.search.pageInfo.hasNextPage).toBe(false);

    const tooMany = await gql(t, alice, '{ a: search(term: "x") { edges { cursor } } b: search(term: "y") { edges { cursor } } c: searchPins(query: "z") { edges { cursor } } d: search(term: "w") { edges { cursor } } }');
    expect(tooMany.errors.map((error) => error.extensions.code)).toEqual(['QUERY_TOO_EXPENSIVE']);
    const blank = await gql(t, alice, '{ search(term: " ") { edges { cursor } } }');
    expect(blank.errors.map((error) => error.extensions.code)).toEqual(['SEARCH_QUERY_EMPTY']);
    const big = await gql(t, alice, '{ search(term: "x", first: 51) { edges { cursor } } }');
    expect(big.errors.map((error) => error.extensions.code)).toEqual(['INVALID_PARAMETERS']);
  });
});
