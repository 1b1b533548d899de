// A person's boards and pins, as the person and as others see them, through REST
// (GET /v5/users/{username}/boards and /pins) and GraphQL (User.boards, User.pins): their own secret
// boards to themselves, shared ones to collaborators, public ones to everyone, the same pages either
// way; an unknown person is 404 USER_NOT_FOUND.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp, type TestUser } from '../../test/support/test-app.js';
import { addCollaborator, createPin, makeBoard } from '../pins/pin-test-support.js';
import { gql, codes } from '../graphql/graphql-test-support.js';

interface V5List {
  items: Array<{ id: string; name?: string; board_id?: string }>;
  bookmark: string | null;
}

let t: TestApp;
let maya: TestUser;
let theo: TestUser;
let ines: TestUser;
const boards = {} as Record<'public' | 'protected' | 'secret' | 'shared', string>;
const pins = {} as Record<'public' | 'protected' | 'secret' | 'shared', string>;

beforeAll(async () => {
  t = await createTestApp();
  maya = await t.signUp('maya');
  theo = await t.signUp('theo');
  ines = await t.signUp('ines');
  boards.public = await makeBoard(t, maya, 'Kitchens', 'PUBLIC');
  boards.protected = await makeBoard(t, maya, 'Drafts', 'PROTECTED');
  boards.secret = await makeBoard(t, maya, 'Gifts', 'SECRET');
  boards.shared = await makeBoard(t, maya, 'Trip', 'SECRET');
  await addCollaborator(t, maya, boards.shared, theo, 'viewer');
  for (const key of ['public', 'protected', 'secret', 'shared'] as const) pins[key] = (await createPin(t, maya, boards[key], { title: key })).id;
});
afterAll(async () => t?.close());

async function rest(as: TestUser, path: string): Promise<V5List> {
  const reply = await t.request({ method: 'GET', url: path, as });
  expect(reply.statusCode, reply.body).toBe(200);
  return reply.json<V5List>();
}

const PROFILE = `query ($username: String!) { user(username: $username) {
  boards(first: 10) { edges { node { entityId name } } pageInfo { hasNextPage endCursor } }
  pins(first: 10) { edges { node { entityId boardId } } pageInfo { hasNextPage endCursor } } } }`;

interface ProfileLists {
  user: {
    boards: { edges: Array<{ node: { entityId: string; name: string } }>; pageInfo: { hasNextPage: boolean; endCursor: string | null } };
    pins: { edges: Array<{ node: { entityId: string; boardId: string } }>; pageInfo: { hasNextPage: boolean; endCursor: string | null } };
  } | null;
}

describe("a person's boards and pins", () => {
  it('shows the person every board and pin of their own, newest first', async () => {
    const all = [boards.shared, boards.secret, boards.protected, boards.public];
    expect((await rest(maya, '/v5/users/maya/boards')).items.map((board) => board.id)).toEqual(all);
    expect((await rest(maya, '/v5/users/maya/pins')).items.map((pin) => pin.id)).toEqual([pins.shared, pins.secret, pins.protected, pins.public]);
    const graph = await gql<ProfileLists>(t, maya, PROFILE, { username: 'maya' });
    expect(graph.errors).toEqual([]);
    expect(graph.data?.user?.boards.edges.map((edge) => edge.node.entityId)).toEqual(all);
  });

  it('shows someone else only public boards and those shared with them, and their pins', async () => {
    expect((await rest(theo, '/v5/users/maya/boards')).items.map((board) => board.id)).toEqual([boards.shared, boards.public]);
    expect((await rest(theo, '/v5/users/maya/pins')).items.map((pin) => pin.id)).toEqual([pins.shared, pins.public]);
    expect((await rest(ines, '/v5/users/maya/boards')).items.map((board) => board.id)).toEqual([boards.public]);
    expect((await rest(ines, '/v5/users/maya/pins')).items.map((pin) => pin.id)).toEqual([pins.public]);
    const graph = await gql<ProfileLists>(t, ines, PROFILE, { username: 'maya' });
    expect(graph.data?.user?.boards.edges.map((edge) => edge.node.entityId)).toEqual([boards.public]);
    expect(graph.data?.user?.pins.edges.map((edge) => edge.node.entityId)).toEqual([pins.public]);
  });

  it('pages with bookmarks that REST and GraphQL share', async () => {
    const first = await rest(maya, '/v5/users/maya/boards?page_size=3');
    expect(first.items).toHaveLength(3);
    expect(first.bookmark).not.toBeNull();
    const graph = await gql<ProfileLists>(t, maya, `query { user(username: "maya") { boards(first: 3) { pageInfo { endCursor hasNextPage } } } }`);
    expect(graph.data?.user?.boards.pageInfo).toEqual({ endCursor: first.bookmark, hasNextPage: true });
    const rest2 = await rest(maya, `/v5/users/maya/boards?page_size=3&bookmark=${first.bookmark!}`);
    expect(rest2.items.map((board) => board.id)).toEqual([boards.public]);
    expect(rest2.bookmark).toBeNull();
    const pinsPage = await rest(maya, '/v5/users/maya/pins?page_size=2');
    const nextPins = await gql<ProfileLists>(t, maya, `query ($after: String) { user(username: "maya") { pins(first: 5, after: $after) { edges { node { entityId } } } } }`, {
      after: pinsPage.bookmark,
    });
    expect(nextPins.data?.user?.pins.edges.map((edge) => edge.node.entityId)).toEqual([pins.protected, pins.public]);
  });

  it('answers 404 USER_NOT_FOUND for someone who does not exist, and 401 without a token', async () => {
    for (const path of ['/v5/users/nobody-here/boards', '/v5/users/nobody-here/pins']) {
      const reply = await t.request({ method: 'GET', url: path, as: maya });
      expect(reply.statusCode).toBe(404);
      expect(reply.json()).toEqual({ code: 30, message: 'User not found.' });
      expect((await t.request({ method: 'GET', url: path })).statusCode).toBe(401);
    }
    const graph = await gql(t, maya, PROFILE, { username: 'nobody-here' });
    expect(graph.data).toEqual({ user: null });
    expect(codes(graph)).toEqual(['USER_NOT_FOUND']);
  });

  it('leaves out SECRET boards for a token without boards:read_secret, even its owner', async () => {
    const form = new URLSearchParams({ grant_type: 'password', username: 'maya', password: 'pw-maya-secret', scope: 'boards:read,pins:read,user_accounts:read' });
    const token = (
      await t.request({ method: 'POST', url: '/v5/oauth/token', headers: { 'content-type': 'application/x-www-form-urlencoded' }, payload: form.toString() })
    ).json<{ access_token: string }>().access_token;
    const reply = await t.request({ method: 'GET', url: '/v5/users/maya/boards', as: token });
    expect(reply.json<V5List>().items.map((board) => board.id)).toEqual([boards.protected, boards.public]);
  });
});
