// After a collaborator's removal or a board's turn to SECRET has answered on one process, no process
// serves the old permission: the other process, which had just served (and cached) the board and its
// pin to the collaborator, is asked right after the answer, a few hundred times over.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp, type TestUser } from '../support/test-app.js';
import { startSecondProcess, type SecondProcess } from '../support/second-process.js';
import { addCollaborator, createPin, makeBoard } from '../../src/pins/pin-test-support.js';

let t: TestApp;
/** The process the owner writes through. */
let writer: SecondProcess;
let ana: TestUser;
let ben: TestUser;
let boardId: string;
let pinId: string;

const ROUNDS = 300;
/** A privacy change writes more (the board's pins leave feeds and search): fewer rounds. */
const PRIVACY_ROUNDS = 150;

beforeAll(async () => {
  t = await createTestApp();
  writer = await startSecondProcess(t);
  ana = await t.signUp('ana');
  ben = await t.signUp('ben');
  boardId = await makeBoard(t, ana, 'Surprise party', 'SECRET');
  pinId = (await createPin(t, ana, boardId)).id;
});

afterAll(async () => {
  await writer.close();
  await t.close();
});

/** Ben's reads of the board and its pin on the reading process (`t`), and their status codes. */
async function benReads(): Promise<number[]> {
  const board = await t.request({ method: 'GET', url: `/v5/boards/${boardId}`, as: ben });
  const pin = await t.request({ method: 'GET', url: `/v5/pins/${pinId}`, as: ben });
  return [board.statusCode, pin.statusCode];
}

describe('permissions across processes', () => {
  it('refuses a removed collaborator on the other process from the first read after the removal answered', { timeout: 300_000 }, async () => {
    let stale = 0;
    for (let round = 0; round < ROUNDS; round++) {
      await addCollaborator(t, ana, boardId, ben, 'viewer');
      // Twice: the second read is served from the reading process's cache.
      expect(await benReads()).toEqual([200, 200]);
      expect(await benReads()).toEqual([200, 200]);
      const removed = await writer.request({ method: 'DELETE', url: `/v5/boards/${boardId}/collaborators/ben`, as: ana });
      expect(removed.statusCode, removed.body).toBe(204);
      const after = await benReads();
      if (after.some((status) => status !== 404)) stale += 1;
    }
    expect(stale, `${stale} of ${ROUNDS} reads right after a removal were still served`).toBe(0);
  });

  it('hides a board that turned SECRET on the other process from the first read after the change answered', { timeout: 300_000 }, async () => {
    const publicBoard = await makeBoard(t, ana, 'Soon hidden');
    const publicPin = (await createPin(t, ana, publicBoard)).id;
    const reads = async () => [
      (await t.request({ method: 'GET', url: `/v5/boards/${publicBoard}`, as: ben })).statusCode,
      (await t.request({ method: 'GET', url: `/v5/pins/${publicPin}`, as: ben })).statusCode,
    ];
    let stale = 0;
    for (let round = 0; round < PRIVACY_ROUNDS; round++) {
      const shown = await writer.request({ method: 'PATCH', url: `/v5/boards/${publicBoard}`, as: ana, payload: { privacy: 'PUBLIC' } });
      expect(shown.statusCode, shown.body).toBe(200);
      expect(await reads()).toEqual([200, 200]);
      expect(await reads()).toEqual([200, 200]);
      const hidden = await writer.request({ method: 'PATCH', url: `/v5/boards/${publicBoard}`, as: ana, payload: { privacy: 'SECRET' } });
      expect(hidden.statusCode, hidden.body).toBe(200);
      if ((await reads()).some((status) => status !== 404)) stale += 1;
    }
    expect(stale, `${stale} of ${PRIVACY_ROUNDS} reads right after the change were still served`).toBe(0);
  });
});
