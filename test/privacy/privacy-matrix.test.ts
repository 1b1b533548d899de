// Who sees what, through every door: each object route x {owner, owner's token without *_secret scopes,
// editor, viewer, other user, anonymous} x {PUBLIC, PROTECTED, SECRET board}, then the lists, searches,
// typeahead, related terms and counts. A board someone may not see must be indistinguishable from one
// that does not exist: the same status and byte-for-byte the same body as a request naming a missing
// id, and no name in it. The expected outcomes are data (privacy-routes.ts, privacy-lists.ts,
// privacy-terms.ts), one `it` per row.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LightMyRequestResponse } from 'fastify';
import { createTestApp, type TestApp } from '../support/test-app.js';
import { assertMatchesV5 } from '../support/contract.js';
import { bodyOf, type V5Body } from '../support/fixtures.js';
import { MISSING_ID, PRIVACIES, ROLES, buildPrivacyWorld, type PrivacyWorld, type Role } from './privacy-world.js';
import { FORBIDDEN_CODE, NOT_FOUND_CODE, ROUTES, objectMatrix, sees, type Req } from './privacy-routes.js';
import { LISTS, listMatrix } from './privacy-lists.js';
import { TERMS, termsMatrix } from './privacy-terms.js';

type Method = 'GET' | 'POST' | 'PATCH' | 'DELETE';

const ERROR_CODES: Record<number, number> = { 400: 4111, 401: 2, 403: 29 };

describe('privacy matrix', () => {
  let w: PrivacyWorld;

  let t: TestApp | undefined;

  beforeAll(async () => {
    t = await createTestApp();
    w = await buildPrivacyWorld(t);
  }, 180_000);
  afterAll(async () => t?.close());

  const send = (method: Method, req: Req, role: Role): Promise<LightMyRequestResponse> =>
    w.t.request({ method, url: req.url, as: w.callers[role], ...(req.payload ? { payload: req.payload } : {}) });

  const expectNoLeak = (body: string) => {
    for (const secret of w.secrets) expect(body, `error body names "${secret}"`).not.toContain(secret);
  };

  describe('object routes', () => {
    for (const row of objectMatrix(ROUTES, PRIVACIES, ROLES)) {
      const spec = ROUTES.find((route) => route.route === row.route)!;
      it(`${row.route} as ${row.role} on ${row.privacy} -> ${row.expectStatus}`, async () => {
        const reply = await send(spec.method, await spec.request(w, row.privacy, row.role), row.role);
        expect(reply.statusCode, reply.body.slice(0, 300)).toBe(row.expectStatus);
        const body = bodyOf(reply);
        if (spec.v5Path) assertMatchesV5(spec.method, spec.v5Path, reply.statusCode, body);
        if (reply.statusCode < 400) {
          await spec.check?.(body as V5Body, w, row.privacy, row.role);
          return;
        }
        expectNoLeak(reply.body);
        const code =
          reply.statusCode === 404 ? NOT_FOUND_CODE[spec.hides] : reply.statusCode === 403 ? FORBIDDEN_CODE[spec.rule] : ERROR_CODES[reply.statusCode];
        expect((body as { code: number }).code).toBe(code);
        if (reply.statusCode === 401 || reply.statusCode === 404) {
          // Indistinguishable from an id that names nothing.
          const twin = await send(spec.method, await spec.missing(w, row.privacy, row.role), row.role);
          expect(twin.statusCode).toBe(reply.statusCode);
          expect(reply.body).toBe(twin.body);
          expect(reply.headers['content-type']).toBe(twin.headers['content-type']);
        }
      });
    }
  });

  describe('lists and searches', () => {
    for (const row of listMatrix(LISTS, PRIVACIES, ROLES)) {
      const spec = LISTS.find((list) => list.route === row.route)!;
      const outcome = row.expectStatus === 200 ? (row.listed ? ', listed' : ', absent') : '';
      it(`${row.route} as ${row.role} on ${row.privacy} -> ${row.expectStatus}${outcome}`, async () => {
        const reply = await send('GET', { url: spec.url(w, row.privacy) }, row.role);
        expect(reply.statusCode, reply.body.slice(0, 300)).toBe(row.expectStatus);
        const body = bodyOf(reply) as { items: { id: string }[]; bookmark: string | null };
        if (spec.v5Path) assertMatchesV5('GET', spec.v5Path, reply.statusCode, body);
        if (reply.statusCode !== 200) return;
        expect(body.bookmark, 'the whole list fits one page').toBeNull();
        expect(body.items.map((item) => item.id).includes(spec.target(w, row.privacy))).toBe(row.listed);
      });
    }
  });

  describe('typeahead and related terms', () => {
    for (const row of termsMatrix(TERMS, PRIVACIES, ROLES)) {
      const spec = TERMS.find((terms) => terms.route === row.route)!;
      const outcome = row.expectStatus === 200 ? (row.listed ? ', suggested' : ', never suggested') : '';
      it(`${row.route} as ${row.role} on ${row.privacy} -> ${row.expectStatus}${outcome}`, async () => {
        const reply = await send('GET', { url: spec.url(w, row.privacy) }, row.role);
        expect(reply.statusCode, reply.body.slice(0, 300)).toBe(row.expectStatus);
        const body = bodyOf(reply);
        assertMatchesV5('GET', spec.v5Path, reply.statusCode, body);
        if (reply.statusCode !== 200) return;
        expect(spec.words(body).includes(spec.word(w, row.privacy)), JSON.stringify(body)).toBe(row.listed);
      });
    }
  });

  describe('a PUBLIC save of a pin on the board', () => {
    // Anyone signed in sees the copy (it is on a PUBLIC board), but only those who see the original's
    // board learn which pin it was saved from.
    const rows = PRIVACIES.flatMap((privacy) =>
      ROLES.map((role) => ({
        route: 'GET /v5/pins/{public save}',
        role,
        privacy,
        expectStatus: role === 'anonymous' ? 401 : 200,
        parentShown: sees(role, privacy),
      })),
    );
    for (const row of rows) {
      const outcome = row.expectStatus === 200 ? `, parent_pin_id ${row.parentShown ? 'shown' : 'null'}` : '';
      it(`${row.route} as ${row.role} on ${row.privacy} -> ${row.expectStatus}${outcome}`, async () => {
        const place = w.places[row.privacy];
        const reply = await send('GET', { url: `/v5/pins/${place.publicCopy.id}` }, row.role);
        expect(reply.statusCode).toBe(row.expectStatus);
        assertMatchesV5('GET', '/pins/{pin_id}', reply.statusCode, bodyOf(reply));
        if (reply.statusCode !== 200) return;
        expect(reply.json<{ parent_pin_id: string | null }>().parent_pin_id).toBe(row.parentShown ? place.ownerPin.id : null);
      });
    }
  });

  describe("the owner's profile counts", () => {
    const isSelf = (role: Role) => role === 'owner' || role === 'ownerNoSecret';
    const rows = PRIVACIES.flatMap((privacy) =>
      ROLES.map((role) => ({
        route: 'GET /v5/users/{owner}',
        role,
        privacy,
        expectStatus: role === 'anonymous' ? 401 : 200,
        // Others see counts of PUBLIC content only; the account's owner sees all of theirs.
        adds: role !== 'anonymous' && (isSelf(role) || privacy === 'PUBLIC') ? 1 : 0,
      })),
    );
    for (const row of rows) {
      const outcome = row.expectStatus === 200 ? `, board_count and pin_count +${row.adds}` : '';
      it(`${row.route} as ${row.role} after a new ${row.privacy} board with a pin -> ${row.expectStatus}${outcome}`, async () => {
        const profile = () => send('GET', { url: `/v5/users/${w.owner.username}` }, row.role);
        const before = await profile();
        expect(before.statusCode).toBe(row.expectStatus);
        if (row.expectStatus !== 200) return;

        const board = await w.t.request({ method: 'POST', url: '/v5/boards', payload: { name: `Counted ${row.privacy} ${row.role}`, privacy: row.privacy }, as: w.owner });
        expect(board.statusCode, board.body).toBe(201);
        const boardId = board.json<{ id: string }>().id;
        const pin = await w.t.request({ method: 'POST', url: '/v5/pins', payload: { board_id: boardId, parent_pin_id: w.places.PUBLIC.ownerPin.id }, as: w.owner });
        expect(pin.statusCode, pin.body).toBe(201);

        const after = await profile();
        type Counts = { board_count: number; pin_count: number };
        const [b, a] = [before.json<Counts>(), after.json<Counts>()];
        expect({ board_count: a.board_count - b.board_count, pin_count: a.pin_count - b.pin_count }).toEqual({ board_count: row.adds, pin_count: row.adds });
      });
    }
  });

  describe('a followed board that turned hidden', () => {
    const followerCount = async (boardId: string) =>
      (await w.t.request({ method: 'GET', url: `/v5/boards/${boardId}`, as: w.owner })).json<{ follower_count: number }>().follower_count;

    for (const privacy of PRIVACIES) {
      const then = privacy === 'PUBLIC' ? 'unfollowing again is still 204' : 'the board then answers 404 like a missing one';
      it(`turned ${privacy}: the owner still counts 3 followers; the other user unfollows it (204) and ${then}`, async () => {
        const turned = w.places[privacy].turned.id;
        expect(await followerCount(turned)).toBe(3);
        const unfollow = () => send('DELETE', { url: `/v5/boards/${turned}/follow` }, 'other');
        expect((await unfollow()).statusCode).toBe(204);
        expect(await followerCount(turned)).toBe(2);
        const again = await unfollow();
        if (privacy === 'PUBLIC') {
          expect(again.statusCode).toBe(204);
          return;
        }
        const missing = await send('DELETE', { url: `/v5/boards/${MISSING_ID}/follow` }, 'other');
        expect([again.statusCode, again.body]).toEqual([404, missing.body]);
        const refollow = await send('POST', { url: `/v5/boards/${turned}/follow` }, 'other');
        expect(refollow.statusCode).toBe(404);
      });
    }
  });
});
