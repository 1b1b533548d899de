// Contract rows for a person's lists (extensions): their boards and pins as the caller may see them,
// their followers and whom they follow. Bodies are checked against the served /v5/openapi.json.
import { expect } from 'vitest';
import { MISSING_ID } from '../contract-world.js';
import { badBookmark, emptyList, missingScope, noToken, pages, row, type Case, type Req } from '../contract-case.js';
import type { ContractWorld } from '../contract-world.js';

const bobsBoards = (w: ContractWorld): Req => ({ url: `/v5/users/${w.bob.username}/boards`, as: w.alice });
const alicesPins = (w: ContractWorld): Req => ({ url: `/v5/users/${w.alice.username}/pins`, as: w.bob });
const followersOfAlice = (w: ContractWorld): Req => ({ url: `/v5/users/${w.alice.username}/followers`, as: w.bob });
const followedByAlice = (w: ContractWorld): Req => ({ url: `/v5/users/${w.alice.username}/following`, as: w.bob });
const unknown = (path: string) => (w: ContractWorld): Req => ({ url: `/v5/users/nobody_here/${path}`, as: w.alice });

interface Items {
  items: Array<{ id: string; username?: string; owner?: { username: string } }>;
}

export const profileCases: Case[] = [
  // GET /v5/users/{username}/boards
  row('GET /v5/users/{username}/boards', "another user's boards, newest first", 200, bobsBoards, {
    check: (body: Items, w) => {
      expect(body.items.map((board) => board.owner?.username)).toEqual([w.bob.username, w.bob.username, w.bob.username]);
      expect(body.items.at(-1)?.id).toBe(w.bobBoard.id);
    },
  }),
  ...pages('GET /v5/users/{username}/boards', bobsBoards),
  emptyList('GET /v5/users/{username}/boards', 'someone with no boards', (w) => ({ url: `/v5/users/${w.erin.username}/boards`, as: w.alice })),
  badBookmark('GET /v5/users/{username}/boards', bobsBoards),
  noToken('GET /v5/users/{username}/boards', bobsBoards),
  missingScope('GET /v5/users/{username}/boards', bobsBoards, (w) => w.accountsReadOnly),
  row('GET /v5/users/{username}/boards', 'unknown user', 404, unknown('boards'), { code: 30 }),

  // GET /v5/users/{username}/pins
  row('GET /v5/users/{username}/pins', "a collaborator sees another user's pins on the shared board", 200, alicesPins, {
    check: (body: Items, w) => expect(body.items.map((pin) => pin.id)).toEqual([...w.pins].reverse().map((pin) => pin.id)),
  }),
  ...pages('GET /v5/users/{username}/pins', alicesPins),
  emptyList('GET /v5/users/{username}/pins', 'someone with no pins', (w) => ({ url: `/v5/users/${w.erin.username}/pins`, as: w.alice })),
  badBookmark('GET /v5/users/{username}/pins', alicesPins),
  noToken('GET /v5/users/{username}/pins', alicesPins),
  missingScope('GET /v5/users/{username}/pins', alicesPins, (w) => w.boardsReadOnly),
  row('GET /v5/users/{username}/pins', 'unknown user', 404, unknown('pins'), { code: 30 }),

  // GET /v5/users/{username}/followers
  row('GET /v5/users/{username}/followers', "another user's followers", 200, followersOfAlice, {
    check: (body: Items, w) => expect(body.items.map((user) => user.username).sort()).toEqual([w.bob.username, w.carol.username, w.dave.username].sort()),
  }),
  ...pages('GET /v5/users/{username}/followers', followersOfAlice),
  emptyList('GET /v5/users/{username}/followers', 'nobody follows them', (w) => ({ url: `/v5/users/${w.erin.username}/followers`, as: w.alice })),
  badBookmark('GET /v5/users/{username}/followers', followersOfAlice),
  noToken('GET /v5/users/{username}/followers', followersOfAlice),
  missingScope('GET /v5/users/{username}/followers', followersOfAlice, (w) => w.boardsReadOnly),
  row('GET /v5/users/{username}/followers', 'unknown user', 404, unknown('followers'), { code: 30 }),

  // GET /v5/users/{username}/following
  row('GET /v5/users/{username}/following', 'whom another user follows', 200, followedByAlice, {
    check: (body: Items, w) => expect(body.items.map((user) => user.username).sort()).toEqual([w.bob.username, w.carol.username, w.dave.username].sort()),
  }),
  ...pages('GET /v5/users/{username}/following', followedByAlice),
  emptyList('GET /v5/users/{username}/following', 'they follow nobody', (w) => ({ url: `/v5/users/${w.erin.username}/following`, as: w.alice })),
  badBookmark('GET /v5/users/{username}/following', followedByAlice),
  noToken('GET /v5/users/{username}/following', followedByAlice),
  missingScope('GET /v5/users/{username}/following', followedByAlice, (w) => w.boardsReadOnly),
  row('GET /v5/users/{username}/following', 'unknown user', 404, (w) => ({ url: `/v5/users/${MISSING_ID}x/following`, as: w.alice }), { code: 30 }),
];
