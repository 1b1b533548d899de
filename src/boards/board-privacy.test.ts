// Who gets what on every board route: owner, editor, viewer collaborator, another user and an
// anonymous caller, against PUBLIC, PROTECTED and SECRET boards. Hidden boards answer 404 (never
// 403) to people who may not see them; people who see a board but may not change it get 403.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp, type TestUser } from '../../test/support/test-app.js';
import { assertMatchesV5 } from '../../test/support/contract.js';
import type { BoardPrivacy } from '../platform/db/schema.js';

type Role = 'owner' | 'editor' | 'viewer' | 'other' | 'anonymous';
const ROLES: readonly Role[] = ['owner', 'editor', 'viewer', 'other', 'anonymous'];
const PRIVACIES: readonly BoardPrivacy[] = ['PUBLIC', 'PROTECTED', 'SECRET'];

/** The status for a route that reads the board. */
function readStatus(role: Role, privacy: BoardPrivacy, ok = 200): number {
  if (role === 'anonymous') return 401;
  if (role === 'other') return privacy === 'PUBLIC' ? ok : 404;
  return ok;
}

/** The status for a route that needs `allowed` roles among those who can read the board. */
function writeStatus(role: Role, privacy: BoardPrivacy, allowed: readonly Role[], ok: number): number {
  const read = readStatus(role, privacy);
  if (read !== 200) return read;
  return allowed.includes(role) ? ok : 403;
}

describe('board privacy matrix', () => {
  let t: TestApp;
  const users = {} as Record<Exclude<Role, 'anonymous'>, TestUser>;
  const boards = {} as Record<BoardPrivacy, string>;

  const as = (role: Role) => (role === 'anonymous' ? null : users[role]);

  beforeAll(async () => {
    t = await createTestApp();
    users.owner = await t.signUp('owner');
    users.editor = await t.signUp('editor');
    users.viewer = await t.signUp('viewer');
    users.other = await t.signUp('other');
    await t.signUp('invitee');
    for (const privacy of PRIVACIES) {
      const created = await t.request({ method: 'POST', url: '/v5/boards', payload: { name: `board ${privacy}`, privacy }, as: users.owner });
      expect(created.statusCode).toBe(201);
      const id = created.json<{ id: string }>().id;
      boards[privacy] = id;
      for (const role of ['editor', 'viewer'] as const) {
        const invited = await t.request({
          method: 'POST',
          url: `/v5/boards/${id}/collaborators`,
          payload: { username: role, role },
          as: users.owner,
        });
        expect(invited.statusCode).toBe(201);
      }
    }
  });
  afterAll(async () => t.close());

  interface Case {
    name: string;
    method: 'GET' | 'POST' | 'PATCH' | 'DELETE';
    url: (boardId: string, role: Role) => string;
    v5Path?: string;
    payload?: (role: Role, privacy: BoardPrivacy) => Record<string, unknown>;
    expected: (role: Role, privacy: BoardPrivacy) => number;
  }

  const cases: Case[] = [
    { name: 'get board', method: 'GET', url: (id) => `/v5/boards/${id}`, v5Path: '/boards/{board_id}', expected: (r, p) => readStatus(r, p) },
    {
      name: 'list sections',
      method: 'GET',
      url: (id) => `/v5/boards/${id}/sections`,
      v5Path: '/boards/{board_id}/sections',
      expected: (r, p) => readStatus(r, p),
    },
    {
      name: 'create section',
      method: 'POST',
      url: (id) => `/v5/boards/${id}/sections`,
      v5Path: '/boards/{board_id}/sections',
      payload: (role) => ({ name: `by ${role}` }),
      expected: (r, p) => writeStatus(r, p, ['owner', 'editor'], 201),
    },
    { name: 'list collaborators', method: 'GET', url: (id) => `/v5/boards/${id}/collaborators`, expected: (r, p) => readStatus(r, p) },
    {
      name: 'invite collaborator',
      method: 'POST',
      url: (id) => `/v5/boards/${id}/collaborators`,
      payload: () => ({ username: 'invitee', role: 'viewer' }),
      expected: (r, p) => writeStatus(r, p, ['owner'], 201),
    },
    {
      name: 'change a role',
      method: 'PATCH',
      url: (id) => `/v5/boards/${id}/collaborators/viewer`,
      payload: () => ({ role: 'viewer' }),
      expected: (r, p) => writeStatus(r, p, ['owner'], 200),
    },
    {
      name: 'follow',
      method: 'POST',
      url: (id) => `/v5/boards/${id}/follow`,
      expected: (r, p) => (r === 'owner' ? 400 : readStatus(r, p)),
    },
    {
      name: 'unfollow',
      method: 'DELETE',
      url: (id) => `/v5/boards/${id}/follow`,
      expected: (r, p) => readStatus(r, p, 204),
    },
    {
      name: 'update board',
      method: 'PATCH',
      url: (id) => `/v5/boards/${id}`,
      v5Path: '/boards/{board_id}',
      payload: () => ({ description: 'changed' }),
      expected: (r, p) => writeStatus(r, p, ['owner'], 200),
    },
  ];

  for (const c of cases) {
    it(`${c.name}: who gets what`, async () => {
      const got: string[] = [];
      const want: string[] = [];
      // The owner last, so an owner-only write happens after the others tried.
      for (const role of [...ROLES].reverse()) {
        for (const privacy of PRIVACIES) {
          const reply = await t.request({
            method: c.method,
            url: c.url(boards[privacy], role),
            as: as(role),
            ...(c.payload ? { payload: c.payload(role, privacy) } : {}),
          });
          got.push(`${role} ${privacy} ${reply.statusCode}`);
          want.push(`${role} ${privacy} ${c.expected(role, privacy)}`);
          if (c.v5Path) assertMatchesV5(c.method, c.v5Path, reply.statusCode, reply.body === '' ? '' : reply.json());
          if (reply.statusCode === 404) expect(reply.json<{ code: number }>().code).toBe(40);
        }
      }
      expect(got).toEqual(want);
    });
  }

  it('lists a board only for its owner and collaborators', async () => {
    for (const role of ['owner', 'editor', 'viewer', 'other'] as const) {
      const reply = await t.request({ method: 'GET', url: '/v5/boards?page_size=250', as: users[role] });
      assertMatchesV5('GET', '/boards', reply.statusCode, reply.json());
      const ids = reply.json<{ items: { id: string }[] }>().items.map((item) => item.id);
      for (const privacy of PRIVACIES) {
        expect(ids.includes(boards[privacy]), `${role} ${privacy}`).toBe(role !== 'other');
      }
    }
    const other = await t.request({ method: 'GET', url: '/v5/boards', as: users.other });
    expect(other.json()).toEqual({ items: [], bookmark: null });
  });

  it("counts only PUBLIC boards in other people's view of the owner", async () => {
    const stranger = await t.signUp('counter');
    const profile = await t.request({ method: 'GET', url: '/v5/users/owner', as: stranger });
    expect(profile.json<{ board_count: number }>().board_count).toBe(1);
    const own = await t.request({ method: 'GET', url: '/v5/user_account', as: users.owner });
    expect(own.json<{ board_count: number }>().board_count).toBe(3);
  });

  it('hides SECRET boards from tokens without boards:read_secret, even the owner and editors', async () => {
    const tokenFor = async (username: string, scope: string) => {
      const reply = await t.request({
        method: 'POST',
        url: '/v5/oauth/token',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        payload: new URLSearchParams({ grant_type: 'password', username, password: `pw-${username}-secret`, scope }).toString(),
      });
      return reply.json<{ access_token: string }>().access_token;
    };
    for (const username of ['owner', 'editor']) {
      const narrow = await tokenFor(username, 'boards:read,boards:write');
      for (const privacy of PRIVACIES) {
        const reply = await t.request({ method: 'GET', url: `/v5/boards/${boards[privacy]}`, as: narrow });
        expect(reply.statusCode, `${username} ${privacy}`).toBe(privacy === 'SECRET' ? 404 : 200);
        const sections = await t.request({ method: 'GET', url: `/v5/boards/${boards[privacy]}/sections`, as: narrow });
        expect(sections.statusCode, `${username} ${privacy} sections`).toBe(privacy === 'SECRET' ? 404 : 200);
      }
      const list = await t.request({ method: 'GET', url: '/v5/boards', as: narrow });
      const ids = list.json<{ items: { id: string }[] }>().items.map((item) => item.id);
      expect(ids).not.toContain(boards.SECRET);
      expect(ids).toContain(boards.PROTECTED);
    }
    // Reading secret content is not enough to change it: writes need boards:write_secret.
    const readSecret = await tokenFor('owner', 'boards:read,boards:write,boards:read_secret');
    const update = await t.request({ method: 'PATCH', url: `/v5/boards/${boards.SECRET}`, payload: { name: 'x' }, as: readSecret });
    expect(update.statusCode).toBe(403);
    const editorRead = await tokenFor('editor', 'boards:read,boards:write,boards:read_secret');
    const section = await t.request({ method: 'POST', url: `/v5/boards/${boards.SECRET}/sections`, payload: { name: 'nope' }, as: editorRead });
    expect(section.statusCode).toBe(403);
  });

  it('deletes: only the owner, hidden boards answer 404 to others', async () => {
    const got: string[] = [];
    const want: string[] = [];
    for (const role of [...ROLES].reverse()) {
      for (const privacy of PRIVACIES) {
        const reply = await t.request({ method: 'DELETE', url: `/v5/boards/${boards[privacy]}`, as: as(role) });
        assertMatchesV5('DELETE', '/boards/{board_id}', reply.statusCode, reply.body === '' ? '' : reply.json());
        got.push(`${role} ${privacy} ${reply.statusCode}`);
        const expected = writeStatus(role, privacy, ['owner'], 204);
        want.push(`${role} ${privacy} ${expected}`);
      }
    }
    expect(got).toEqual(want);
  });
});
