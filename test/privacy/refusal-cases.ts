// Every write, through REST and GraphQL, with who must be refused and how. A case names its REST
// operation (as the served /v5/openapi.json spells it) and its GraphQL mutation, so the matrix can
// tell when a write route has no case. Board cases are asked for each board privacy; the refusal a
// caller gets follows the privacy matrix's rule (privacy-routes.ts): 401 without a token, 404 (the
// entity's not-found code) for whoever may not see the board, 403 for those who see it but may not do
// this. A token without the write scopes gets 403 MISSING_SCOPE before anything is looked up.
import { type Privacy, type PrivacyWorld, type Role } from './privacy-world.js';
import { FORBIDDEN_CODE, NOT_FOUND_CODE, expectedStatus, sees, type Rule } from './privacy-routes.js';

/** The privacy world's roles, and the owner through a token with the read scopes only. */
export type Caller = Role | 'readOnly';
export const CALLERS: readonly Caller[] = ['owner', 'ownerNoSecret', 'editor', 'editorNoSecret', 'viewer', 'former', 'other', 'anonymous', 'readOnly'];

export interface Refusal {
  status: number;
  /** The v5 code (REST body `code`, GraphQL `extensions.v5Code`); null for an answer without one. */
  code: number | null;
}

export interface RestCall {
  method: 'POST' | 'PATCH' | 'DELETE';
  url: string;
  payload?: object;
  form?: Record<string, string>;
}

export interface GraphqlCall {
  query: string;
  variables?: Record<string, unknown>;
}

/** What the matrix's world holds besides the privacy world: a pin of each person's own, an experiment. */
export interface RefusalWorld extends PrivacyWorld {
  callerOf: Record<Caller, { token: string } | null>;
  /** An upload of the person behind each caller, on their own PUBLIC board. */
  ownPin: Record<Caller, string>;
  /** A draft experiment, made by an administrator. */
  experimentKey: string;
  /** A small PNG, base64. */
  png: string;
}

export interface WriteCase {
  what: string;
  /** 'METHOD /v5/path/{param}' as in the served OpenAPI document. */
  rest?: { op: string; call(w: RefusalWorld, p: Privacy, c: Caller): RestCall };
  /** The Mutation field, and the document sending it. */
  graphql?: { field: string; call(w: RefusalWorld, p: Privacy, c: Caller): GraphqlCall };
  /** Whether the case is about a board (asked for each privacy); the rest are asked once. */
  perPrivacy: boolean;
  /** The refusal `c` must get, or null when the call is allowed (then it is not in the matrix). */
  refusal(c: Caller, p: Privacy): Refusal | null;
}

const AUTH = { status: 401, code: 2 };
const SCOPE = { status: 403, code: 3 };

/** The privacy matrix's rule for a board write (see the header), with the read-only token refused by scope. */
function byRule(rule: Rule, hides: 'board' | 'pin'): WriteCase['refusal'] {
  return (c, p) => {
    if (c === 'anonymous') return AUTH;
    if (c === 'readOnly') return SCOPE;
    const status = expectedStatus(rule, 200, c, p);
    if (status < 400) return null;
    if (status === 404) return { status, code: NOT_FOUND_CODE[hides] };
    if (status === 403) return { status, code: FORBIDDEN_CODE[rule] };
    return { status, code: 4111 }; // following one's own board
  };
}

/** Refused to anonymous callers and the read-only token only. */
const signedInWithWriteScopes: WriteCase['refusal'] = (c) => (c === 'anonymous' ? AUTH : c === 'readOnly' ? SCOPE : null);

const board = (w: RefusalWorld, p: Privacy) => w.places[p].board.id;
const gqlCall = (query: string, variables: Record<string, unknown>): GraphqlCall => ({ query, variables });
const isEditor = (c: Caller) => c === 'editor' || c === 'editorNoSecret';

export const BOARD_CASES: WriteCase[] = [
  {
    what: "edit the board's description",
    perPrivacy: true,
    refusal: byRule('manage', 'board'),
    rest: { op: 'PATCH /v5/boards/{board_id}', call: (w, p, c) => ({ method: 'PATCH', url: `/v5/boards/${board(w, p)}`, payload: { description: `by ${c}` } }) },
    graphql: {
      field: 'updateBoard',
      call: (w, p, c) => gqlCall('mutation($id: ID!, $d: String) { updateBoard(id: $id, input: { description: $d }) { id } }', { id: board(w, p), d: `by ${c}` }),
    },
  },
  {
    what: 'make the board SECRET',
    perPrivacy: true,
    // Its owner's token without boards:write_secret may not make content secret.
    refusal: (c, p) => (c === 'ownerNoSecret' && p !== 'SECRET' ? SCOPE : byRule('manage', 'board')(c, p)),
    rest: { op: 'PATCH /v5/boards/{board_id}', call: (w, p) => ({ method: 'PATCH', url: `/v5/boards/${board(w, p)}`, payload: { privacy: 'SECRET' } }) },
    graphql: { field: 'updateBoard', call: (w, p) => gqlCall('mutation($id: ID!) { updateBoard(id: $id, input: { privacy: SECRET }) { id } }', { id: board(w, p) }) },
  },
  {
    what: 'delete the board',
    perPrivacy: true,
    refusal: byRule('manage', 'board'),
    rest: { op: 'DELETE /v5/boards/{board_id}', call: (w, p) => ({ method: 'DELETE', url: `/v5/boards/${board(w, p)}` }) },
    graphql: { field: 'deleteBoard', call: (w, p) => gqlCall('mutation($id: ID!) { deleteBoard(id: $id) }', { id: board(w, p) }) },
  },
  {
    what: 'add a section',
    perPrivacy: true,
    refusal: byRule('contribute', 'board'),
    rest: { op: 'POST /v5/boards/{board_id}/sections', call: (w, p, c) => ({ method: 'POST', url: `/v5/boards/${board(w, p)}/sections`, payload: { name: `Added by ${c}` } }) },
    graphql: {
      field: 'createBoardSection',
      call: (w, p, c) => gqlCall('mutation($b: ID!, $n: String!) { createBoardSection(boardId: $b, name: $n) { id } }', { b: board(w, p), n: `Added by ${c}` }),
    },
  },
  {
    what: 'rename a section',
    perPrivacy: true,
    refusal: byRule('contribute', 'board'),
    rest: {
      op: 'PATCH /v5/boards/{board_id}/sections/{section_id}',
      call: (w, p, c) => ({ method: 'PATCH', url: `/v5/boards/${board(w, p)}/sections/${w.places[p].renameMe.id}`, payload: { name: `Renamed by ${c}` } }),
    },
    graphql: {
      field: 'updateBoardSection',
      call: (w, p, c) =>
        gqlCall('mutation($b: ID!, $s: ID!, $n: String!) { updateBoardSection(boardId: $b, sectionId: $s, name: $n) { id } }', {
          b: board(w, p),
          s: w.places[p].renameMe.id,
          n: `Renamed by ${c}`,
        }),
    },
  },
  {
    what: "delete the section holding the owner's pin",
    perPrivacy: true,
    refusal: byRule('contribute', 'board'),
    rest: {
      op: 'DELETE /v5/boards/{board_id}/sections/{section_id}',
      call: (w, p) => ({ method: 'DELETE', url: `/v5/boards/${board(w, p)}/sections/${w.places[p].section.id}` }),
    },
    graphql: {
      field: 'deleteBoardSection',
      call: (w, p) => gqlCall('mutation($b: ID!, $s: ID!) { deleteBoardSection(boardId: $b, sectionId: $s) }', { b: board(w, p), s: w.places[p].section.id }),
    },
  },
  {
    what: 'invite a collaborator',
    perPrivacy: true,
    refusal: byRule('manage', 'board'),
    rest: {
      op: 'POST /v5/boards/{board_id}/collaborators',
      call: (w, p, c) => ({ method: 'POST', url: `/v5/boards/${board(w, p)}/collaborators`, payload: { username: w.invitees[c === 'readOnly' ? 'owner' : c].username, role: 'viewer' } }),
    },
    graphql: {
      field: 'addCollaborator',
      call: (w, p, c) =>
        gqlCall('mutation($b: ID!, $u: String!) { addCollaborator(boardId: $b, username: $u, role: viewer) { role } }', {
          b: board(w, p),
          u: w.invitees[c === 'readOnly' ? 'owner' : c].username,
        }),
    },
  },
  {
    what: "make the viewer an editor",
    perPrivacy: true,
    refusal: byRule('manage', 'board'),
    rest: {
      op: 'PATCH /v5/boards/{board_id}/collaborators/{username}',
      call: (w, p) => ({ method: 'PATCH', url: `/v5/boards/${board(w, p)}/collaborators/${w.viewer.username}`, payload: { role: 'editor' } }),
    },
    graphql: {
      field: 'updateCollaborator',
      call: (w, p) => gqlCall('mutation($b: ID!, $u: String!) { updateCollaborator(boardId: $b, username: $u, role: editor) { role } }', { b: board(w, p), u: w.viewer.username }),
    },
  },
  {
    // A collaborator may leave; removing someone else is the owner's.
    what: 'remove another collaborator',
    perPrivacy: true,
    refusal: byRule('manage', 'board'),
    rest: {
      op: 'DELETE /v5/boards/{board_id}/collaborators/{username}',
      call: (w, p, c) => ({ method: 'DELETE', url: `/v5/boards/${board(w, p)}/collaborators/${(isEditor(c) ? w.viewer : w.editor).username}` }),
    },
    graphql: {
      field: 'removeCollaborator',
      call: (w, p, c) => gqlCall('mutation($b: ID!, $u: String!) { removeCollaborator(boardId: $b, username: $u) }', { b: board(w, p), u: (isEditor(c) ? w.viewer : w.editor).username }),
    },
  },
  {
    what: 'follow the board',
    perPrivacy: true,
    refusal: byRule('follow', 'board'),
    rest: { op: 'POST /v5/boards/{board_id}/follow', call: (w, p) => ({ method: 'POST', url: `/v5/boards/${board(w, p)}/follow` }) },
    graphql: { field: 'followBoard', call: (w, p) => gqlCall('mutation($id: ID!) { followBoard(id: $id) { id } }', { id: board(w, p) }) },
  },
  {
    what: 'unfollow the board',
    perPrivacy: true,
    refusal: byRule('unfollow', 'board'),
    rest: { op: 'DELETE /v5/boards/{board_id}/follow', call: (w, p) => ({ method: 'DELETE', url: `/v5/boards/${board(w, p)}/follow` }) },
    graphql: { field: 'unfollowBoard', call: (w, p) => gqlCall('mutation($id: ID!) { unfollowBoard(id: $id) }', { id: board(w, p) }) },
  },
  {
    what: 'upload a pin onto the board',
    perPrivacy: true,
    refusal: byRule('contribute', 'board'),
    rest: {
      op: 'POST /v5/pins',
      call: (w, p) => ({ method: 'POST', url: '/v5/pins', payload: { board_id: board(w, p), media_source: { source_type: 'image_base64', content_type: 'image/png', data: w.png } } }),
    },
    graphql: {
      field: 'createPin',
      call: (w, p) =>
        gqlCall('mutation($input: CreatePinInput!) { createPin(input: $input) { id } }', {
          input: { boardId: board(w, p), mediaSource: { sourceType: 'image_base64', contentType: 'image/png', data: w.png } },
        }),
    },
  },
  {
    what: 'save a pin onto the board',
    perPrivacy: true,
    refusal: byRule('contribute', 'board'),
    rest: { op: 'POST /v5/pins/{pin_id}/save', call: (w, p) => ({ method: 'POST', url: `/v5/pins/${w.sourcePin.id}/save`, payload: { board_id: board(w, p) } }) },
    graphql: {
      field: 'savePin',
      call: (w, p) => gqlCall('mutation($id: ID!, $b: ID!) { savePin(id: $id, input: { boardId: $b }) { id } }', { id: w.sourcePin.id, b: board(w, p) }),
    },
  },
  {
    what: "save the owner's pin onto the caller's PUBLIC board",
    perPrivacy: true,
    refusal: byRule('saveElsewhere', 'pin'),
    rest: {
      op: 'POST /v5/pins/{pin_id}/save',
      call: (w, p, c) => ({ method: 'POST', url: `/v5/pins/${w.places[p].ownerPin.id}/save`, payload: { board_id: w.savesBoard[c === 'readOnly' ? 'owner' : c] } }),
    },
    graphql: {
      field: 'savePin',
      call: (w, p, c) =>
        gqlCall('mutation($id: ID!, $b: ID!) { savePin(id: $id, input: { boardId: $b }) { id } }', { id: w.places[p].ownerPin.id, b: w.savesBoard[c === 'readOnly' ? 'owner' : c] }),
    },
  },
  {
    what: "pin the owner's pin (parent_pin_id) onto the caller's PUBLIC board",
    perPrivacy: true,
    refusal: byRule('saveElsewhere', 'pin'),
    rest: {
      op: 'POST /v5/pins',
      call: (w, p, c) => ({ method: 'POST', url: '/v5/pins', payload: { board_id: w.savesBoard[c === 'readOnly' ? 'owner' : c], parent_pin_id: w.places[p].ownerPin.id } }),
    },
    graphql: {
      field: 'createPin',
      call: (w, p, c) =>
        gqlCall('mutation($input: CreatePinInput!) { createPin(input: $input) { id } }', {
          input: { boardId: w.savesBoard[c === 'readOnly' ? 'owner' : c], parentPinId: w.places[p].ownerPin.id },
        }),
    },
  },
  {
    what: "edit the owner's pin",
    perPrivacy: true,
    refusal: byRule('manage', 'pin'),
    rest: { op: 'PATCH /v5/pins/{pin_id}', call: (w, p, c) => ({ method: 'PATCH', url: `/v5/pins/${w.places[p].ownerPin.id}`, payload: { description: `by ${c}` } }) },
    graphql: {
      field: 'updatePin',
      call: (w, p, c) => gqlCall('mutation($id: ID!, $d: String) { updatePin(id: $id, input: { description: $d }) { id } }', { id: w.places[p].ownerPin.id, d: `by ${c}` }),
    },
  },
  {
    what: "edit the editor's pin",
    perPrivacy: true,
    refusal: byRule('contribute', 'pin'),
    rest: { op: 'PATCH /v5/pins/{pin_id}', call: (w, p, c) => ({ method: 'PATCH', url: `/v5/pins/${w.places[p].editorPin.id}`, payload: { description: `by ${c}` } }) },
    graphql: {
      field: 'updatePin',
      call: (w, p, c) => gqlCall('mutation($id: ID!, $d: String) { updatePin(id: $id, input: { description: $d }) { id } }', { id: w.places[p].editorPin.id, d: `by ${c}` }),
    },
  },
  {
    what: "move the caller's own pin onto the board",
    perPrivacy: true,
    refusal: byRule('contribute', 'board'),
    rest: { op: 'PATCH /v5/pins/{pin_id}', call: (w, p, c) => ({ method: 'PATCH', url: `/v5/pins/${w.ownPin[c]}`, payload: { board_id: board(w, p) } }) },
    graphql: { field: 'updatePin', call: (w, p, c) => gqlCall('mutation($id: ID!, $b: ID) { updatePin(id: $id, input: { boardId: $b }) { id } }', { id: w.ownPin[c], b: board(w, p) }) },
  },
  {
    what: "delete the owner's pin",
    perPrivacy: true,
    refusal: byRule('manage', 'pin'),
    rest: { op: 'DELETE /v5/pins/{pin_id}', call: (w, p) => ({ method: 'DELETE', url: `/v5/pins/${w.places[p].ownerPin.id}` }) },
    graphql: { field: 'deletePin', call: (w, p) => gqlCall('mutation($id: ID!) { deletePin(id: $id) }', { id: w.places[p].ownerPin.id }) },
  },
  {
    what: "delete the editor's pin",
    perPrivacy: true,
    refusal: byRule('contribute', 'pin'),
    rest: { op: 'DELETE /v5/pins/{pin_id}', call: (w, p) => ({ method: 'DELETE', url: `/v5/pins/${w.places[p].editorPin.id}` }) },
    graphql: { field: 'deletePin', call: (w, p) => gqlCall('mutation($id: ID!) { deletePin(id: $id) }', { id: w.places[p].editorPin.id }) },
  },
  {
    what: "record a closeup of the owner's pin",
    perPrivacy: true,
    // Needs pins:read only, so the read-only token is refused a SECRET pin as a missing one.
    refusal: (c, p) => (c === 'anonymous' ? AUTH : sees(c === 'readOnly' ? 'ownerNoSecret' : c, p) ? null : { status: 404, code: NOT_FOUND_CODE.pin }),
    rest: { op: 'POST /v5/events', call: (w, p) => ({ method: 'POST', url: '/v5/events', payload: { events: [{ kind: 'closeup', pin_id: w.places[p].ownerPin.id }] } }) },
    graphql: {
      field: 'recordEvents',
      call: (w, p) => gqlCall('mutation($pin: ID!) { recordEvents(events: [{ kind: "closeup", pinId: $pin }]) { received } }', { pin: w.places[p].ownerPin.id }),
    },
  },
];

const NON_ADMIN: readonly Caller[] = ['owner', 'other', 'readOnly'];
const admin = (c: Caller): Refusal | null => (c === 'anonymous' ? AUTH : NON_ADMIN.includes(c) ? SCOPE : null);
const experiment = (w: RefusalWorld) => w.experimentKey;
const form = (fields: Record<string, string>) => fields;

export const OTHER_CASES: WriteCase[] = [
  {
    what: 'create a board',
    perPrivacy: false,
    refusal: signedInWithWriteScopes,
    rest: { op: 'POST /v5/boards', call: (_w, _p, c) => ({ method: 'POST', url: '/v5/boards', payload: { name: `New by ${c}` } }) },
    graphql: { field: 'createBoard', call: (_w, _p, c) => gqlCall('mutation($n: String!) { createBoard(input: { name: $n }) { id } }', { n: `New by ${c}` }) },
  },
  {
    what: 'create a SECRET board',
    perPrivacy: false,
    refusal: (c) => (c === 'ownerNoSecret' || c === 'editorNoSecret' ? SCOPE : signedInWithWriteScopes(c, 'PUBLIC')),
    rest: { op: 'POST /v5/boards', call: (_w, _p, c) => ({ method: 'POST', url: '/v5/boards', payload: { name: `Secret by ${c}`, privacy: 'SECRET' } }) },
    graphql: { field: 'createBoard', call: (_w, _p, c) => gqlCall('mutation($n: String!) { createBoard(input: { name: $n, privacy: SECRET }) { id } }', { n: `Secret by ${c}` }) },
  },
  {
    what: 'follow the owner',
    perPrivacy: false,
    // The owner following themselves is a 400.
    refusal: (c) => (c === 'owner' || c === 'ownerNoSecret' ? { status: 400, code: 4160 } : signedInWithWriteScopes(c, 'PUBLIC')),
    rest: { op: 'POST /v5/user_account/following/{username}', call: (w) => ({ method: 'POST', url: `/v5/user_account/following/${w.owner.username}`, payload: {} }) },
    graphql: { field: 'followUser', call: (w) => gqlCall('mutation($u: String!) { followUser(username: $u) { id } }', { u: w.owner.username }) },
  },
  {
    what: 'follow someone who does not exist',
    perPrivacy: false,
    refusal: (c) => signedInWithWriteScopes(c, 'PUBLIC') ?? { status: 404, code: 30 },
    rest: { op: 'POST /v5/user_account/following/{username}', call: () => ({ method: 'POST', url: '/v5/user_account/following/nobody_here', payload: {} }) },
    graphql: { field: 'followUser', call: () => gqlCall('mutation { followUser(username: "nobody_here") { id } }', {}) },
  },
  {
    what: 'unfollow the owner',
    perPrivacy: false,
    refusal: signedInWithWriteScopes,
    rest: { op: 'DELETE /v5/user_account/following/{username}', call: (w) => ({ method: 'DELETE', url: `/v5/user_account/following/${w.owner.username}` }) },
    graphql: { field: 'unfollowUser', call: (w) => gqlCall('mutation($u: String!) { unfollowUser(username: $u) }', { u: w.owner.username }) },
  },
  {
    what: 'create an experiment',
    perPrivacy: false,
    refusal: admin,
    rest: {
      op: 'POST /v5/experiments',
      call: () => ({ method: 'POST', url: '/v5/experiments', payload: { key: 'refused-exp', name: 'Refused', variations: [{ key: 'a', value: 1 }, { key: 'b', value: 2 }] } }),
    },
    graphql: {
      field: 'createExperiment',
      call: () =>
        gqlCall('mutation { createExperiment(input: { key: "refused-exp", name: "Refused", variations: [{ key: "a", value: 1 }, { key: "b", value: 2 }] }) { key } }', {}),
    },
  },
  {
    what: 'rename the experiment',
    perPrivacy: false,
    refusal: admin,
    rest: { op: 'PATCH /v5/experiments/{experiment_key}', call: (w) => ({ method: 'PATCH', url: `/v5/experiments/${experiment(w)}`, payload: { name: 'Renamed' } }) },
    graphql: { field: 'updateExperiment', call: (w) => gqlCall('mutation($k: String!) { updateExperiment(key: $k, input: { name: "Renamed" }) { key } }', { k: experiment(w) }) },
  },
  {
    what: 'start the experiment',
    perPrivacy: false,
    refusal: admin,
    rest: { op: 'POST /v5/experiments/{experiment_key}/start', call: (w) => ({ method: 'POST', url: `/v5/experiments/${experiment(w)}/start`, payload: {} }) },
    graphql: { field: 'startExperiment', call: (w) => gqlCall('mutation($k: String!) { startExperiment(key: $k) { key } }', { k: experiment(w) }) },
  },
  {
    what: 'stop the experiment',
    perPrivacy: false,
    refusal: admin,
    rest: { op: 'POST /v5/experiments/{experiment_key}/stop', call: (w) => ({ method: 'POST', url: `/v5/experiments/${experiment(w)}/stop`, payload: {} }) },
    graphql: { field: 'stopExperiment', call: (w) => gqlCall('mutation($k: String!) { stopExperiment(key: $k) { key } }', { k: experiment(w) }) },
  },
  {
    what: 'archive the experiment',
    perPrivacy: false,
    refusal: admin,
    rest: { op: 'DELETE /v5/experiments/{experiment_key}', call: (w) => ({ method: 'DELETE', url: `/v5/experiments/${experiment(w)}` }) },
    graphql: { field: 'archiveExperiment', call: (w) => gqlCall('mutation($k: String!) { archiveExperiment(key: $k) { key } }', { k: experiment(w) }) },
  },
  {
    // Only running experiments assign; the draft answers as a missing one, and logs no exposure.
    what: 'activate the draft experiment',
    perPrivacy: false,
    refusal: (c) => (c === 'anonymous' ? AUTH : { status: 404, code: 4200 }),
    rest: { op: 'POST /v5/experiments/{experiment_key}/activate', call: (w) => ({ method: 'POST', url: `/v5/experiments/${experiment(w)}/activate`, payload: {} }) },
    graphql: { field: 'activateExperiment', call: (w) => gqlCall('mutation($k: String!) { activateExperiment(key: $k) { variationKey } }', { k: experiment(w) }) },
  },
  {
    what: 'evaluate experiments',
    perPrivacy: false,
    refusal: (c) => (c === 'anonymous' ? AUTH : null),
    rest: { op: 'POST /v5/experiments/evaluate', call: () => ({ method: 'POST', url: '/v5/experiments/evaluate', payload: {} }) },
  },
  {
    what: 'analyze posted metrics',
    perPrivacy: false,
    refusal: (c) => (c === 'anonymous' ? AUTH : null),
    rest: { op: 'POST /v5/experiments/analyze', call: () => ({ method: 'POST', url: '/v5/experiments/analyze', payload: {} }) },
  },
  {
    what: 'sign in with a wrong password',
    perPrivacy: false,
    refusal: (c) => (c === 'anonymous' ? { status: 400, code: 4006 } : null),
    rest: {
      op: 'POST /v5/oauth/token',
      call: (w) => ({ method: 'POST', url: '/v5/oauth/token', form: form({ grant_type: 'password', username: w.owner.username, password: 'not-the-password' }) }),
    },
  },
  {
    what: 'refresh with a refresh token that was never issued',
    perPrivacy: false,
    refusal: (c) => (c === 'anonymous' ? { status: 400, code: 4006 } : null),
    rest: { op: 'POST /v5/oauth/token', call: () => ({ method: 'POST', url: '/v5/oauth/token', form: form({ grant_type: 'refresh_token', refresh_token: 'r'.repeat(43) }) }) },
  },
  {
    // RFC 7009: an unknown token is answered 200, and revokes nothing.
    what: 'revoke a token that was never issued',
    perPrivacy: false,
    refusal: (c) => (c === 'anonymous' ? { status: 200, code: null } : null),
    rest: { op: 'POST /v5/oauth/token/revoke', call: () => ({ method: 'POST', url: '/v5/oauth/token/revoke', form: form({ token: 't'.repeat(43) }) }) },
  },
  {
    what: 'sign up with a taken username',
    perPrivacy: false,
    refusal: (c) => (c === 'anonymous' ? { status: 409, code: 4090 } : null),
    rest: { op: 'POST /v5/accounts', call: (w) => ({ method: 'POST', url: '/v5/accounts', payload: { username: w.owner.username, email: 'again@example.test', password: 'pw-long-enough-1' } }) },
  },
];

export const WRITE_CASES: WriteCase[] = [...BOARD_CASES, ...OTHER_CASES];
