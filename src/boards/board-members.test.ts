// Collaborators and board follows (extensions; no v5 operation to check them against, so the
// shapes are asserted directly).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp, type TestUser } from '../../test/support/test-app.js';
import { assertMatchesV5 } from '../../test/support/contract.js';

interface Collaborator {
  user: { id: string; username: string };
  role: 'viewer' | 'editor';
  created_at: string;
}
interface CollaboratorList {
  items: Collaborator[];
  bookmark: string | null;
}

describe('board collaborators and follows', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp();
  });
  afterAll(async () => t.close());

  async function newBoard(owner: TestUser, name: string, privacy = 'PUBLIC') {
    const reply = await t.request({ method: 'POST', url: '/v5/boards', payload: { name, privacy }, as: owner });
    expect(reply.statusCode).toBe(201);
    return reply.json<{ id: string }>().id;
  }

  async function board(boardId: string, as: TestUser) {
    const reply = await t.request({ method: 'GET', url: `/v5/boards/${boardId}`, as });
    return { status: reply.statusCode, body: reply.json<{ collaborator_count: number; follower_count: number }>() };
  }

  async function storedRows(table: 'board_collaborators' | 'board_follows', boardId: string) {
    const row = await t.container.db
      .selectFrom(table)
      .select((eb) => eb.fn.countAll<string>().as('n'))
      .where('board_id', '=', boardId)
      .executeTakeFirstOrThrow();
    return Number(row.n);
  }

  const invite = (boardId: string, as: TestUser, payload: Record<string, unknown>) =>
    t.request({ method: 'POST', url: `/v5/boards/${boardId}/collaborators`, payload, as });

  describe('collaborators', () => {
    it('invites, re-invites with another role, lists with bookmarks, changes roles and removes', async () => {
      const own = await t.signUp('cora');
      const [a, b, c] = [await t.signUp('col_a'), await t.signUp('col_b'), await t.signUp('col_c')];
      const boardId = await newBoard(own, 'Group board', 'PROTECTED');

      const first = await invite(boardId, own, { username: 'col_a', role: 'viewer' });
      expect(first.statusCode).toBe(201);
      const firstBody = first.json<Collaborator>();
      expect(firstBody).toMatchObject({ user: { id: a.id, username: 'col_a' }, role: 'viewer' });
      expect(Date.parse(firstBody.created_at)).not.toBeNaN();
      // Inviting again changes the role; it is still one collaborator.
      const again = await invite(boardId, own, { username: 'COL_A', role: 'editor' });
      expect(again.statusCode).toBe(200);
      expect(again.json<Collaborator>().role).toBe('editor');
      expect((await board(boardId, own)).body.collaborator_count).toBe(1);

      expect((await invite(boardId, own, { username: 'col_b', role: 'viewer' })).statusCode).toBe(201);
      expect((await invite(boardId, own, { username: 'col_c', role: 'editor' })).statusCode).toBe(201);
      expect((await board(boardId, own)).body.collaborator_count).toBe(3);

      // Collaborators see the list too, in the order people joined.
      const page1 = await t.request({ method: 'GET', url: `/v5/boards/${boardId}/collaborators?page_size=2`, as: b });
      expect(page1.statusCode).toBe(200);
      const body1 = page1.json<CollaboratorList>();
      expect(body1.items.map((item) => item.user.username)).toEqual(['col_a', 'col_b']);
      expect(body1.bookmark).not.toBeNull();
      const page2 = await t.request({ method: 'GET', url: `/v5/boards/${boardId}/collaborators?page_size=2&bookmark=${body1.bookmark}`, as: b });
      expect(page2.json<CollaboratorList>()).toMatchObject({ items: [{ user: { id: c.id, username: 'col_c' }, role: 'editor' }], bookmark: null });

      const demoted = await t.request({ method: 'PATCH', url: `/v5/boards/${boardId}/collaborators/col_c`, payload: { role: 'viewer' }, as: own });
      expect(demoted.statusCode).toBe(200);
      expect(demoted.json<Collaborator>().role).toBe('viewer');
      // A demoted editor may no longer add sections.
      const section = await t.request({ method: 'POST', url: `/v5/boards/${boardId}/sections`, payload: { name: 'x' }, as: c });
      expect(section.statusCode).toBe(403);
      assertMatchesV5('POST', '/boards/{board_id}/sections', 403, section.json());

      const removed = await t.request({ method: 'DELETE', url: `/v5/boards/${boardId}/collaborators/col_c`, as: own });
      expect(removed.statusCode).toBe(204);
      expect(removed.body).toBe('');
      // Removed from a PROTECTED board, they can no longer see it at all.
      expect((await board(boardId, c)).status).toBe(404);
      const left = await t.request({ method: 'DELETE', url: `/v5/boards/${boardId}/collaborators/col_b`, as: b });
      expect(left.statusCode).toBe(204);
      expect((await board(boardId, own)).body.collaborator_count).toBe(1);
      expect(await storedRows('board_collaborators', boardId)).toBe(1);

      const emptyList = await t.request({ method: 'GET', url: `/v5/boards/${boardId}/collaborators`, as: own });
      expect(emptyList.json<CollaboratorList>().items).toHaveLength(1);
    });

    it('refuses with clear codes: the owner, unknown users, bad roles, non-collaborators, others', async () => {
      const own = await t.signUp('dora');
      const mate = await t.signUp('mate');
      const outsider = await t.signUp('outsider');
      const boardId = await newBoard(own, 'Refusals');
      expect((await invite(boardId, own, { username: 'mate', role: 'editor' })).statusCode).toBe(201);

      const self = await invite(boardId, own, { username: 'dora', role: 'editor' });
      expect(self.statusCode).toBe(400);
      expect(self.json()).toEqual({ code: 4112, message: "The board's owner cannot be invited as a collaborator." });
      const unknown = await invite(boardId, own, { username: 'nobody_at_all', role: 'editor' });
      expect(unknown.statusCode).toBe(404);
      expect(unknown.json<{ code: number }>().code).toBe(30);
      for (const payload of [{ username: 'outsider' }, { username: 'outsider', role: 'owner' }, { username: 'outsider', role: 'viewer', x: 1 }]) {
        const reply = await invite(boardId, own, payload);
        expect(reply.statusCode, JSON.stringify(payload)).toBe(400);
        expect(reply.json<{ code: number }>().code).toBe(1);
      }
      // Editors cannot invite; only the owner manages collaborators.
      const byEditor = await invite(boardId, mate, { username: 'outsider', role: 'viewer' });
      expect(byEditor.statusCode).toBe(403);
      expect(byEditor.json<{ code: number }>().code).toBe(29);

      const notCollaborator = await t.request({ method: 'PATCH', url: `/v5/boards/${boardId}/collaborators/outsider`, payload: { role: 'viewer' }, as: own });
      expect(notCollaborator.statusCode).toBe(404);
      expect(notCollaborator.json()).toEqual({ code: 4110, message: 'That user is not a collaborator on this board.' });
      const removeUnknown = await t.request({ method: 'DELETE', url: `/v5/boards/${boardId}/collaborators/nobody_at_all`, as: own });
      expect(removeUnknown.statusCode).toBe(404);
      expect(removeUnknown.json<{ code: number }>().code).toBe(4110);

      const outsiderRemoves = await t.request({ method: 'DELETE', url: `/v5/boards/${boardId}/collaborators/mate`, as: outsider });
      expect(outsiderRemoves.statusCode).toBe(403);
      const editorRoleChange = await t.request({ method: 'PATCH', url: `/v5/boards/${boardId}/collaborators/mate`, payload: { role: 'editor' }, as: mate });
      expect(editorRoleChange.statusCode).toBe(403);
      expect(await storedRows('board_collaborators', boardId)).toBe(1);

      const badBookmark = await t.request({ method: 'GET', url: `/v5/boards/${boardId}/collaborators?bookmark=zzz`, as: own });
      expect(badBookmark.statusCode).toBe(400);
      expect(badBookmark.json<{ code: number }>().code).toBe(4001);
    });

    it('counts one collaborator for ten concurrent invitations of the same person', async () => {
      const own = await t.signUp('ella');
      await t.signUp('popular');
      const boardId = await newBoard(own, 'Busy');
      const replies = await Promise.all(Array.from({ length: 10 }, () => invite(boardId, own, { username: 'popular', role: 'editor' })));
      expect(replies.map((reply) => reply.statusCode).sort()).toEqual([200, 200, 200, 200, 200, 200, 200, 200, 200, 201]);
      expect(await storedRows('board_collaborators', boardId)).toBe(1);
      expect((await board(boardId, own)).body.collaborator_count).toBe(1);
      const removals = await Promise.all(
        Array.from({ length: 5 }, () => t.request({ method: 'DELETE', url: `/v5/boards/${boardId}/collaborators/popular`, as: own })),
      );
      expect(removals.map((reply) => reply.statusCode).sort()).toEqual([204, 404, 404, 404, 404]);
      expect((await board(boardId, own)).body.collaborator_count).toBe(0);
    });
  });

  describe('follows', () => {
    it('follows once however often asked, unfollows idempotently, and refuses your own board', async () => {
      const own = await t.signUp('fern');
      const fan = await t.signUp('fan');
      const boardId = await newBoard(own, 'Followed');

      for (let i = 0; i < 2; i += 1) {
        const follow = await t.request({ method: 'POST', url: `/v5/boards/${boardId}/follow`, as: fan });
        expect(follow.statusCode).toBe(200);
        assertMatchesV5('GET', '/boards/{board_id}', 200, follow.json());
        expect(follow.json<{ id: string; follower_count: number }>()).toMatchObject({ id: boardId, follower_count: 1 });
      }
      expect(await storedRows('board_follows', boardId)).toBe(1);

      const ownFollow = await t.request({ method: 'POST', url: `/v5/boards/${boardId}/follow`, as: own });
      expect(ownFollow.statusCode).toBe(400);
      expect(ownFollow.json()).toEqual({ code: 4111, message: 'You cannot follow your own board.' });

      for (let i = 0; i < 2; i += 1) {
        const unfollow = await t.request({ method: 'DELETE', url: `/v5/boards/${boardId}/follow`, as: fan });
        expect(unfollow.statusCode).toBe(204);
      }
      expect((await board(boardId, own)).body.follower_count).toBe(0);
      expect(await storedRows('board_follows', boardId)).toBe(0);
    });

    it('counts one follow for ten concurrent follows by the same user, and zero after ten unfollows', async () => {
      const own = await t.signUp('gail');
      const fan = await t.signUp('eager_fan');
      const boardId = await newBoard(own, 'Hot');
      const follows = await Promise.all(
        Array.from({ length: 10 }, () => t.request({ method: 'POST', url: `/v5/boards/${boardId}/follow`, as: fan })),
      );
      expect(follows.every((reply) => reply.statusCode === 200)).toBe(true);
      expect(await storedRows('board_follows', boardId)).toBe(1);
      expect((await board(boardId, own)).body.follower_count).toBe(1);
      const unfollows = await Promise.all(
        Array.from({ length: 10 }, () => t.request({ method: 'DELETE', url: `/v5/boards/${boardId}/follow`, as: fan })),
      );
      expect(unfollows.every((reply) => reply.statusCode === 204)).toBe(true);
      expect(await storedRows('board_follows', boardId)).toBe(0);
      expect((await board(boardId, own)).body.follower_count).toBe(0);
    });

    it('lets a follower unfollow a board that has become hidden from them, and nobody else learn of it', async () => {
      const own = await t.signUp('hana');
      const fan = await t.signUp('old_fan');
      const stranger = await t.signUp('curious');
      const boardId = await newBoard(own, 'Soon secret');
      expect((await t.request({ method: 'POST', url: `/v5/boards/${boardId}/follow`, as: fan })).statusCode).toBe(200);
      await t.request({ method: 'PATCH', url: `/v5/boards/${boardId}`, payload: { privacy: 'SECRET' }, as: own });
      const followHidden = await t.request({ method: 'POST', url: `/v5/boards/${boardId}/follow`, as: stranger });
      expect(followHidden.statusCode).toBe(404);
      const strangerUnfollow = await t.request({ method: 'DELETE', url: `/v5/boards/${boardId}/follow`, as: stranger });
      expect(strangerUnfollow.statusCode).toBe(404);
      const unfollow = await t.request({ method: 'DELETE', url: `/v5/boards/${boardId}/follow`, as: fan });
      expect(unfollow.statusCode).toBe(204);
      expect(await storedRows('board_follows', boardId)).toBe(0);
      const own_view = await board(boardId, own);
      expect(own_view.body.follower_count).toBe(0);
    });

    it('drops follows and collaborators with the board', async () => {
      const own = await t.signUp('ivan');
      const fan = await t.signUp('ivan_fan');
      await t.signUp('ivan_mate');
      const boardId = await newBoard(own, 'Short lived');
      await t.request({ method: 'POST', url: `/v5/boards/${boardId}/follow`, as: fan });
      await invite(boardId, own, { username: 'ivan_mate', role: 'editor' });
      expect((await t.request({ method: 'DELETE', url: `/v5/boards/${boardId}`, as: own })).statusCode).toBe(204);
      expect(await storedRows('board_follows', boardId)).toBe(0);
      expect(await storedRows('board_collaborators', boardId)).toBe(0);
      const follow = await t.request({ method: 'POST', url: `/v5/boards/${boardId}/follow`, as: fan });
      expect(follow.statusCode).toBe(404);
    });
  });
});
