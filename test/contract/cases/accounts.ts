// Contract rows for the account, follows and OAuth operations, and the account extensions
// (sign-up, another user's profile, unfollowing a person).
import { expect } from 'vitest';
import { badBookmark, emptyList, missingScope, noToken, pages, row, type Case, type Req } from '../contract-case.js';
import type { ContractWorld } from '../contract-world.js';

const FORM = { 'content-type': 'application/x-www-form-urlencoded' };
const form = (fields: Record<string, string>) => new URLSearchParams(fields).toString();
const GINA = { username: 'gina', email: 'gina@example.test', password: 'gina-long-password' };

const account = (w: ContractWorld): Req => ({ url: '/v5/user_account', as: w.alice });
const followers = (w: ContractWorld): Req => ({ url: '/v5/user_account/followers', as: w.alice });
const following = (w: ContractWorld): Req => ({ url: '/v5/user_account/following', as: w.alice });
const followedBoards = (w: ContractWorld): Req => ({ url: '/v5/user_account/following/boards', as: w.alice });
const followFrank = (w: ContractWorld): Req => ({ url: `/v5/user_account/following/${w.frank.username}`, as: w.alice, payload: {} });
const unfollowFrank = (w: ContractWorld): Req => ({ url: `/v5/user_account/following/${w.frank.username}`, as: w.alice });
const profile = (w: ContractWorld): Req => ({ url: `/v5/users/${w.bob.username}`, as: w.alice });
const passwordGrant = (): Req => ({ url: '/v5/oauth/token', as: null, headers: FORM, payload: form({ grant_type: 'password', username: GINA.username, password: GINA.password }) });

export const accountCases: Case[] = [
  // POST /v5/accounts (extension)
  row('POST /v5/accounts', 'signs up', 201, () => ({ url: '/v5/accounts', as: null, payload: GINA }), {
    check: (body) => expect(body).toMatchObject({ username: 'gina', board_count: 0, pin_count: 0 }),
  }),
  row('POST /v5/accounts', 'invalid email', 400, () => ({ url: '/v5/accounts', as: null, payload: { ...GINA, username: 'gina2', email: 'nope' } }), { code: 1 }),
  row('POST /v5/accounts', 'username taken', 409, () => ({ url: '/v5/accounts', as: null, payload: { ...GINA, email: 'other@example.test' } }), { code: 4090 }),

  // POST /oauth/token
  row('POST /oauth/token', 'password grant', 200, passwordGrant, {
    check: (body, w) => {
      expect(body).toMatchObject({ token_type: 'bearer', response_type: 'authorization_code' });
      w.memo.set('refresh token', body.refresh_token);
      w.memo.set('access token', body.access_token);
    },
  }),
  row('POST /oauth/token', 'refresh grant narrowing the scopes', 200, (w) => ({
    url: '/v5/oauth/token',
    as: null,
    headers: FORM,
    payload: form({ grant_type: 'refresh_token', refresh_token: w.memo.get('refresh token') ?? 'missing', scope: 'user_accounts:read' }),
  }), {
    check: (body, w) => {
      expect(body).toMatchObject({ scope: 'user_accounts:read', response_type: 'refresh_token' });
      w.memo.set('access token', body.access_token);
    },
  }),
  row('POST /oauth/token', 'wrong password', 400, () => ({ ...passwordGrant(), payload: form({ grant_type: 'password', username: GINA.username, password: 'wrong password' }) }), { code: 4006 }),
  row('POST /oauth/token', 'unsupported grant_type', 400, () => ({ ...passwordGrant(), payload: form({ grant_type: 'client_credentials' }) }), { code: 4007 }),
  row('POST /oauth/token', 'password grant without a password', 400, () => ({ ...passwordGrant(), payload: form({ grant_type: 'password', username: GINA.username }) }), { code: 1 }),
  row('POST /oauth/token', 'unknown scope', 400, () => ({ ...passwordGrant(), payload: form({ grant_type: 'password', username: GINA.username, password: GINA.password, scope: 'ads:read' }) }), { code: 1 }),

  // POST /oauth/token/revoke
  row('POST /oauth/token/revoke', 'revokes an access token', 200, (w) => ({ url: '/v5/oauth/token/revoke', as: null, headers: FORM, payload: form({ token: w.memo.get('access token') ?? 'missing' }) })),
  row('GET /user_account', 'a revoked token no longer works', 401, (w) => ({ url: '/v5/user_account', as: w.memo.get('access token') ?? 'missing' }), { code: 2 }),
  row('POST /oauth/token/revoke', 'missing token', 400, () => ({ url: '/v5/oauth/token/revoke', as: null, headers: FORM, payload: form({ token_type_hint: 'access_token' }) }), { code: 1 }),

  // GET /user_account
  row('GET /user_account', 'the token user', 200, account, { check: (body, w) => expect(body).toMatchObject({ id: w.alice.id, username: 'alice', follower_count: 3 }) }),
  noToken('GET /user_account', account),
  missingScope('GET /user_account', account, (w) => w.boardsReadOnly),
  row('GET /user_account', 'a token that is not ours', 401, () => ({ url: '/v5/user_account', as: 'pina_not-a-real-token' }), { code: 2 }),

  // GET /v5/users/{username} (extension)
  row('GET /v5/users/{username}', "another user's profile", 200, profile, { check: (body, w) => expect(body).toMatchObject({ id: w.bob.id, username: 'bob' }) }),
  noToken('GET /v5/users/{username}', profile),
  missingScope('GET /v5/users/{username}', profile, (w) => w.boardsReadOnly),
  row('GET /v5/users/{username}', 'unknown user', 404, (w) => ({ url: '/v5/users/nobody_here', as: w.alice }), { code: 30 }),

  // GET /user_account/followers
  row('GET /user_account/followers', 'followers', 200, followers, {
    check: (body, w) => expect(body.items.map((u) => u.username).sort()).toEqual([w.bob.username, w.carol.username, w.dave.username].sort()),
  }),
  ...pages('GET /user_account/followers', followers),
  emptyList('GET /user_account/followers', 'nobody follows', (w) => ({ url: '/v5/user_account/followers', as: w.erin })),
  badBookmark('GET /user_account/followers', followers),
  noToken('GET /user_account/followers', followers),
  missingScope('GET /user_account/followers', followers, (w) => w.boardsReadOnly),

  // GET /user_account/following
  row('GET /user_account/following', 'people followed', 200, following, {
    check: (body) => expect(body.items.length).toBeGreaterThanOrEqual(3),
  }),
  ...pages('GET /user_account/following', following),
  emptyList('GET /user_account/following', 'follows nobody', (w) => ({ url: '/v5/user_account/following', as: w.erin })),
  badBookmark('GET /user_account/following', following),
  row('GET /user_account/following', 'unknown feed_type', 400, (w) => ({ url: '/v5/user_account/following?feed_type=EVERYONE', as: w.alice }), { code: 1 }),
  noToken('GET /user_account/following', following),
  missingScope('GET /user_account/following', following, (w) => w.boardsReadOnly),

  // GET /user_account/following/boards
  row('GET /user_account/following/boards', 'boards followed', 200, followedBoards, {
    check: (body, w) => expect(body.items.map((b) => b.id)).toContain(w.bobBoard.id),
  }),
  ...pages('GET /user_account/following/boards', followedBoards),
  emptyList('GET /user_account/following/boards', 'follows no boards', (w) => ({ url: '/v5/user_account/following/boards', as: w.erin })),
  badBookmark('GET /user_account/following/boards', followedBoards),
  noToken('GET /user_account/following/boards', followedBoards),
  missingScope('GET /user_account/following/boards', followedBoards, (w) => w.boardsReadOnly),

  // POST /user_account/following/{username}
  row('POST /user_account/following/{username}', 'follows a user', 200, followFrank, {
    check: (body, w) => expect(body).toMatchObject({ type: 'user', username: w.frank.username }),
  }),
  row('POST /user_account/following/{username}', 'following again changes nothing', 200, followFrank),
  row('POST /user_account/following/{username}', 'yourself', 400, (w) => ({ ...followFrank(w), url: `/v5/user_account/following/${w.alice.username}` }), { code: 4160 }),
  row('POST /user_account/following/{username}', 'unknown body field', 400, (w) => ({ ...followFrank(w), payload: { notify: true } }), { code: 1 }),
  noToken('POST /user_account/following/{username}', followFrank),
  missingScope('POST /user_account/following/{username}', followFrank, (w) => w.accountsReadOnly),
  row('POST /user_account/following/{username}', 'unknown user', 404, (w) => ({ ...followFrank(w), url: '/v5/user_account/following/nobody_here' }), { code: 30 }),

  // DELETE /v5/user_account/following/{username} (extension)
  row('DELETE /v5/user_account/following/{username}', 'unfollows a user', 204, unfollowFrank),
  row('DELETE /v5/user_account/following/{username}', 'unfollowing someone not followed', 204, unfollowFrank),
  row('DELETE /v5/user_account/following/{username}', 'yourself', 400, (w) => ({ ...unfollowFrank(w), url: `/v5/user_account/following/${w.alice.username}` }), { code: 4160 }),
  noToken('DELETE /v5/user_account/following/{username}', unfollowFrank),
  missingScope('DELETE /v5/user_account/following/{username}', unfollowFrank, (w) => w.accountsReadOnly),
  row('DELETE /v5/user_account/following/{username}', 'unknown user', 404, (w) => ({ ...unfollowFrank(w), url: '/v5/user_account/following/nobody_here' }), { code: 30 }),
];
