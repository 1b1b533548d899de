// The object routes of the privacy matrix and who may do what on them. One rule decides each route's
// expected status for every role and board privacy:
// - anonymous callers get 401 everywhere;
// - whoever may not see the board (another user or a former collaborator on PROTECTED/SECRET; a
//   member's token without the *_secret scopes on SECRET) gets 404 with the entity's not-found body,
//   never 403;
// - among those who see it: everyone reads, owner and editor contribute, only the owner manages (403
//   for the rest); a pin of a PROTECTED or SECRET board is saved onto another board by the board's
//   owner only among these roles (403, code 4032, for the rest), since a copy elsewhere would leave
//   the board's audience.
import { expect } from 'vitest';
import { createBoard, createPin, createSection, imageSource, inviteCollaborator, type V5Body } from '../support/fixtures.js';
import { MISSING_ID, type Privacy, type PrivacyWorld, type Role } from './privacy-world.js';

export type Rule = 'read' | 'saveElsewhere' | 'contribute' | 'manage' | 'follow' | 'unfollow';
type Method = 'GET' | 'POST' | 'PATCH' | 'DELETE';

export interface Req {
  url: string;
  payload?: object;
}

export interface RouteSpec {
  /** 'METHOD /v5/...' as the matrix names it. */
  route: string;
  method: Method;
  /** Pinterest's path template, when the operation is in Pinterest's file (bodies are then checked against it). */
  v5Path?: string;
  rule: Rule;
  /** The status of a permitted call. */
  ok: number;
  /** Which entity a hidden board hides on this route: its not-found code is the one to answer. */
  hides: 'board' | 'pin';
  /** The request naming the place's real entity (destructive routes make a fresh one each time). */
  request(w: PrivacyWorld, privacy: Privacy, role: Role): Req | Promise<Req>;
  /** The same request naming an entity that does not exist. */
  missing(w: PrivacyWorld, privacy: Privacy, role: Role): Req | Promise<Req>;
  /** Extra checks on a permitted call's body. */
  check?(body: V5Body, w: PrivacyWorld, privacy: Privacy, role: Role): void | Promise<void>;
}

export const NOT_FOUND_CODE = { board: 40, pin: 50 } as const;
/** The code of a 403 by rule: FORBIDDEN (29), or PIN_SAVE_NOT_ALLOWED for saves out of a hidden board. */
export const FORBIDDEN_CODE: Record<Rule, number> = { read: 29, saveElsewhere: 4032, contribute: 29, manage: 29, follow: 29, unfollow: 29 };

const isOwner = (role: Role) => role === 'owner' || role === 'ownerNoSecret';
const isEditor = (role: Role) => role === 'editor' || role === 'editorNoSecret';
const withoutSecretScopes = (role: Role) => role === 'ownerNoSecret' || role === 'editorNoSecret';

/** Whether `role` may know the board exists. */
export function sees(role: Role, privacy: Privacy): boolean {
  if (role === 'anonymous') return false;
  if (privacy === 'PUBLIC') return true;
  if (role === 'other' || role === 'former') return false;
  return !(privacy === 'SECRET' && withoutSecretScopes(role));
}

export function expectedStatus(rule: Rule, ok: number, role: Role, privacy: Privacy): number {
  if (role === 'anonymous') return 401;
  if (!sees(role, privacy)) return 404;
  switch (rule) {
    case 'read':
    case 'unfollow':
      return ok;
    case 'saveElsewhere':
      return privacy === 'PUBLIC' || isOwner(role) ? ok : 403;
    case 'contribute':
      return isOwner(role) || isEditor(role) ? ok : 403;
    case 'manage':
      return isOwner(role) ? ok : 403;
    case 'follow':
      return isOwner(role) ? 400 : ok;
  }
}

const boardUrl = (w: PrivacyWorld, p: Privacy) => `/v5/boards/${w.places[p].board.id}`;
const MISSING_BOARD = `/v5/boards/${MISSING_ID}`;

/** A fresh board of `privacy` with the usual collaborators, for a row that may delete it. */
async function freshBoard(w: PrivacyWorld, privacy: Privacy, role: Role): Promise<string> {
  const board = await createBoard(w.t, w.owner, { name: `Doomed ${privacy} ${role} xyzzy`, privacy });
  await inviteCollaborator(w.t, w.owner, board.id, w.editor, 'editor');
  await inviteCollaborator(w.t, w.owner, board.id, w.viewer, 'viewer');
  return board.id;
}

async function countOf(w: PrivacyWorld, table: 'pins' | 'board_follows', boardId: string): Promise<number> {
  const row = await w.t.container.db
    .selectFrom(table)
    .select((eb) => eb.fn.countAll<string>().as('n'))
    .where('board_id', '=', boardId)
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

export const ROUTES: RouteSpec[] = [
  {
    route: 'GET /v5/boards/{id}',
    method: 'GET',
    v5Path: '/boards/{board_id}',
    rule: 'read',
    ok: 200,
    hides: 'board',
    request: (w, p) => ({ url: boardUrl(w, p) }),
    missing: () => ({ url: MISSING_BOARD }),
    // The board's counts are shown exactly, and only to those who see the board.
    async check(body, w, p) {
      const id = w.places[p].board.id;
      expect(body).toMatchObject({ id, privacy: p, pin_count: await countOf(w, 'pins', id), follower_count: await countOf(w, 'board_follows', id) });
    },
  },
  {
    route: 'PATCH /v5/boards/{id}',
    method: 'PATCH',
    v5Path: '/boards/{board_id}',
    rule: 'manage',
    ok: 200,
    hides: 'board',
    request: (w, p, role) => ({ url: boardUrl(w, p), payload: { description: `plover edited by ${role}` } }),
    missing: (_w, _p, role) => ({ url: MISSING_BOARD, payload: { description: `plover edited by ${role}` } }),
    check: (body, _w, _p, role) => expect(body.description).toBe(`plover edited by ${role}`),
  },
  {
    route: 'DELETE /v5/boards/{id}',
    method: 'DELETE',
    v5Path: '/boards/{board_id}',
    rule: 'manage',
    ok: 204,
    hides: 'board',
    request: async (w, p, role) => ({ url: `/v5/boards/${await freshBoard(w, p, role)}` }),
    missing: () => ({ url: MISSING_BOARD }),
  },
  {
    route: 'GET /v5/boards/{id}/pins',
    method: 'GET',
    v5Path: '/boards/{board_id}/pins',
    rule: 'read',
    ok: 200,
    hides: 'board',
    request: (w, p) => ({ url: `${boardUrl(w, p)}/pins` }),
    missing: () => ({ url: `${MISSING_BOARD}/pins` }),
    check: (body, w, p) => expect(body.items.map((pin) => pin.id)).toEqual(expect.arrayContaining([w.places[p].ownerPin.id, w.places[p].editorPin.id])),
  },
  {
    route: 'GET /v5/boards/{id}/sections',
    method: 'GET',
    v5Path: '/boards/{board_id}/sections',
    rule: 'read',
    ok: 200,
    hides: 'board',
    request: (w, p) => ({ url: `${boardUrl(w, p)}/sections` }),
    missing: () => ({ url: `${MISSING_BOARD}/sections` }),
    check: (body, w, p) => expect(body.items.map((section) => section.id)).toContain(w.places[p].section.id),
  },
  {
    route: 'POST /v5/boards/{id}/sections',
    method: 'POST',
    v5Path: '/boards/{board_id}/sections',
    rule: 'contribute',
    ok: 201,
    hides: 'board',
    request: (w, p, role) => ({ url: `${boardUrl(w, p)}/sections`, payload: { name: `Added by ${role}` } }),
    missing: (_w, _p, role) => ({ url: `${MISSING_BOARD}/sections`, payload: { name: `Added by ${role}` } }),
  },
  {
    route: 'PATCH /v5/boards/{id}/sections/{section_id}',
    method: 'PATCH',
    v5Path: '/boards/{board_id}/sections/{section_id}',
    rule: 'contribute',
    ok: 200,
    hides: 'board',
    request: (w, p, role) => ({ url: `${boardUrl(w, p)}/sections/${w.places[p].renameMe.id}`, payload: { name: `Renamed by ${role}` } }),
    missing: (w, p, role) => ({ url: `${MISSING_BOARD}/sections/${w.places[p].renameMe.id}`, payload: { name: `Renamed by ${role}` } }),
  },
  {
    route: 'DELETE /v5/boards/{id}/sections/{section_id}',
    method: 'DELETE',
    v5Path: '/boards/{board_id}/sections/{section_id}',
    rule: 'contribute',
    ok: 204,
    hides: 'board',
    async request(w, p, role) {
      const section = await createSection(w.t, w.owner, w.places[p].board.id, `Doomed section ${role}`);
      return { url: `${boardUrl(w, p)}/sections/${section.id}` };
    },
    missing: (w, p) => ({ url: `${MISSING_BOARD}/sections/${w.places[p].section.id}` }),
  },
  {
    route: 'GET /v5/boards/{id}/sections/{section_id}/pins',
    method: 'GET',
    v5Path: '/boards/{board_id}/sections/{section_id}/pins',
    rule: 'read',
    ok: 200,
    hides: 'board',
    request: (w, p) => ({ url: `${boardUrl(w, p)}/sections/${w.places[p].section.id}/pins` }),
    missing: (w, p) => ({ url: `${MISSING_BOARD}/sections/${w.places[p].section.id}/pins` }),
    check: (body, w, p) => expect(body.items.map((pin) => pin.id)).toEqual([w.places[p].ownerPin.id]),
  },
  {
    route: 'GET /v5/boards/{id}/collaborators',
    method: 'GET',
    rule: 'read',
    ok: 200,
    hides: 'board',
    request: (w, p) => ({ url: `${boardUrl(w, p)}/collaborators` }),
    missing: () => ({ url: `${MISSING_BOARD}/collaborators` }),
    check: (body, w) =>
      expect(body.items.map((c) => c.user.username)).toEqual(expect.arrayContaining([w.editor.username, w.viewer.username])),
  },
  {
    route: 'POST /v5/boards/{id}/collaborators',
    method: 'POST',
    rule: 'manage',
    ok: 201,
    hides: 'board',
    request: (w, p, role) => ({ url: `${boardUrl(w, p)}/collaborators`, payload: { username: w.invitees[role].username, role: 'viewer' } }),
    missing: (w, _p, role) => ({ url: `${MISSING_BOARD}/collaborators`, payload: { username: w.invitees[role].username, role: 'viewer' } }),
  },
  {
    route: 'POST /v5/boards/{id}/follow',
    method: 'POST',
    rule: 'follow',
    ok: 200,
    hides: 'board',
    request: (w, p) => ({ url: `${boardUrl(w, p)}/follow` }),
    missing: () => ({ url: `${MISSING_BOARD}/follow` }),
  },
  {
    route: 'DELETE /v5/boards/{id}/follow',
    method: 'DELETE',
    rule: 'unfollow',
    ok: 204,
    hides: 'board',
    request: (w, p) => ({ url: `${boardUrl(w, p)}/follow` }),
    missing: () => ({ url: `${MISSING_BOARD}/follow` }),
  },
  {
    route: 'GET /v5/pins/{id}',
    method: 'GET',
    v5Path: '/pins/{pin_id}',
    rule: 'read',
    ok: 200,
    hides: 'pin',
    request: (w, p) => ({ url: `/v5/pins/${w.places[p].ownerPin.id}` }),
    missing: () => ({ url: `/v5/pins/${MISSING_ID}` }),
    check: (body, w, p, role) => expect(body).toMatchObject({ id: w.places[p].ownerPin.id, is_owner: isOwner(role) }),
  },
  {
    route: "GET /v5/pins/{id} (the former editor's own pin)",
    method: 'GET',
    v5Path: '/pins/{pin_id}',
    rule: 'read',
    ok: 200,
    hides: 'pin',
    request: (w, p) => ({ url: `/v5/pins/${w.places[p].formerPin.id}` }),
    missing: () => ({ url: `/v5/pins/${MISSING_ID}` }),
    check: (body, w, p, role) => expect(body).toMatchObject({ id: w.places[p].formerPin.id, is_owner: role === 'former' }),
  },
  {
    route: "PATCH /v5/pins/{id} (the owner's pin)",
    method: 'PATCH',
    v5Path: '/pins/{pin_id}',
    rule: 'manage',
    ok: 200,
    hides: 'pin',
    request: (w, p, role) => ({ url: `/v5/pins/${w.places[p].ownerPin.id}`, payload: { description: `edited by ${role}` } }),
    missing: (_w, _p, role) => ({ url: `/v5/pins/${MISSING_ID}`, payload: { description: `edited by ${role}` } }),
  },
  {
    route: "PATCH /v5/pins/{id} (the editor's pin)",
    method: 'PATCH',
    v5Path: '/pins/{pin_id}',
    rule: 'contribute',
    ok: 200,
    hides: 'pin',
    request: (w, p, role) => ({ url: `/v5/pins/${w.places[p].editorPin.id}`, payload: { description: `edited by ${role}` } }),
    missing: (_w, _p, role) => ({ url: `/v5/pins/${MISSING_ID}`, payload: { description: `edited by ${role}` } }),
  },
  {
    route: "DELETE /v5/pins/{id} (the owner's pin)",
    method: 'DELETE',
    v5Path: '/pins/{pin_id}',
    rule: 'manage',
    ok: 204,
    hides: 'pin',
    async request(w, p) {
      const pin = await createPin(w.t, w.owner, w.places[p].board.id, { title: 'doomed quux' });
      return { url: `/v5/pins/${pin.id}` };
    },
    missing: () => ({ url: `/v5/pins/${MISSING_ID}` }),
  },
  {
    route: 'POST /v5/pins/{id}/save (source on the board)',
    method: 'POST',
    v5Path: '/pins/{pin_id}/save',
    rule: 'saveElsewhere',
    ok: 201,
    hides: 'pin',
    request: (w, p, role) => ({ url: `/v5/pins/${w.places[p].ownerPin.id}/save`, payload: { board_id: w.savesBoard[role] } }),
    missing: (w, _p, role) => ({ url: `/v5/pins/${MISSING_ID}/save`, payload: { board_id: w.savesBoard[role] } }),
    check: (body, w, p, role) => expect(body).toMatchObject({ board_id: w.savesBoard[role], parent_pin_id: w.places[p].ownerPin.id }),
  },
  {
    route: 'POST /v5/pins (onto the board)',
    method: 'POST',
    v5Path: '/pins',
    rule: 'contribute',
    ok: 201,
    hides: 'board',
    request: async (w, p) => ({ url: '/v5/pins', payload: { board_id: w.places[p].board.id, media_source: await imageSource() } }),
    missing: async () => ({ url: '/v5/pins', payload: { board_id: MISSING_ID, media_source: await imageSource() } }),
    check: (body, w, p) => expect(body.board_id).toBe(w.places[p].board.id),
  },
  {
    route: 'POST /v5/pins (parent_pin_id on the board)',
    method: 'POST',
    v5Path: '/pins',
    rule: 'saveElsewhere',
    ok: 201,
    hides: 'pin',
    request: (w, p, role) => ({ url: '/v5/pins', payload: { board_id: w.savesBoard[role], parent_pin_id: w.places[p].ownerPin.id } }),
    missing: (w, _p, role) => ({ url: '/v5/pins', payload: { board_id: w.savesBoard[role], parent_pin_id: MISSING_ID } }),
    check: (body, w, p, role) => expect(body).toMatchObject({ board_id: w.savesBoard[role], parent_pin_id: w.places[p].ownerPin.id }),
  },
  {
    route: 'POST /v5/pins/{id}/save (onto the board)',
    method: 'POST',
    v5Path: '/pins/{pin_id}/save',
    rule: 'contribute',
    ok: 201,
    hides: 'board',
    request: (w, p) => ({ url: `/v5/pins/${w.sourcePin.id}/save`, payload: { board_id: w.places[p].board.id } }),
    missing: (w) => ({ url: `/v5/pins/${w.sourcePin.id}/save`, payload: { board_id: MISSING_ID } }),
    check: (body, w, p) => expect(body).toMatchObject({ board_id: w.places[p].board.id, parent_pin_id: w.sourcePin.id }),
  },
  {
    route: "PATCH /v5/pins/{id} (move the caller's own pin onto the board)",
    method: 'PATCH',
    v5Path: '/pins/{pin_id}',
    rule: 'contribute',
    ok: 200,
    hides: 'board',
    async request(w, p, role) {
      // A pin of the role's own, on their own board (an upload: a board holds one save of a given pin).
      const own = await createPin(w.t, w.personOf[role], w.savesBoard[role]);
      w.movedPins.set(`${p} ${role}`, own.id);
      return { url: `/v5/pins/${own.id}`, payload: { board_id: w.places[p].board.id } };
    },
    missing: (w, p, role) => ({ url: `/v5/pins/${w.movedPins.get(`${p} ${role}`) ?? MISSING_ID}`, payload: { board_id: MISSING_ID } }),
    check: (body, w, p) => expect(body).toMatchObject({ board_id: w.places[p].board.id, board_section_id: null }),
  },
];

export interface MatrixRow {
  route: string;
  role: Role;
  privacy: Privacy;
  expectStatus: number;
}

/** Every route x board privacy x role, with the status the rules above expect. */
export function objectMatrix(routes: readonly RouteSpec[], privacies: readonly Privacy[], roles: readonly Role[]): MatrixRow[] {
  return routes.flatMap((spec) =>
    privacies.flatMap((privacy) => roles.map((role) => ({ route: spec.route, role, privacy, expectStatus: expectedStatus(spec.rule, spec.ok, role, privacy) }))),
  );
}
