// Who can do what with a pin, for every kind of person and every board privacy. A PROTECTED or
// SECRET board's pins do not exist (404) for anyone but its owner and collaborators; people who can
// see a pin but not change it get 403.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp, type TestUser } from '../../test/support/test-app.js';
import { assertMatchesV5 } from '../../test/support/contract.js';
import type { BoardPrivacy } from '../platform/db/schema.js';
import type { PinBody } from './pin.schemas.js';
import { addCollaborator, createPin, makeBoard, makeSection } from './pin-test-support.js';

type Actor = 'owner' | 'ownerWithoutSecretScopes' | 'editor' | 'viewer' | 'other' | 'anonymous';
const ACTORS: Actor[] = ['owner', 'ownerWithoutSecretScopes', 'editor', 'viewer', 'other', 'anonymous'];
const PRIVACIES: BoardPrivacy[] = ['PUBLIC', 'PROTECTED', 'SECRET'];

interface Fixture {
  board: string;
  section: string;
  pin: PinBody;
}

/** What each actor should get, by privacy, for an operation on the owner's pin. */
function expected(actor: Actor, privacy: BoardPrivacy, allowed: number, forbiddenIfVisible: number): number {
  if (actor === 'anonymous') return 401;
  const member = actor === 'owner' || actor === 'editor' || actor === 'viewer' || actor === 'ownerWithoutSecretScopes';
  const canSee = privacy === 'PUBLIC' || (member && !(privacy === 'SECRET' && actor === 'ownerWithoutSecretScopes'));
  if (!canSee) return 404;
  const isOwner = actor === 'owner' || actor === 'ownerWithoutSecretScopes';
  return isOwner ? allowed : forbiddenIfVisible;
}

describe('pin privacy matrix', () => {
  let t: TestApp;
  let users: Record<Exclude<Actor, 'anonymous'>, TestUser>;
  let saveBoards: Record<string, string>;
  const fixtures = {} as Record<BoardPrivacy, Fixture>;

  beforeAll(async () => {
    t = await createTestApp();
    const owner = await t.signUp('owner');
    users = {
      owner,
      ownerWithoutSecretScopes: { ...owner, token: await tokenWithout(t, 'owner', ['boards:read_secret', 'pins:read_secret', 'boards:write_secret', 'pins:write_secret']) },
      editor: await t.signUp('editor'),
      viewer: await t.signUp('viewer'),
      other: await t.signUp('other'),
    };
    saveBoards = {};
    for (const name of ['owner', 'editor', 'viewer', 'other'] as const) {
      saveBoards[users[name].id] = await makeBoard(t, users[name], `${name} saves`);
    }
    for (const privacy of PRIVACIES) {
      const board = await makeBoard(t, owner, `Board ${privacy}`, privacy);
      const section = await makeSection(t, owner, board, 'Section');
      await addCollaborator(t, owner, board, users.editor, 'editor');
      await addCollaborator(t, owner, board, users.viewer, 'viewer');
      fixtures[privacy] = { board, section, pin: await createPin(t, owner, board, { board_section_id: section, title: 'Owned' }) };
    }
  });
  afterAll(async () => t.close());

  const as = (actor: Actor) => (actor === 'anonymous' ? null : users[actor]);

  function check(method: string, template: string, status: number, body: unknown): void {
    if (status === 204) assertMatchesV5(method, template, status, body === '' ? undefined : body);
    else assertMatchesV5(method, template, status, JSON.parse(body as string));
  }

  for (const privacy of PRIVACIES) {
    describe(privacy, () => {
      it.each(ACTORS)('GET pin, board pins and section pins as %s', async (actor) => {
        const { board, section, pin } = fixtures[privacy];
        const want = expected(actor, privacy, 200, 200);
        const requests: Array<[string, string]> = [
          [`/v5/pins/${pin.id}`, '/pins/{pin_id}'],
          [`/v5/boards/${board}/pins`, '/boards/{board_id}/pins'],
          [`/v5/boards/${board}/sections/${section}/pins`, '/boards/{board_id}/sections/{section_id}/pins'],
        ];
        for (const [url, template] of requests) {
          const res = await t.request({ method: 'GET', url, as: as(actor) });
          expect(res.statusCode, `${actor} ${url}`).toBe(want);
          check('GET', template, res.statusCode, res.body);
          if (want === 404) expect(res.json<{ code: number }>().code).toBe(url.startsWith('/v5/pins') ? 50 : 40);
          if (want === 200 && template !== '/pins/{pin_id}') {
            expect(res.json<{ items: PinBody[] }>().items.map((item) => item.id)).toContain(pin.id);
          }
        }
      });

      it.each(ACTORS)('save as %s', async (actor) => {
        const { pin } = fixtures[privacy];
        const user = as(actor);
        const target = user ? saveBoards[user.id] : saveBoards[users.other.id];
        const res = await t.request({ method: 'POST', url: `/v5/pins/${pin.id}/save`, as: user, payload: { board_id: target } });
        // Anyone who can see a PUBLIC pin may save it onto a board of their own; a hidden board's pin
        // only its owner (collaborators would take it out of the board's audience: 403, code 4032).
        const want = expected(actor, privacy, 201, privacy === 'PUBLIC' ? 201 : 403);
        expect(res.statusCode, res.body).toBe(want);
        check('POST', '/pins/{pin_id}/save', res.statusCode, res.body);
        if (want === 404) expect(res.json<{ code: number }>().code).toBe(50);
        if (want === 403) expect(res.json<{ code: number }>().code).toBe(4032);
      });

      it.each(ACTORS)('update as %s', async (actor) => {
        const { pin } = fixtures[privacy];
        const res = await t.request({ method: 'PATCH', url: `/v5/pins/${pin.id}`, as: as(actor), payload: { title: `By ${actor}` } });
        expect(res.statusCode, res.body).toBe(expected(actor, privacy, 200, 403));
        check('PATCH', '/pins/{pin_id}', res.statusCode, res.body);
      });

      it.each(ACTORS)('delete as %s', async (actor) => {
        const { board, section } = fixtures[privacy];
        const victim = await createPin(t, users.owner, board, { board_section_id: section });
        const res = await t.request({ method: 'DELETE', url: `/v5/pins/${victim.id}`, as: as(actor) });
        const want = expected(actor, privacy, 204, 403);
        expect(res.statusCode, res.body).toBe(want);
        check('DELETE', '/pins/{pin_id}', res.statusCode, res.body);
        const stillThere = await t.container.repositories.pins.findById(victim.id);
        expect(Boolean(stillThere)).toBe(want !== 204);
      });

      it('lets an editor pin, edit and delete their own pins and the owner remove them; a viewer cannot pin', async () => {
        const { board, section } = fixtures[privacy];
        const editorPin = await createPin(t, users.editor, board);
        expect(editorPin.is_owner).toBe(true);
        expect(editorPin.board_owner.username).toBe('owner');
        const moved = await t.request({
          method: 'PATCH',
          url: `/v5/pins/${editorPin.id}`,
          as: users.editor,
          payload: { title: 'Mine', board_section_id: section },
        });
        expect(moved.statusCode, moved.body).toBe(200);
        expect(moved.json<PinBody>()).toMatchObject({ title: 'Mine', board_section_id: section });
        const byOwner = await t.request({ method: 'DELETE', url: `/v5/pins/${editorPin.id}`, as: users.owner });
        expect(byOwner.statusCode).toBe(204);
        const ownDelete = await createPin(t, users.editor, board);
        expect((await t.request({ method: 'DELETE', url: `/v5/pins/${ownDelete.id}`, as: users.editor })).statusCode).toBe(204);

        const byViewer = await t.request({
          method: 'POST',
          url: '/v5/pins',
          as: users.viewer,
          payload: { board_id: board, parent_pin_id: fixtures[privacy].pin.id },
        });
        expect(byViewer.statusCode).toBe(403);
        // Nor may a viewer move a pin onto the board.
        const viewerPin = await createPin(t, users.viewer, saveBoards[users.viewer.id]!);
        const move = await t.request({ method: 'PATCH', url: `/v5/pins/${viewerPin.id}`, as: users.viewer, payload: { board_id: board } });
        expect(move.statusCode).toBe(403);
      });

      it('does not let an outsider move their pin onto the board', async () => {
        const { board } = fixtures[privacy];
        const outsiderPin = await createPin(t, users.other, saveBoards[users.other.id]!);
        const res = await t.request({ method: 'PATCH', url: `/v5/pins/${outsiderPin.id}`, as: users.other, payload: { board_id: board } });
        expect(res.statusCode).toBe(privacy === 'PUBLIC' ? 403 : 404);
        check('PATCH', '/pins/{pin_id}', res.statusCode, res.body);
      });
    });
  }

  it('keeps pin counts exact through the matrix', async () => {
    for (const privacy of PRIVACIES) {
      const { board } = fixtures[privacy];
      const [row, actual] = await Promise.all([
        t.container.db.selectFrom('boards').select('pin_count').where('id', '=', board).executeTakeFirstOrThrow(),
        t.container.db.selectFrom('pins').select((eb) => eb.fn.countAll<string>().as('n')).where('board_id', '=', board).executeTakeFirstOrThrow(),
      ]);
      expect(row.pin_count, privacy).toBe(Number(actual.n));
    }
    for (const user of [users.owner, users.editor, users.viewer, users.other]) {
      const account = await t.container.db.selectFrom('users').select(['pin_count', 'public_pin_count']).where('id', '=', user.id).executeTakeFirstOrThrow();
      const all = await t.container.db
        .selectFrom('pins')
        .innerJoin('boards', 'boards.id', 'pins.board_id')
        .select([(eb) => eb.fn.countAll<string>().as('n'), (eb) => eb.fn.sum<string>(eb.case().when('boards.privacy', '=', 'PUBLIC').then(1).else(0).end()).as('public')])
        .where('pins.owner_id', '=', user.id)
        .executeTakeFirstOrThrow();
      expect([account.pin_count, account.public_pin_count], user.username).toEqual([Number(all.n), Number(all.public ?? 0)]);
    }
  });
});

async function tokenWithout(t: TestApp, username: string, excluded: string[]): Promise<string> {
  const { V5_SCOPES } = await import('../platform/http/viewer.js');
  const scope = V5_SCOPES.filter((s) => !excluded.includes(s)).join(',');
  const res = await t.request({
    method: 'POST',
    url: '/v5/oauth/token',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    payload: new URLSearchParams({ grant_type: 'password', username, password: `pw-${username}-secret`, scope }).toString(),
  });
  if (res.statusCode !== 200) throw new Error(res.body);
  return res.json<{ access_token: string }>().access_token;
}
