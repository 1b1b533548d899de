// Finding 8 (saves): a read-only (viewer) collaborator could save a pin of a SECRET board onto their
// own PUBLIC board, publishing it. The rule now: a pin of a PROTECTED or SECRET board may be saved
// onto another board only by the board's owner or by the pin's maker (who may contribute to the
// board): they could move it anywhere anyway. Every other collaborator may save it onto the same
// board only (a section of it). A refused save answers 403 with code 4032 (PIN_SAVE_NOT_ALLOWED) in
// REST and GraphQL alike, and writes nothing: no pin, no count, no feed entry, no cache change.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp, type TestUser } from '../support/test-app.js';
import { createBoard, createPin, createSection, inviteCollaborator, type PinReply } from '../support/fixtures.js';
import { gql } from '../../src/graphql/graphql-test-support.js';
import { toGlobalId } from '../../src/graphql/relay.js';
import { snapshotState, stateChanges } from '../support/state-snapshot.js';

let t: TestApp;
let owner: TestUser;
let viewer: TestUser;
let editor: TestUser;
let stranger: TestUser;
const boards = {} as Record<'secret' | 'protected' | 'open' | 'viewerPublic' | 'viewerSecret' | 'editorPublic' | 'ownerPublic', string>;
let secretSection: string;
let secretPin: PinReply;
let protectedPin: PinReply;
let editorsSecretPin: PinReply;
let openPin: PinReply;

beforeAll(async () => {
  // No cache entry expires between two captures (state-snapshot.ts).
  t = await createTestApp({ CACHE_TTL_SECONDS: '3600' });
  owner = await t.signUp('sofia');
  viewer = await t.signUp('victor');
  editor = await t.signUp('edith');
  stranger = await t.signUp('stan');
  boards.secret = (await createBoard(t, owner, { name: 'Surprise party', privacy: 'SECRET' })).id;
  boards.protected = (await createBoard(t, owner, { name: 'Wedding plans', privacy: 'PROTECTED' })).id;
  boards.open = (await createBoard(t, owner, { name: 'Garden' })).id;
  boards.ownerPublic = (await createBoard(t, owner, { name: 'Sofia public' })).id;
  boards.viewerPublic = (await createBoard(t, viewer, { name: 'Victor public' })).id;
  boards.viewerSecret = (await createBoard(t, viewer, { name: 'Victor secret', privacy: 'SECRET' })).id;
  boards.editorPublic = (await createBoard(t, editor, { name: 'Edith public' })).id;
  for (const board of [boards.secret, boards.protected]) {
    await inviteCollaborator(t, owner, board, viewer, 'viewer');
    await inviteCollaborator(t, owner, board, editor, 'editor');
  }
  secretSection = (await createSection(t, owner, boards.secret, 'Venues')).id;
  secretPin = await createPin(t, owner, boards.secret, { title: 'The venue' });
  protectedPin = await createPin(t, owner, boards.protected, { title: 'The dress' });
  editorsSecretPin = await createPin(t, editor, boards.secret, { title: 'Cake idea' });
  openPin = await createPin(t, owner, boards.open, { title: 'Roses' });
});
afterAll(async () => t?.close());

const restSave = (as: TestUser, pinId: string, boardId: string) =>
  t.request({ method: 'POST', url: `/v5/pins/${pinId}/save`, as, payload: { board_id: boardId } });
const restCreateSave = (as: TestUser, pinId: string, boardId: string) =>
  t.request({ method: 'POST', url: '/v5/pins', as, payload: { board_id: boardId, parent_pin_id: pinId } });
const graphqlSave = (as: TestUser, pinId: string, boardId: string) =>
  gql(t, as, 'mutation S($id: ID!, $board: ID!) { savePin(id: $id, input: {boardId: $board}) { id } }', {
    id: toGlobalId('Pin', pinId),
    board: toGlobalId('Board', boardId),
  });
const graphqlCreateSave = (as: TestUser, pinId: string, boardId: string) =>
  gql(t, as, 'mutation C($input: CreatePinInput!) { createPin(input: $input) { id } }', {
    input: { boardId: toGlobalId('Board', boardId), parentPinId: toGlobalId('Pin', pinId) },
  });

describe('saving a pin of a hidden board', () => {
  it("refuses the viewer collaborator's save onto their own PUBLIC board, through every door, and changes nothing", async () => {
    const before = await snapshotState(t);
    for (const pin of [secretPin, protectedPin]) {
      for (const send of [restSave, restCreateSave]) {
        const reply = await send(viewer, pin.id, boards.viewerPublic);
        expect({ status: reply.statusCode, code: reply.json<{ code: number }>().code }).toEqual({ status: 403, code: 4032 });
      }
      for (const send of [graphqlSave, graphqlCreateSave]) {
        const answer = await send(viewer, pin.id, boards.viewerPublic);
        expect(answer.data).toEqual({ [send === graphqlSave ? 'savePin' : 'createPin']: null });
        expect(answer.errors.map((error) => [error.extensions.code, error.extensions.v5Code])).toEqual([['PIN_SAVE_NOT_ALLOWED', 4032]]);
      }
    }
    expect(stateChanges(before, await snapshotState(t))).toEqual([]);
    // Nothing of the secret pin is on the viewer's public board.
    const listed = await t.request({ method: 'GET', url: `/v5/boards/${boards.viewerPublic}/pins`, as: stranger });
    expect(listed.json<{ items: unknown[] }>().items).toEqual([]);
  });

  it('refuses it onto a hidden board of their own too: its audience is not the source board\'s', async () => {
    const before = await snapshotState(t);
    const reply = await restSave(viewer, secretPin.id, boards.viewerSecret);
    expect({ status: reply.statusCode, code: reply.json<{ code: number }>().code }).toEqual({ status: 403, code: 4032 });
    const answer = await graphqlSave(viewer, secretPin.id, boards.viewerSecret);
    expect(answer.errors.map((error) => error.extensions.code)).toEqual(['PIN_SAVE_NOT_ALLOWED']);
    expect(stateChanges(before, await snapshotState(t))).toEqual([]);
  });

  it("refuses an editor's save of the owner's pin out of the board, but allows one into a section of the same board", async () => {
    const before = await snapshotState(t);
    const out = await restSave(editor, secretPin.id, boards.editorPublic);
    expect({ status: out.statusCode, code: out.json<{ code: number }>().code }).toEqual({ status: 403, code: 4032 });
    expect((await graphqlSave(editor, protectedPin.id, boards.editorPublic)).errors.map((error) => error.extensions.code)).toEqual([
      'PIN_SAVE_NOT_ALLOWED',
    ]);
    expect(stateChanges(before, await snapshotState(t))).toEqual([]);

    const within = await t.request({
      method: 'POST',
      url: `/v5/pins/${secretPin.id}/save`,
      as: editor,
      payload: { board_id: boards.secret, board_section_id: secretSection },
    });
    expect(within.statusCode, within.body).toBe(201);
    expect(within.json()).toMatchObject({ board_id: boards.secret, board_section_id: secretSection, parent_pin_id: secretPin.id });
  });

  it("lets the board's owner, and a pin's maker, save it wherever they may pin", async () => {
    const byOwner = await graphqlSave(owner, secretPin.id, boards.ownerPublic);
    expect(byOwner.errors).toEqual([]);
    const byMaker = await restSave(editor, editorsSecretPin.id, boards.editorPublic);
    expect(byMaker.statusCode, byMaker.body).toBe(201);
  });

  it('leaves pins of PUBLIC boards free to save, and hidden pins still 404 for strangers', async () => {
    expect((await restSave(viewer, openPin.id, boards.viewerPublic)).statusCode).toBe(201);
    expect((await graphqlSave(viewer, openPin.id, boards.viewerSecret)).errors).toEqual([]);
    const hidden = await restSave(stranger, secretPin.id, boards.viewerPublic);
    expect({ status: hidden.statusCode, code: hidden.json<{ code: number }>().code }).toEqual({ status: 404, code: 50 });
  });

  it("answers a stranger's save of a hidden pin exactly as one of a missing pin, through every door, and changes nothing", async () => {
    const strangersBoard = (await createBoard(t, stranger, { name: 'Stan public' })).id;
    const gone = await createPin(t, stranger, strangersBoard, { title: 'Deleted' });
    expect((await t.request({ method: 'DELETE', url: `/v5/pins/${gone.id}`, as: stranger })).statusCode).toBe(204);
    const before = await snapshotState(t);
    for (const pinId of [secretPin.id, protectedPin.id]) {
      for (const rest of [restSave, restCreateSave]) {
        const [hidden, missing] = [await rest(stranger, pinId, strangersBoard), await rest(stranger, gone.id, strangersBoard)];
        expect({ status: hidden.statusCode, body: hidden.json<unknown>() }).toEqual({ status: missing.statusCode, body: missing.json<unknown>() });
        expect(hidden.statusCode).toBe(404);
      }
      for (const graphql of [graphqlSave, graphqlCreateSave]) {
        const [hidden, missing] = [await graphql(stranger, pinId, strangersBoard), await graphql(stranger, gone.id, strangersBoard)];
        expect(hidden.body).toEqual(missing.body);
        expect(hidden.errors).not.toEqual([]);
      }
    }
    expect(stateChanges(before, await snapshotState(t))).toEqual([]);
  });
});
