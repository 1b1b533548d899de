// Contract rows for Corkboard's board extensions (collaborators, board follows) and the image files
// pins point at. Their bodies are checked against the served /v5/openapi.json, not Pinterest's file.
import { expect } from 'vitest';
import { pathOf } from '../../support/fixtures.js';
import { MISSING_ID } from '../contract-world.js';

/** Has the shape of an image capability, but names no image. */
const MISSING_CAPABILITY = 'A'.repeat(32);
import { badBookmark, emptyList, missingScope, noToken, pages, row, type Case, type Req } from '../contract-case.js';
import type { ContractWorld } from '../contract-world.js';

const collaborators = (w: ContractWorld): Req => ({ url: `/v5/boards/${w.main.id}/collaborators`, as: w.alice });
const inviteFrank = (w: ContractWorld): Req => ({
  url: `/v5/boards/${w.scratch.id}/collaborators`,
  as: w.alice,
  payload: { username: w.frank.username, role: 'viewer' },
});
const frankRole = (w: ContractWorld): Req => ({
  url: `/v5/boards/${w.scratch.id}/collaborators/${w.frank.username}`,
  as: w.alice,
  payload: { role: 'editor' },
});
const removeFrank = (w: ContractWorld): Req => ({ url: `/v5/boards/${w.scratch.id}/collaborators/${w.frank.username}`, as: w.alice });
const follow = (w: ContractWorld): Req => ({ url: `/v5/boards/${w.main.id}/follow`, as: w.frank });
const image = (w: ContractWorld): Req => ({ url: pathOf(w.pins[0]!.media.images['600x']!.url), as: null });

export const extensionCases: Case[] = [
  // GET /v5/boards/{board_id}/collaborators
  row('GET /v5/boards/{board_id}/collaborators', 'collaborators in the order they joined', 200, collaborators, {
    check: (body, w) => expect(body.items.map((c) => c.user.username)).toEqual([w.bob.username, w.carol.username, w.dave.username]),
  }),
  row('GET /v5/boards/{board_id}/collaborators', 'a collaborator sees them too', 200, (w) => ({ ...collaborators(w), as: w.bob })),
  ...pages('GET /v5/boards/{board_id}/collaborators', collaborators),
  emptyList('GET /v5/boards/{board_id}/collaborators', 'a board without collaborators', (w) => ({ url: `/v5/boards/${w.third.id}/collaborators`, as: w.alice })),
  badBookmark('GET /v5/boards/{board_id}/collaborators', collaborators),
  noToken('GET /v5/boards/{board_id}/collaborators', collaborators),
  missingScope('GET /v5/boards/{board_id}/collaborators', collaborators, (w) => w.accountsReadOnly),
  row('GET /v5/boards/{board_id}/collaborators', 'unknown board', 404, (w) => ({ url: `/v5/boards/${MISSING_ID}/collaborators`, as: w.alice }), { code: 40 }),

  // POST /v5/boards/{board_id}/collaborators
  row('POST /v5/boards/{board_id}/collaborators', 'invites a new collaborator', 201, inviteFrank, {
    check: (body, w) => expect(body).toMatchObject({ user: { id: w.frank.id, username: w.frank.username }, role: 'viewer' }),
  }),
  row('POST /v5/boards/{board_id}/collaborators', 'inviting again changes the role', 200, (w) => ({ ...inviteFrank(w), payload: { username: w.frank.username, role: 'editor' } }), {
    check: (body) => expect(body.role).toBe('editor'),
  }),
  row('POST /v5/boards/{board_id}/collaborators', 'unknown role', 400, (w) => ({ ...inviteFrank(w), payload: { username: w.frank.username, role: 'admin' } }), { code: 1 }),
  row('POST /v5/boards/{board_id}/collaborators', 'the owner', 400, (w) => ({ ...inviteFrank(w), payload: { username: w.alice.username, role: 'viewer' } }), { code: 4112 }),
  noToken('POST /v5/boards/{board_id}/collaborators', inviteFrank),
  missingScope('POST /v5/boards/{board_id}/collaborators', inviteFrank, (w) => w.boardsReadOnly),
  row('POST /v5/boards/{board_id}/collaborators', 'an editor may not invite', 403, (w) => ({
    url: `/v5/boards/${w.main.id}/collaborators`,
    as: w.carol,
    payload: { username: w.frank.username, role: 'viewer' },
  }), { code: 29 }),
  row('POST /v5/boards/{board_id}/collaborators', 'unknown user', 404, (w) => ({ ...inviteFrank(w), payload: { username: 'nobody_here', role: 'viewer' } }), { code: 30 }),
  row('POST /v5/boards/{board_id}/collaborators', 'unknown board', 404, (w) => ({ ...inviteFrank(w), url: `/v5/boards/${MISSING_ID}/collaborators` }), { code: 40 }),

  // PATCH /v5/boards/{board_id}/collaborators/{username}
  row('PATCH /v5/boards/{board_id}/collaborators/{username}', "changes a collaborator's role", 200, (w) => ({ ...frankRole(w), payload: { role: 'viewer' } }), {
    check: (body) => expect(body.role).toBe('viewer'),
  }),
  row('PATCH /v5/boards/{board_id}/collaborators/{username}', 'unknown role', 400, (w) => ({ ...frankRole(w), payload: { role: 'owner' } }), { code: 1 }),
  noToken('PATCH /v5/boards/{board_id}/collaborators/{username}', frankRole),
  missingScope('PATCH /v5/boards/{board_id}/collaborators/{username}', frankRole, (w) => w.boardsReadOnly),
  row('PATCH /v5/boards/{board_id}/collaborators/{username}', 'an editor may not change roles', 403, (w) => ({
    url: `/v5/boards/${w.main.id}/collaborators/${w.bob.username}`,
    as: w.carol,
    payload: { role: 'editor' },
  }), { code: 29 }),
  row('PATCH /v5/boards/{board_id}/collaborators/{username}', 'not a collaborator', 404, (w) => ({ ...frankRole(w), url: `/v5/boards/${w.scratch.id}/collaborators/${w.erin.username}` }), { code: 4110 }),
  row('PATCH /v5/boards/{board_id}/collaborators/{username}', 'unknown board', 404, (w) => ({ ...frankRole(w), url: `/v5/boards/${MISSING_ID}/collaborators/${w.frank.username}` }), { code: 40 }),

  // DELETE /v5/boards/{board_id}/collaborators/{username}
  row('DELETE /v5/boards/{board_id}/collaborators/{username}', 'the owner removes a collaborator', 204, removeFrank),
  noToken('DELETE /v5/boards/{board_id}/collaborators/{username}', removeFrank),
  missingScope('DELETE /v5/boards/{board_id}/collaborators/{username}', removeFrank, (w) => w.boardsReadOnly),
  row('DELETE /v5/boards/{board_id}/collaborators/{username}', 'a collaborator may not remove another', 403, (w) => ({
    url: `/v5/boards/${w.main.id}/collaborators/${w.carol.username}`,
    as: w.bob,
  }), { code: 29 }),
  row('DELETE /v5/boards/{board_id}/collaborators/{username}', 'no longer a collaborator', 404, removeFrank, { code: 4110 }),

  // POST /v5/boards/{board_id}/follow
  row('POST /v5/boards/{board_id}/follow', 'follows a board', 200, follow, {
    check: (body, w) => expect(body).toMatchObject({ id: w.main.id, follower_count: 1 }),
  }),
  row('POST /v5/boards/{board_id}/follow', 'following again changes nothing', 200, follow, { check: (body) => expect(body.follower_count).toBe(1) }),
  row('POST /v5/boards/{board_id}/follow', 'your own board', 400, (w) => ({ ...follow(w), as: w.alice }), { code: 4111 }),
  noToken('POST /v5/boards/{board_id}/follow', follow),
  missingScope('POST /v5/boards/{board_id}/follow', follow, (w) => w.accountsReadOnly),
  row('POST /v5/boards/{board_id}/follow', 'unknown board', 404, (w) => ({ ...follow(w), url: `/v5/boards/${MISSING_ID}/follow` }), { code: 40 }),

  // DELETE /v5/boards/{board_id}/follow
  row('DELETE /v5/boards/{board_id}/follow', 'unfollows a board', 204, follow),
  row('DELETE /v5/boards/{board_id}/follow', 'unfollowing a board not followed', 204, follow),
  noToken('DELETE /v5/boards/{board_id}/follow', follow),
  missingScope('DELETE /v5/boards/{board_id}/follow', follow, (w) => w.accountsReadOnly),
  row('DELETE /v5/boards/{board_id}/follow', 'unknown board', 404, (w) => ({ ...follow(w), url: `/v5/boards/${MISSING_ID}/follow` }), { code: 40 }),

  // GET /media/images/{capability}/{file} (the URLs in pin.media.images; no token needed)
  row('GET /media/images/{capability}/{file}', 'an image size a pin points at', 200, image, {
    check: (_body, _w, reply) => {
      expect(String(reply.headers['content-type'])).toMatch(/^image\/jpeg/);
      expect(String(reply.headers['cache-control'])).toContain('immutable');
      expect(reply.raw.length).toBeGreaterThan(0);
    },
  }),
  row('GET /media/images/{capability}/{file}', 'If-None-Match with its etag', 304, async (w) => {
    const first = await w.t.request({ method: 'GET', url: image(w).url });
    return { ...image(w), headers: { 'if-none-match': String(first.headers.etag) } };
  }, { check: (body) => expect(body).toBeUndefined() }),
  row('GET /media/images/{capability}/{file}', 'unknown image', 404, () => ({ url: `/media/images/${MISSING_CAPABILITY}/600x.jpg`, as: null }), { code: 4042 }),
  row('GET /media/images/{capability}/{file}', 'an image id instead of its capability', 404, (w) => ({ url: `/media/images/${w.pins[0]!.id}/600x.jpg`, as: null }), { code: 4042 }),
  row('GET /media/images/{capability}/{file}', 'unknown size', 404, (w) => ({ ...image(w), url: image(w).url.replace('600x.jpg', '601x.jpg') }), { code: 4042 }),
];
