// Every REST read and write has a GraphQL twin that answers the same: the same items (ids, fields,
// order), the same page boundaries (pageInfo.endCursor is the REST bookmark of the same page), and
// the same not-found and forbidden outcomes (extensions.v5Code is REST's `code`).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp, type TestUser } from '../support/test-app.js';
import { addCollaborator, base64Source, makeBoard, makeSection, pngImage, createPin } from '../../src/pins/pin-test-support.js';
import { insertPin } from '../../src/boards/board-test-support.js';
import { gql } from '../../src/graphql/graphql-test-support.js';
import { toGlobalId } from '../../src/graphql/relay.js';
import {
  BOARD_FIELDS,
  COLLABORATOR_FIELDS,
  PIN_FIELDS,
  SECTION_FIELDS,
  USER_FIELDS,
  at,
  boardToV5,
  collaboratorToV5,
  expectSameError,
  pinToV5,
  sectionToV5,
  userSummaryToV5,
  userToV5,
} from './graphql-v5.js';

type Json = Record<string, unknown>;
interface Page {
  items: Json[];
  bookmark: string | null;
}

describe('REST and GraphQL answer the same', () => {
  let t: TestApp;
  let alice: TestUser;
  let bob: TestUser;
  let carol: TestUser;
  let travel: string;
  let plans: string;
  let family: string;
  let bobsBoard: string;
  let beaches: string;
  let hotels: string;
  let secretPin: string;
  let samplePin: string;

  async function rest(method: 'GET' | 'POST' | 'PATCH' | 'DELETE', url: string, as: TestUser, payload?: Json) {
    return t.request({ method, url, as, ...(payload ? { payload } : {}) });
  }

  /** Every page of a REST list, walking its bookmarks. */
  async function restPages(as: TestUser, url: string, pageSize: number): Promise<Page[]> {
    const pages: Page[] = [];
    let bookmark: string | null = null;
    do {
      const separator = url.includes('?') ? '&' : '?';
      const res = await rest('GET', `${url}${separator}page_size=${pageSize}${bookmark ? `&bookmark=${encodeURIComponent(bookmark)}` : ''}`, as);
      expect(res.statusCode, res.body).toBe(200);
      const page = res.json<Page>();
      pages.push(page);
      bookmark = page.bookmark;
    } while (bookmark !== null && pages.length < 100);
    return pages;
  }

  /** Every page of a GraphQL connection at `path`, walking endCursor; `query` takes $first and $after. */
  async function graphqlPages(
    as: TestUser,
    query: string,
    path: string,
    convert: (node: Json) => Json,
    first: number,
    variables: Json = {},
  ): Promise<Page[]> {
    const pages: Page[] = [];
    let after: string | null = null;
    do {
      const response = await gql(t, as, query, { ...variables, first, after });
      expect(response.errors, JSON.stringify(response.errors)).toEqual([]);
      const connection = at(response.data, path) as {
        edges: Array<{ cursor: string | null; node: Json }>;
        pageInfo: { hasNextPage: boolean; endCursor: string | null };
      };
      const { endCursor, hasNextPage } = connection.pageInfo;
      expect(hasNextPage).toBe(endCursor !== null);
      const lastCursor = connection.edges.at(-1)?.cursor;
      if (endCursor !== null) expect(lastCursor).toBe(endCursor);
      pages.push({ items: connection.edges.map((edge) => convert(edge.node)), bookmark: endCursor });
      after = endCursor;
    } while (after !== null && pages.length < 100);
    return pages;
  }

  async function expectSameList(
    as: TestUser,
    restUrl: string,
    query: string,
    path: string,
    convert: (node: Json) => Json,
    pageSize: number,
    options: { variables?: Json; minPages?: number } = {},
  ): Promise<void> {
    const restList = await restPages(as, restUrl, pageSize);
    const graphqlList = await graphqlPages(as, query, path, convert, pageSize, options.variables);
    expect(graphqlList).toEqual(restList);
    expect(restList.length).toBeGreaterThanOrEqual(options.minPages ?? 2);
  }

  beforeAll(async () => {
    t = await createTestApp();
    alice = await t.signUp('alice');
    bob = await t.signUp('bob');
    carol = await t.signUp('carol');
    travel = await makeBoard(t, alice, 'Travel');
    plans = await makeBoard(t, alice, 'Plans', 'SECRET');
    family = await makeBoard(t, alice, 'Family', 'PROTECTED');
    bobsBoard = await makeBoard(t, bob, 'Bob things');
    await makeBoard(t, alice, 'Recipes');
    beaches = await makeSection(t, alice, travel, 'Beaches');
    hotels = await makeSection(t, alice, travel, 'Hotels');
    await makeSection(t, alice, travel, 'Food');
    await addCollaborator(t, alice, travel, bob, 'editor');
    await addCollaborator(t, alice, travel, carol, 'viewer');
    await addCollaborator(t, alice, family, carol, 'viewer');

    samplePin = (await createPin(t, alice, travel, { title: 'Sunset over the beach', board_section_id: beaches, link: 'https://example.com/a' })).id;
    for (let index = 0; index < 22; index++) {
      const { pinId } = await insertPin(t, index % 3 === 0 ? bob : alice, travel);
      const section = index % 4 === 0 ? beaches : index % 4 === 1 ? hotels : null;
      await t.container.db
        .updateTable('pins')
        .set({ title: index % 2 === 0 ? `Sunset number ${index}` : `Harbour ${index}`, board_section_id: section })
        .where('id', '=', pinId)
        .execute();
    }
    secretPin = (await createPin(t, alice, plans, { title: 'Secret sunset' })).id;
    await createPin(t, alice, family, { title: 'Family sunset' });
    await createPin(t, bob, bobsBoard, { title: 'Bob sunset' });
    await createPin(t, alice, travel, { parent_pin_id: samplePin, board_section_id: hotels });

    for (const [follower, followee] of [
      [alice, bob],
      [alice, carol],
      [bob, alice],
      [carol, alice],
    ] as const) {
      expect((await rest('POST', `/v5/user_account/following/${followee.username}`, follower, {})).statusCode).toBe(200);
    }
    expect((await rest('POST', `/v5/boards/${bobsBoard}/follow`, alice)).statusCode).toBe(200);
    const carolsBoard = await makeBoard(t, carol, 'Carol things');
    expect((await rest('POST', `/v5/boards/${carolsBoard}/follow`, alice)).statusCode).toBe(200);
  });

  afterAll(async () => {
    await t.close();
  });

  describe('reads', () => {
    it('viewer.user is GET /v5/user_account; user(username) is GET /v5/users/{username}', async () => {
      const own = await gql(t, alice, `{ viewer { user { ${USER_FIELDS} } } }`);
      expect(userToV5(at(own.data, 'viewer.user') as Json)).toEqual((await rest('GET', '/v5/user_account', alice)).json());

      const other = await gql(t, alice, `{ user(username: "bob") { ${USER_FIELDS} } }`);
      expect(userToV5(at(other.data, 'user') as Json)).toEqual((await rest('GET', '/v5/users/bob', alice)).json());

      expectSameError(await rest('GET', '/v5/users/nobody', alice), await gql(t, alice, '{ user(username: "nobody") { id } }'), 'user');
    });

    it("viewer.boards is GET /v5/boards, page for page, with the privacy filter", async () => {
      const query = `query($first: Int, $after: String, $privacy: BoardPrivacyFilter) {
        viewer { boards(first: $first, after: $after, privacy: $privacy) { edges { cursor node { ${BOARD_FIELDS} } } pageInfo { hasNextPage endCursor } } } }`;
      await expectSameList(alice, '/v5/boards', query, 'viewer.boards', boardToV5, 2);
      await expectSameList(carol, '/v5/boards', query, 'viewer.boards', boardToV5, 1);
      await expectSameList(alice, '/v5/boards?privacy=PUBLIC_AND_SECRET', query, 'viewer.boards', boardToV5, 1, {
        variables: { privacy: 'PUBLIC_AND_SECRET' },
      });
    });

    it('board(id) and node(id) are GET /v5/boards/{board_id}, including not found', async () => {
      const expected = (await rest('GET', `/v5/boards/${travel}`, alice)).json<Json>();
      const byId = await gql(t, alice, `{ board(id: "${travel}") { ${BOARD_FIELDS} } }`);
      expect(boardToV5(at(byId.data, 'board') as Json)).toEqual(expected);
      const byNode = await gql(t, alice, `{ node(id: "${toGlobalId('Board', travel)}") { ... on Board { ${BOARD_FIELDS} } } }`);
      expect(boardToV5(at(byNode.data, 'node') as Json)).toEqual(expected);
      const byGlobalId = await gql(t, alice, `{ board(id: "${toGlobalId('Board', travel)}") { entityId } }`);
      expect(at(byGlobalId.data, 'board.entityId')).toBe(travel);

      expectSameError(await rest('GET', `/v5/boards/${plans}`, bob), await gql(t, bob, `{ board(id: "${plans}") { id } }`), 'board');
      expectSameError(await rest('GET', '/v5/boards/12x', bob), await gql(t, bob, '{ board(id: "12x") { id } }'), 'board');
      expectSameError(await rest('GET', '/v5/boards/999999', bob), await gql(t, bob, '{ board(id: "999999") { id } }'), 'board');
    });

    it("a board's sections and collaborators are its REST lists", async () => {
      const sections = `query($id: ID!, $first: Int, $after: String) { board(id: $id) {
        sections(first: $first, after: $after) { edges { cursor node { ${SECTION_FIELDS} } } pageInfo { hasNextPage endCursor } } } }`;
      await expectSameList(bob, `/v5/boards/${travel}/sections`, sections, 'board.sections', sectionToV5, 1, { variables: { id: travel } });
      const collaborators = `query($id: ID!, $first: Int, $after: String) { board(id: $id) {
        collaborators(first: $first, after: $after) { edges { cursor node { ${COLLABORATOR_FIELDS} } } pageInfo { hasNextPage endCursor } } } }`;
      await expectSameList(carol, `/v5/boards/${travel}/collaborators`, collaborators, 'board.collaborators', collaboratorToV5, 1, {
        variables: { id: travel },
      });
    });

    it("a board's pins and a section's pins are GET .../pins, page for page", async () => {
      const boardPins = `query($id: ID!, $first: Int, $after: String) { board(id: $id) {
        pins(first: $first, after: $after) { edges { cursor node { ${PIN_FIELDS} } } pageInfo { hasNextPage endCursor } } } }`;
      await expectSameList(alice, `/v5/boards/${travel}/pins`, boardPins, 'board.pins', pinToV5, 7, { variables: { id: travel } });
      await expectSameList(bob, `/v5/boards/${travel}/pins`, boardPins, 'board.pins', pinToV5, 10, { variables: { id: travel } });
      await expectSameList(alice, `/v5/boards/${travel}/pins`, boardPins, 'board.pins', pinToV5, 25, { variables: { id: travel }, minPages: 1 });

      const sectionPins = `query($id: ID!, $first: Int, $after: String) { node(id: $id) { ... on BoardSection {
        pins(first: $first, after: $after) { edges { cursor node { ${PIN_FIELDS} } } pageInfo { hasNextPage endCursor } } } } }`;
      await expectSameList(carol, `/v5/boards/${travel}/sections/${beaches}/pins`, sectionPins, 'node.pins', pinToV5, 2, {
        variables: { id: toGlobalId('BoardSection', beaches) },
      });
    });

    it('pin(id) is GET /v5/pins/{pin_id}, and viewer.pins is GET /v5/pins', async () => {
      for (const as of [alice, bob]) {
        const pin = await gql(t, as, `{ pin(id: "${samplePin}") { ${PIN_FIELDS} } }`);
        expect(pinToV5(at(pin.data, 'pin') as Json)).toEqual((await rest('GET', `/v5/pins/${samplePin}`, as)).json());
      }
      expectSameError(await rest('GET', `/v5/pins/${secretPin}`, bob), await gql(t, bob, `{ pin(id: "${secretPin}") { id } }`), 'pin');
      expectSameError(await rest('GET', '/v5/pins/abc', bob), await gql(t, bob, '{ pin(id: "abc") { id } }'), 'pin');

      const own = `query($first: Int, $after: String, $protected: Boolean, $filter: PinFilter) { viewer {
        pins(first: $first, after: $after, includeProtectedPins: $protected, pinFilter: $filter) {
          edges { cursor node { ${PIN_FIELDS} } } pageInfo { hasNextPage endCursor } } } }`;
      await expectSameList(alice, '/v5/pins', own, 'viewer.pins', pinToV5, 4);
      await expectSameList(alice, '/v5/pins?include_protected_pins=true', own, 'viewer.pins', pinToV5, 5, { variables: { protected: true } });
      await expectSameList(alice, '/v5/pins?pin_filter=exclude_repins', own, 'viewer.pins', pinToV5, 6, {
        variables: { filter: 'exclude_repins' },
      });
    });

    it('followers, following and followed boards are the /v5/user_account lists', async () => {
      const people = (field: string) => `query($first: Int, $after: String) { viewer {
        ${field}(first: $first, after: $after) { edges { cursor node { entityId username } } pageInfo { hasNextPage endCursor } } } }`;
      await expectSameList(alice, '/v5/user_account/followers', people('followers'), 'viewer.followers', userSummaryToV5, 1);
      await expectSameList(alice, '/v5/user_account/following', people('following'), 'viewer.following', userSummaryToV5, 1);
      const boards = `query($first: Int, $after: String) { viewer {
        followedBoards(first: $first, after: $after) { edges { cursor node { ${BOARD_FIELDS} } } pageInfo { hasNextPage endCursor } } } }`;
      await expectSameList(alice, '/v5/user_account/following/boards', boards, 'viewer.followedBoards', boardToV5, 1);
    });

    it('searchPins and searchBoards are GET /v5/search/pins and /v5/search/boards', async () => {
      const pins = `query($first: Int, $after: String, $q: String!) {
        searchPins(query: $q, first: $first, after: $after) { edges { cursor node { ${PIN_FIELDS} } } pageInfo { hasNextPage endCursor } } }`;
      await expectSameList(alice, '/v5/search/pins?query=sunset', pins, 'searchPins', pinToV5, 3, { variables: { q: 'sunset' } });
      await expectSameList(bob, '/v5/search/pins?query=sunset', pins, 'searchPins', pinToV5, 2, { variables: { q: 'sunset' } });
      const boards = `query($first: Int, $after: String, $q: String) {
        searchBoards(query: $q, first: $first, after: $after) { edges { cursor node { ${BOARD_FIELDS} } } pageInfo { hasNextPage endCursor } } }`;
      await expectSameList(alice, '/v5/search/boards', boards, 'searchBoards', boardToV5, 2);
      const empty = await gql(t, alice, '{ searchPins(query: "   ") { edges { cursor } } }');
      expectSameError(await rest('GET', '/v5/search/pins?query=%20%20', alice), empty, 'searchPins');
    });

    it('a forged cursor is INVALID_BOOKMARK in both', async () => {
      expectSameError(
        await rest('GET', `/v5/boards/${travel}/pins?bookmark=nonsense`, alice),
        await gql(t, alice, `{ board(id: "${travel}") { pins(after: "nonsense") { edges { cursor } } } }`),
        'board.pins',
      );
    });
  });

  describe('writes', () => {
    it('createBoard, updateBoard and deleteBoard are POST, PATCH and DELETE /v5/boards', async () => {
      const created = await gql(t, alice, `mutation { createBoard(input: {name: "Garden", description: "Plants", privacy: SECRET}) { ${BOARD_FIELDS} } }`);
      const board = boardToV5(at(created.data, 'createBoard') as Json);
      const id = board.id as string;
      expect(board).toEqual((await rest('GET', `/v5/boards/${id}`, alice)).json());
      expect(board).toMatchObject({ name: 'Garden', description: 'Plants', privacy: 'SECRET' });

      expectSameError(
        await rest('POST', '/v5/boards', alice, { name: 'Garden' }),
        await gql(t, alice, 'mutation { createBoard(input: {name: "Garden"}) { id } }'),
        'createBoard',
      );
      expectSameError(
        await rest('POST', '/v5/boards', alice, { name: 'x'.repeat(181) }),
        await gql(t, alice, `mutation { createBoard(input: {name: "${'x'.repeat(181)}"}) { id } }`),
        'createBoard',
      );

      const updated = await gql(t, alice, `mutation { updateBoard(id: "${id}", input: {name: "Garden ideas", description: null}) { ${BOARD_FIELDS} } }`);
      expect(boardToV5(at(updated.data, 'updateBoard') as Json)).toEqual((await rest('GET', `/v5/boards/${id}`, alice)).json());
      expect(at(updated.data, 'updateBoard.description')).toBeNull();

      expectSameError(
        await rest('PATCH', `/v5/boards/${travel}`, bob, { name: 'Mine now' }),
        await gql(t, bob, `mutation { updateBoard(id: "${travel}", input: {name: "Mine now"}) { id } }`),
        'updateBoard',
      );
      expectSameError(
        await rest('DELETE', `/v5/boards/${id}`, bob),
        await gql(t, bob, `mutation { deleteBoard(id: "${id}") }`),
        'deleteBoard',
      );

      const deleted = await gql(t, alice, `mutation { deleteBoard(id: "${toGlobalId('Board', id)}") }`);
      expect(deleted.data).toEqual({ deleteBoard: toGlobalId('Board', id) });
      expect((await rest('GET', `/v5/boards/${id}`, alice)).statusCode).toBe(404);
    });

    it('the section mutations are the /v5/boards/{board_id}/sections writes', async () => {
      const created = await gql(t, alice, `mutation { createBoardSection(boardId: "${family}", name: "Cousins") { ${SECTION_FIELDS} } }`);
      const section = sectionToV5(at(created.data, 'createBoardSection') as Json);
      const listed = () => rest('GET', `/v5/boards/${family}/sections`, alice).then((res) => res.json<Page>().items);
      expect(await listed()).toEqual([section]);

      expectSameError(
        await rest('POST', `/v5/boards/${family}/sections`, alice, { name: 'Cousins' }),
        await gql(t, alice, `mutation { createBoardSection(boardId: "${family}", name: "Cousins") { id } }`),
        'createBoardSection',
      );
      expectSameError(
        await rest('POST', `/v5/boards/${family}/sections`, bob, { name: 'Intruders' }),
        await gql(t, bob, `mutation { createBoardSection(boardId: "${family}", name: "Intruders") { id } }`),
        'createBoardSection',
      );

      const renamed = await gql(t, alice, `mutation { updateBoardSection(boardId: "${family}", sectionId: "${String(section.id)}", name: "Aunts") { ${SECTION_FIELDS} } }`);
      expect([sectionToV5(at(renamed.data, 'updateBoardSection') as Json)]).toEqual(await listed());
      expectSameError(
        await rest('PATCH', `/v5/boards/${family}/sections/${beaches}`, alice, { name: 'Moved' }),
        await gql(t, alice, `mutation { updateBoardSection(boardId: "${family}", sectionId: "${beaches}", name: "Moved") { id } }`),
        'updateBoardSection',
      );

      const deleted = await gql(t, alice, `mutation { deleteBoardSection(boardId: "${family}", sectionId: "${String(section.id)}") }`);
      expect(deleted.errors).toEqual([]);
      expect(await listed()).toEqual([]);
    });

    it('the collaborator mutations are the /v5/boards/{board_id}/collaborators writes', async () => {
      const listed = () => rest('GET', `/v5/boards/${bobsBoard}/collaborators`, bob).then((res) => res.json<Page>().items);
      const added = await gql(t, bob, `mutation { addCollaborator(boardId: "${bobsBoard}", username: "carol", role: viewer) { ${COLLABORATOR_FIELDS} } }`);
      expect([collaboratorToV5(at(added.data, 'addCollaborator') as Json)]).toEqual(await listed());

      const changed = await gql(t, bob, `mutation { updateCollaborator(boardId: "${bobsBoard}", username: "carol", role: editor) { ${COLLABORATOR_FIELDS} } }`);
      expect([collaboratorToV5(at(changed.data, 'updateCollaborator') as Json)]).toEqual(await listed());
      expect(at(changed.data, 'updateCollaborator.role')).toBe('editor');

      expectSameError(
        await rest('POST', `/v5/boards/${bobsBoard}/collaborators`, bob, { username: 'bob', role: 'viewer' }),
        await gql(t, bob, `mutation { addCollaborator(boardId: "${bobsBoard}", username: "bob", role: viewer) { role } }`),
        'addCollaborator',
      );
      expectSameError(
        await rest('PATCH', `/v5/boards/${bobsBoard}/collaborators/alice`, bob, { role: 'viewer' }),
        await gql(t, bob, `mutation { updateCollaborator(boardId: "${bobsBoard}", username: "alice", role: viewer) { role } }`),
        'updateCollaborator',
      );
      expectSameError(
        await rest('POST', `/v5/boards/${bobsBoard}/collaborators`, carol, { username: 'alice', role: 'viewer' }),
        await gql(t, carol, `mutation { addCollaborator(boardId: "${bobsBoard}", username: "alice", role: viewer) { role } }`),
        'addCollaborator',
      );

      const removed = await gql(t, carol, `mutation { removeCollaborator(boardId: "${bobsBoard}", username: "carol") }`);
      expect(removed.data).toEqual({ removeCollaborator: true });
      expect(await listed()).toEqual([]);
    });

    it('followBoard and unfollowBoard are POST and DELETE /v5/boards/{board_id}/follow', async () => {
      const followed = await gql(t, carol, `mutation { followBoard(id: "${travel}") { ${BOARD_FIELDS} } }`);
      const board = boardToV5(at(followed.data, 'followBoard') as Json);
      expect(board).toEqual((await rest('GET', `/v5/boards/${travel}`, carol)).json());
      expect(board.follower_count).toBe(1);
      expectSameError(
        await rest('POST', `/v5/boards/${travel}/follow`, alice),
        await gql(t, alice, `mutation { followBoard(id: "${travel}") { id } }`),
        'followBoard',
      );
      expectSameError(
        await rest('POST', `/v5/boards/${plans}/follow`, carol),
        await gql(t, carol, `mutation { followBoard(id: "${plans}") { id } }`),
        'followBoard',
      );
      expect((await gql(t, carol, `mutation { unfollowBoard(id: "${travel}") }`)).data).toEqual({ unfollowBoard: true });
      expect((await rest('GET', `/v5/boards/${travel}`, carol)).json<Json>().follower_count).toBe(0);
    });

    it('followUser and unfollowUser are POST and DELETE /v5/user_account/following/{username}', async () => {
      const followed = await gql(t, bob, 'mutation { followUser(username: "carol") { entityId username } }');
      expect(userSummaryToV5(at(followed.data, 'followUser') as Json)).toEqual(
        (await rest('POST', '/v5/user_account/following/carol', bob, {})).json(),
      );
      expect((await rest('GET', '/v5/users/carol', bob)).json<Json>().follower_count).toBe(2);
      expectSameError(
        await rest('POST', '/v5/user_account/following/bob', bob, {}),
        await gql(t, bob, 'mutation { followUser(username: "bob") { id } }'),
        'followUser',
      );
      expectSameError(
        await rest('DELETE', '/v5/user_account/following/nobody', bob),
        await gql(t, bob, 'mutation { unfollowUser(username: "nobody") }'),
        'unfollowUser',
      );
      expect((await gql(t, bob, 'mutation { unfollowUser(username: "carol") }')).data).toEqual({ unfollowUser: true });
      expect((await rest('GET', '/v5/users/carol', bob)).json<Json>().follower_count).toBe(1);
    });

    it('createPin, updatePin, savePin and deletePin are the /v5/pins writes', async () => {
      const data = (await pngImage(40, 30)).toString('base64');
      const created = await gql(
        t,
        bob,
        `mutation($data: String!) { createPin(input: {boardId: "${bobsBoard}", title: "Kite", link: "https://example.com/kite",
          mediaSource: {sourceType: "image_base64", contentType: "image/png", data: $data}}) { ${PIN_FIELDS} } }`,
        { data },
      );
      expect(created.errors).toEqual([]);
      const pin = pinToV5(at(created.data, 'createPin') as Json);
      const id = pin.id as string;
      expect(pin).toEqual((await rest('GET', `/v5/pins/${id}`, bob)).json());
      expect(pin).toMatchObject({ title: 'Kite', link: 'https://example.com/kite', board_id: bobsBoard });

      expectSameError(
        await rest('POST', '/v5/pins', bob, { board_id: plans, media_source: base64Source(await pngImage(8, 8)) }),
        await gql(t, bob, `mutation($data: String!) { createPin(input: {boardId: "${plans}",
          mediaSource: {sourceType: "image_base64", contentType: "image/png", data: $data}}) { id } }`, { data }),
        'createPin',
      );
      expectSameError(
        await rest('POST', '/v5/pins', bob, { board_id: bobsBoard, media_source: { source_type: 'video_id' } }),
        await gql(t, bob, `mutation { createPin(input: {boardId: "${bobsBoard}", mediaSource: {sourceType: "video_id"}}) { id } }`),
        'createPin',
      );

      const updated = await gql(t, bob, `mutation { updatePin(id: "${toGlobalId('Pin', id)}", input: {title: "Red kite", altText: "A kite"}) { ${PIN_FIELDS} } }`);
      expect(pinToV5(at(updated.data, 'updatePin') as Json)).toEqual((await rest('GET', `/v5/pins/${id}`, bob)).json());
      expectSameError(
        await rest('PATCH', `/v5/pins/${id}`, carol, { title: 'Mine' }),
        await gql(t, carol, `mutation { updatePin(id: "${id}", input: {title: "Mine"}) { id } }`),
        'updatePin',
      );

      const saved = await gql(t, alice, `mutation { savePin(id: "${id}", input: {boardId: "${travel}", boardSectionId: "${hotels}"}) { ${PIN_FIELDS} } }`);
      const save = pinToV5(at(saved.data, 'savePin') as Json);
      expect(save).toEqual((await rest('GET', `/v5/pins/${String(save.id)}`, alice)).json());
      expect(save).toMatchObject({ parent_pin_id: id, board_id: travel, board_section_id: hotels, title: 'Red kite' });
      expect((await gql(t, alice, `{ pin(id: "${String(save.id)}") { parentPin { entityId } pinner { username } section { entityId } } }`)).data).toEqual({
        pin: { parentPin: { entityId: id }, pinner: { username: 'alice' }, section: { entityId: hotels } },
      });

      expectSameError(
        await rest('DELETE', `/v5/pins/${id}`, alice),
        await gql(t, alice, `mutation { deletePin(id: "${id}") }`),
        'deletePin',
      );
      const deleted = await gql(t, bob, `mutation { deletePin(id: "${id}") }`);
      expect(deleted.data).toEqual({ deletePin: toGlobalId('Pin', id) });
      expect((await rest('GET', `/v5/pins/${id}`, bob)).statusCode).toBe(404);
    });

    it('a write without the scope its REST twin needs is MISSING_SCOPE in both', async () => {
      const reader = await t.signUp('reader', 'boards:read,pins:read');
      expectSameError(
        await rest('POST', '/v5/boards', reader, { name: 'Nope' }),
        await gql(t, reader, 'mutation { createBoard(input: {name: "Nope"}) { id } }'),
        'createBoard',
      );
    });
  });
});
