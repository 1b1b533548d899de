// What a profile and a board page need to know about follows, through GraphQL: whether the viewer
// follows a person or a board (followedByViewer, flipping with follow and unfollow), and anyone's
// followers and whom they follow, paged with the REST lists' bookmarks; one statement answers
// followedByViewer for a whole list.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp, type TestUser } from '../../test/support/test-app.js';
import { makeBoard } from '../pins/pin-test-support.js';
import { countStatements, gql } from '../graphql/graphql-test-support.js';
import { followBoard, followUser } from '../../test/support/fixtures.js';

let t: TestApp;
let maya: TestUser;
let theo: TestUser;
let ines: TestUser;
let kofi: TestUser;
let board: string;

beforeAll(async () => {
  t = await createTestApp();
  maya = await t.signUp('maya');
  theo = await t.signUp('theo');
  ines = await t.signUp('ines');
  kofi = await t.signUp('kofi');
  board = await makeBoard(t, maya, 'Kitchens');
  for (const follower of [theo, ines, kofi]) await followUser(t, follower, 'maya');
  await followUser(t, maya, 'kofi');
  await followUser(t, kofi, 'ines');
});
afterAll(async () => t?.close());

const STATE = `query ($username: String!, $board: ID!) { user(username: $username) { followedByViewer } board(id: $board) { followedByViewer } }`;

describe('followedByViewer', () => {
  it('says whether the viewer follows the person and the board, and flips with follow and unfollow', async () => {
    expect((await gql(t, theo, STATE, { username: 'maya', board })).data).toEqual({ user: { followedByViewer: true }, board: { followedByViewer: false } });
    await followBoard(t, theo, board);
    await t.request({ method: 'DELETE', url: '/v5/user_account/following/maya', as: theo });
    expect((await gql(t, theo, STATE, { username: 'maya', board })).data).toEqual({ user: { followedByViewer: false }, board: { followedByViewer: true } });
    // Oneself: never followed.
    expect((await gql(t, maya, STATE, { username: 'maya', board })).data).toEqual({ user: { followedByViewer: false }, board: { followedByViewer: false } });
    const unfollow = await gql(t, theo, `mutation ($id: ID!) { unfollowBoard(id: $id) }`, { id: board });
    expect(unfollow.data).toEqual({ unfollowBoard: true });
    expect((await gql(t, theo, STATE, { username: 'maya', board })).data).toEqual({ user: { followedByViewer: false }, board: { followedByViewer: false } });
    await followUser(t, theo, 'maya');
  });

  it('needs a signed-in viewer with user_accounts:read', async () => {
    const anonymous = await gql(t, null, `query { user(username: "maya") { username } }`);
    expect(anonymous.data).toEqual({ user: null });
    const form = new URLSearchParams({ grant_type: 'password', username: 'theo', password: 'pw-theo-secret', scope: 'boards:read' });
    const token = (
      await t.request({ method: 'POST', url: '/v5/oauth/token', headers: { 'content-type': 'application/x-www-form-urlencoded' }, payload: form.toString() })
    ).json<{ access_token: string }>().access_token;
    const narrow = await gql(t, token, `query ($board: ID!) { board(id: $board) { name followedByViewer } }`, { board });
    expect(narrow.data).toEqual({ board: { name: 'Kitchens', followedByViewer: null } });
    expect(narrow.errors.map((error) => error.extensions.code)).toEqual(['MISSING_SCOPE']);
  });

  it('is one statement for a whole list of people', async () => {
    const query = `query { user(username: "maya") { followers(first: 10) { edges { node { username followedByViewer } } } } }`;
    const asked = await countStatements(t, () => gql(t, kofi, query));
    const answer = await gql<{ user: { followers: { edges: Array<{ node: { username: string; followedByViewer: boolean } }> } } }>(t, kofi, query);
    expect(answer.data?.user.followers.edges.map((edge) => edge.node).sort((a, b) => a.username.localeCompare(b.username))).toEqual([
      { username: 'ines', followedByViewer: true },
      { username: 'kofi', followedByViewer: false },
      { username: 'theo', followedByViewer: false },
    ]);
    expect(asked.statements.filter((statement) => statement.includes('"user_follows"') && statement.includes('"followee_id" in'))).toHaveLength(1);
  });
});

describe("anyone's followers and following", () => {
  it('lists them newest follow first, paged with the REST bookmarks', async () => {
    const rest = (await t.request({ method: 'GET', url: '/v5/users/maya/followers?page_size=2', as: kofi })).json<{ items: Array<{ username: string }>; bookmark: string }>();
    expect(rest.items.map((item) => item.username)).toEqual(['theo', 'kofi']);
    const page = await gql<{ user: { followers: { edges: Array<{ node: { username: string } }>; pageInfo: { endCursor: string } } } }>(
      t,
      kofi,
      `query ($after: String) { user(username: "maya") { followers(first: 2, after: $after) { edges { node { username } } pageInfo { endCursor } } } }`,
      { after: rest.bookmark },
    );
    expect(page.data?.user.followers.edges.map((edge) => edge.node.username)).toEqual(['ines']);
    const following = await gql<{ user: { following: { edges: Array<{ node: { username: string } }> } } }>(t, theo, `query { user(username: "maya") { following { edges { node { username } } } } }`);
    expect(following.data?.user.following.edges.map((edge) => edge.node.username)).toEqual(['kofi']);
  });
});
