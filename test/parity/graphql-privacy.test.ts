// The privacy matrix through GraphQL: owner, collaborator, a token without the *:read_secret scopes,
// and everyone else, against PUBLIC, PROTECTED and SECRET boards, for the board, its pins, its
// sections' pins, node(id) and search. What REST answers 404 for is null here with the same
// catalogue code, and what REST shows is shown.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp, type TestUser } from '../support/test-app.js';
import { addCollaborator, makeBoard, makeSection, createPin } from '../../src/pins/pin-test-support.js';
import type { BoardPrivacy } from '../../src/platform/db/schema.js';
import { codes, gql, type GraphqlResponse } from '../../src/graphql/graphql-test-support.js';
import { toGlobalId } from '../../src/graphql/relay.js';
import { expectSameError } from './graphql-v5.js';

const PRIVACIES: BoardPrivacy[] = ['PUBLIC', 'PROTECTED', 'SECRET'];
type Who = 'owner' | 'collaborator' | 'owner without read_secret' | 'former collaborator' | 'other';
const WHO: Who[] = ['owner', 'collaborator', 'owner without read_secret', 'former collaborator', 'other'];

/**
 * The data of an answer that must have succeeded: an `errors` entry fails the test instead of reading
 * as an empty list (a hidden failure would look like nothing to show).
 */
function dataOf<D>(response: GraphqlResponse<D>): D {
  expect(response.errors, JSON.stringify(response.errors)).toEqual([]);
  expect(response.data).toBeTruthy();
  return response.data!;
}

/** The access policy, as a person would state it. */
function mayRead(who: Who, privacy: BoardPrivacy): boolean {
  if (privacy === 'PUBLIC') return true;
  if (who === 'owner' || who === 'collaborator') return true;
  return who === 'owner without read_secret' && privacy === 'PROTECTED';
}

interface Place {
  board: string;
  section: string;
  pin: string;
  /** A pin the (former) collaborator made there. */
  theirPin: string;
}

describe('privacy through GraphQL', () => {
  let t: TestApp;
  const users = {} as Record<Who, TestUser>;
  const places = {} as Record<BoardPrivacy, Place>;

  beforeAll(async () => {
    t = await createTestApp();
    const owner = await t.signUp('owner');
    users.owner = owner;
    users.collaborator = await t.signUp('collab');
    users['former collaborator'] = await t.signUp('former');
    users.other = await t.signUp('other');
    // The same account as `owner`, through a token without boards:read_secret / pins:read_secret.
    const limited = await t.request({
      method: 'POST',
      url: '/v5/oauth/token',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      payload: new URLSearchParams({
        grant_type: 'password',
        username: 'owner',
        password: 'pw-owner-secret',
        scope: 'boards:read,pins:read,user_accounts:read',
      }).toString(),
    });
    users['owner without read_secret'] = { ...owner, token: limited.json<{ access_token: string }>().access_token };

    for (const privacy of PRIVACIES) {
      const board = await makeBoard(t, owner, `Board ${privacy}`, privacy);
      const section = await makeSection(t, owner, board, 'Section');
      await addCollaborator(t, owner, board, users.collaborator, 'editor');
      await addCollaborator(t, owner, board, users['former collaborator'], 'editor');
      const pin = (await createPin(t, owner, board, { title: `privacy ${privacy}`, board_section_id: section })).id;
      const theirPin = (await createPin(t, users['former collaborator'], board, { title: `privacy former ${privacy}` })).id;
      await createPin(t, users.collaborator, board, { title: `privacy collab ${privacy}` });
      const removed = await gql(t, owner, `mutation { removeCollaborator(boardId: "${board}", username: "former") }`);
      expect(removed.data).toEqual({ removeCollaborator: true });
      places[privacy] = { board, section, pin, theirPin };
    }
  });

  afterAll(async () => {
    await t.close();
  });

  for (const who of WHO) {
    for (const privacy of PRIVACIES) {
      const visible = mayRead(who, privacy);
      it(`${who} x ${privacy}: ${visible ? 'sees' : 'gets null + NOT_FOUND for'} the board, its pins, its sections' pins`, async () => {
        const user = users[who];
        const place = places[privacy];
        const rest = (url: string) => t.request({ method: 'GET', url, as: user });

        const board = await gql(t, user, `{ board(id: "${place.board}") {
          entityId pins { edges { node { entityId } } }
          sections { edges { node { entityId pins { edges { node { entityId } } } } } } } }`);
        const node = await gql(t, user, `{ node(id: "${toGlobalId('Board', place.board)}") { ... on Board { entityId } } }`);
        const pin = await gql(t, user, `{ pin(id: "${place.pin}") { entityId board { entityId } section { entityId } } }`);
        const pinNode = await gql(t, user, `{ node(id: "${toGlobalId('Pin', place.pin)}") { id } }`);
        const section = await gql(t, user, `{ node(id: "${toGlobalId('BoardSection', place.section)}") { ... on BoardSection { pins { edges { node { entityId } } } } } }`);

        if (visible) {
          for (const response of [board, node, pin, pinNode, section]) expect(response.errors, JSON.stringify(response.errors)).toEqual([]);
          expect(board.data).toMatchObject({ board: { entityId: place.board, sections: { edges: [{ node: { entityId: place.section } }] } } });
          const restPins = (await rest(`/v5/boards/${place.board}/pins`)).json<{ items: Array<{ id: string }> }>().items.map((item) => item.id);
          const boardPins = board.data as { board: { pins: { edges: Array<{ node: { entityId: string } }> } } };
          expect(boardPins.board.pins.edges.map((edge) => edge.node.entityId)).toEqual(restPins);
          expect(restPins).toContain(place.pin);
          expect(pin.data).toEqual({ pin: { entityId: place.pin, board: { entityId: place.board }, section: { entityId: place.section } } });
          expect(section.data).toMatchObject({ node: { pins: { edges: [{ node: { entityId: place.pin } }] } } });
        } else {
          expectSameError(await rest(`/v5/boards/${place.board}`), board, 'board');
          expect(codes(board)).toEqual(['BOARD_NOT_FOUND']);
          expect(codes(node)).toEqual(['BOARD_NOT_FOUND']);
          expect(node.data).toEqual({ node: null });
          expectSameError(await rest(`/v5/pins/${place.pin}`), pin, 'pin');
          expect(codes(pin)).toEqual(['PIN_NOT_FOUND']);
          expect(codes(pinNode)).toEqual(['PIN_NOT_FOUND']);
          expect(section.data).toEqual({ node: null });
          expect(codes(section)).toEqual(['SECTION_NOT_FOUND']);
          expect((await rest(`/v5/boards/${place.board}/sections/${place.section}/pins`)).statusCode).toBe(404);
          // Nothing about the board leaks through the error.
          expect(JSON.stringify([board.errors, pin.errors])).not.toContain(`Board ${privacy}`);
        }
      });
    }

    it(`${who}: search and the own-pins list show exactly the pins REST shows`, async () => {
      const user = users[who];
      const search = await gql<{ searchPins: { edges: Array<{ node: { entityId: string } }> } }>(
        t,
        user,
        '{ searchPins(query: "privacy", first: 50) { edges { node { entityId } } } }',
      );
      const found = dataOf(search).searchPins.edges.map((edge) => edge.node.entityId);
      const restFound = (await t.request({ method: 'GET', url: '/v5/search/pins?query=privacy&page_size=50', as: user }))
        .json<{ items: Array<{ id: string }> }>()
        .items.map((item) => item.id);
      expect(found).toEqual(restFound);
      if (who === 'former collaborator') {
        expect(found).toEqual([places.PUBLIC.theirPin]);
        const own = await gql<{ viewer: { pins: { edges: Array<{ node: { entityId: string } }> } } }>(
          t,
          user,
          '{ viewer { pins(includeProtectedPins: true) { edges { node { entityId } } } } }',
        );
        expect(dataOf(own).viewer.pins.edges.map((edge) => edge.node.entityId)).toEqual([places.PUBLIC.theirPin]);
      }
      if (who === 'owner') expect(found).toHaveLength(3);
      if (who === 'owner without read_secret') expect(found).toHaveLength(2);
      const boards = await gql<{ searchBoards: { edges: Array<{ node: { privacy: string } }> } }>(t, user, '{ searchBoards(query: "board") { edges { node { privacy } } } }');
      const privacies = dataOf(boards).searchBoards.edges.map((edge) => edge.node.privacy).sort();
      if (who === 'owner') expect(privacies).toEqual(['PROTECTED', 'PUBLIC', 'SECRET']);
      if (who === 'owner without read_secret') expect(privacies).toEqual(['PROTECTED', 'PUBLIC']);
      if (who === 'other' || who === 'former collaborator' || who === 'collaborator') expect(privacies).toEqual([]);
    });
  }

  it("a pin's board answers for the board's own scope: pins:read_secret alone does not show a SECRET board", async () => {
    const login = await t.request({
      method: 'POST',
      url: '/v5/oauth/token',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      payload: new URLSearchParams({
        grant_type: 'password',
        username: 'owner',
        password: 'pw-owner-secret',
        scope: 'boards:read,pins:read,pins:read_secret',
      }).toString(),
    });
    const token = login.json<{ access_token: string }>().access_token;
    const response = await gql(t, token, `{ pin(id: "${places.SECRET.pin}") { entityId board { name } } }`);
    expect(response.data).toEqual({ pin: { entityId: places.SECRET.pin, board: null } });
    expect(codes(response)).toEqual(['BOARD_NOT_FOUND']);
    expect((await t.request({ method: 'GET', url: `/v5/boards/${places.SECRET.board}`, as: token })).statusCode).toBe(404);
    expect((await t.request({ method: 'GET', url: `/v5/pins/${places.SECRET.pin}`, as: token })).statusCode).toBe(200);
  });
});
