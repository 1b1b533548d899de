// A board's pins page is served from cached ids (board-page-ids.ts) keyed by the version of the
// board's contents. Whatever changes what a board holds shows on the next read, on the process that
// wrote and on another one that had just cached the page: a new pin, a saved pin, a move between
// boards or sections, a deletion, and pins that leave with an account deleted elsewhere.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp, type TestUser } from '../support/test-app.js';
import { startSecondProcess, type SecondProcess } from '../support/second-process.js';
import { addCollaborator, createPin, makeBoard, makeSection } from '../../src/pins/pin-test-support.js';
import { countStatements } from '../../src/graphql/graphql-test-support.js';
import { pinTransactions } from '../../src/pins/pin.repository.js';

let t: TestApp;
/** Another API process on the same database: it writes while `t` serves the cached pages. */
let other: SecondProcess;
let ana: TestUser;
let ben: TestUser;

beforeAll(async () => {
  t = await createTestApp();
  other = await startSecondProcess(t);
  ana = await t.signUp('ana');
  ben = await t.signUp('ben');
});

afterAll(async () => {
  await other.close();
  await t.close();
});

/** The ids Ben sees on a board's (or a section's) first page, read twice so the second is cached. */
async function pageIds(url: string): Promise<string[]> {
  const first = await t.request({ method: 'GET', url, as: ben });
  expect(first.statusCode, first.body).toBe(200);
  const second = await t.request({ method: 'GET', url, as: ben });
  expect(second.body).toBe(first.body);
  return second.json<{ items: Array<{ id: string }> }>().items.map((item) => item.id);
}

describe('cached board pages', () => {
  it('serves a warm page from the cache, and shows a pin added on either process on the next read', async () => {
    const board = await makeBoard(t, ana, 'Growing');
    const first = (await createPin(t, ana, board)).id;
    const url = `/v5/boards/${board}/pins?page_size=5`;
    expect(await pageIds(url)).toEqual([first]);
    const warm = await countStatements(t, async () => {
      expect((await t.request({ method: 'GET', url, as: ben })).statusCode).toBe(200);
    });
    expect(warm.statements).toEqual([]);

    const here = (await createPin(t, ana, board)).id;
    expect(await pageIds(url)).toEqual([here, first]);

    const source = (await createPin(t, ana, await makeBoard(t, ana, 'Elsewhere first'))).id;
    const saved = await other.request({ method: 'POST', url: `/v5/pins/${source}/save`, as: ana, payload: { board_id: board } });
    expect(saved.statusCode, saved.body).toBe(201);
    const there = saved.json<{ id: string }>().id;
    expect(await pageIds(url)).toEqual([there, here, first]);
  });

  it('shows every quick addition on the next read', async () => {
    const board = await makeBoard(t, ana, 'Quick');
    const sources = await makeBoard(t, ana, 'Quick sources');
    const url = `/v5/boards/${board}/pins?page_size=25`;
    const saved: string[] = [];
    for (let i = 0; i < 8; i++) {
      const source = (await createPin(t, ana, sources)).id;
      const res = await t.request({ method: 'POST', url: `/v5/pins/${source}/save`, as: ana, payload: { board_id: board } });
      expect(res.statusCode, res.body).toBe(201);
      saved.unshift(res.json<{ id: string }>().id);
      expect(await pageIds(url)).toEqual(saved);
    }
  });

  it('moves the version of a board forward by a millisecond at least, even twice within one transaction', async () => {
    const board = await makeBoard(t, ana, 'Versions');
    const placement = { board_id: board, board_section_id: null, owner_id: ana.id };
    // now() is the same for the whole transaction: without the step, both writes would leave one value.
    const versions = await pinTransactions(t.container.database.db)(async (tx) => {
      const seen: number[] = [];
      for (const delta of [1, -1] as const) {
        expect(await tx.pins.adjustCounts([{ ...placement, delta }])).toBe(true);
        seen.push((await tx.pins.boardVersion(board)) ?? 0);
      }
      return seen;
    });
    expect(versions[1]! - versions[0]!).toBeGreaterThanOrEqual(1);
  });

  it('drops a pin moved to another board or deleted, on the other process, from the next read', async () => {
    const board = await makeBoard(t, ana, 'Leaving');
    const elsewhere = await makeBoard(t, ana, 'Elsewhere');
    const moved = (await createPin(t, ana, board)).id;
    const deleted = (await createPin(t, ana, board)).id;
    const staying = (await createPin(t, ana, board)).id;
    const url = `/v5/boards/${board}/pins`;
    expect(await pageIds(url)).toEqual([staying, deleted, moved]);

    const move = await other.request({ method: 'PATCH', url: `/v5/pins/${moved}`, as: ana, payload: { board_id: elsewhere } });
    expect(move.statusCode, move.body).toBe(200);
    expect(await pageIds(url)).toEqual([staying, deleted]);
    expect(await pageIds(`/v5/boards/${elsewhere}/pins`)).toEqual([moved]);

    const removal = await other.request({ method: 'DELETE', url: `/v5/pins/${deleted}`, as: ana });
    expect(removal.statusCode, removal.body).toBe(204);
    expect(await pageIds(url)).toEqual([staying]);
  });

  it('follows pins between sections on the section pages', async () => {
    const board = await makeBoard(t, ana, 'Sections');
    const left = await makeSection(t, ana, board, 'Left');
    const right = await makeSection(t, ana, board, 'Right');
    const pin = (await createPin(t, ana, board, { board_section_id: left })).id;
    expect(await pageIds(`/v5/boards/${board}/sections/${left}/pins`)).toEqual([pin]);
    expect(await pageIds(`/v5/boards/${board}/sections/${right}/pins`)).toEqual([]);

    const move = await other.request({ method: 'PATCH', url: `/v5/pins/${pin}`, as: ana, payload: { board_id: board, board_section_id: right } });
    expect(move.statusCode, move.body).toBe(200);
    expect(await pageIds(`/v5/boards/${board}/sections/${left}/pins`)).toEqual([]);
    expect(await pageIds(`/v5/boards/${board}/sections/${right}/pins`)).toEqual([pin]);
  });

  it('still fills the page when pins leave without a counter moving (a collaborator deleting their account)', async () => {
    const cleo = await t.signUp('cleo');
    const board = await makeBoard(t, ana, 'Shared');
    await addCollaborator(t, ana, board, cleo, 'editor');
    const anaPins: string[] = [];
    for (let i = 0; i < 3; i++) anaPins.unshift((await createPin(t, ana, board)).id);
    const cleoPins: string[] = [];
    for (let i = 0; i < 2; i++) cleoPins.unshift((await createPin(t, cleo, board)).id);
    const url = `/v5/boards/${board}/pins?page_size=3`;
    expect(await pageIds(url)).toEqual(cleoPins.concat(anaPins).slice(0, 3));

    // Straight in the database, as an operator would: the cascade passes the board's counters by.
    await t.container.database.db.deleteFrom('users').where('id', '=', cleo.id).execute();
    await t.container.background.settle();
    const page = await t.request({ method: 'GET', url, as: ben });
    expect(page.statusCode, page.body).toBe(200);
    const body = page.json<{ items: Array<{ id: string }>; bookmark: string | null }>();
    expect(body.items.map((item) => item.id)).toEqual(anaPins);
  });
});
