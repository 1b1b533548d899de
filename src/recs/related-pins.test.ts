// Related pins through the API, as a client sees them: the v5 list contract and its pages, the same
// 404 as GET /v5/pins/{pin_id} for a pin one may not see, secret pins never shown (also after their
// board turns secret), deleted pins gone, new pins found, GraphQL with no N+1, the home feed's
// picked-for-you source, and the step budget read through an experiment.
//
// The pins (board: pins; "K1*" is a save of K1):
//   ana Kitchen: K1 K2 K3 K4 S1*     ana Hidden (SECRET): S1
//   ben Cooking: B1 B2 K1* K2*       cy Food: K1* K3* B1*       dee Later: K2* B2*
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp, type TestUser } from '../../test/support/test-app.js';
import { assertMatchesV5 } from '../../test/support/contract.js';
import { createPin, makeBoard } from '../pins/pin-test-support.js';
import { countStatements, gql } from '../graphql/graphql-test-support.js';
import type { PinBody } from '../pins/pin.schemas.js';

let t: TestApp;
let ana: TestUser;
let ben: TestUser;
let cy: TestUser;
let dee: TestUser;
const pins: Record<string, string> = {};
const boards: Record<string, string> = {};
const names = new Map<string, string>();

async function save(user: TestUser, pin: string, board: string): Promise<void> {
  const res = await t.request({ method: 'POST', url: `/v5/pins/${pins[pin]}/save`, as: user, payload: { board_id: boards[board] } });
  expect(res.statusCode, res.body).toBe(201);
}

async function original(user: TestUser, name: string, board: string): Promise<void> {
  const pin = await createPin(t, user, boards[board]!, { title: name });
  pins[name] = pin.id;
  names.set(pin.id, name);
}

/** GET /v5/pins/{pin}/related as `user`: the response, checked against the v5 Pin list contract when 200. */
async function related(user: TestUser, pin: string, query = '') {
  const res = await t.request({ method: 'GET', url: `/v5/pins/${pins[pin] ?? pin}/related${query}`, as: user });
  if (res.statusCode === 200) assertMatchesV5('GET', '/boards/{board_id}/pins', 200, res.json());
  return res;
}

async function relatedNames(user: TestUser, pin: string): Promise<string[]> {
  const res = await related(user, pin, '?page_size=50');
  expect(res.statusCode, res.body).toBe(200);
  return res.json<{ items: PinBody[] }>().items.map((item) => names.get(item.id) ?? item.id);
}

/** The engine's own answer (before any privacy check), by name. */
async function walkedNames(pin: string): Promise<string[]> {
  const { graph } = t.container.relatedPinsParts;
  const result = await graph.walk({
    queries: [{ pinId: pins[pin]!, weight: 1 }],
    seed: 1,
    limit: 50,
    settings: { steps: 20_000, restartProbability: 0.5, earlyStopPins: 0, earlyStopVisits: 4 },
  });
  return result.pinIds.map((id) => names.get(id) ?? id);
}

beforeAll(async () => {
  t = await createTestApp();
  [ana, ben, cy, dee] = await Promise.all([t.signUpAdmin('ana'), t.signUp('ben'), t.signUp('cyd'), t.signUp('dee')]);
  boards.Kitchen = await makeBoard(t, ana, 'Kitchen');
  boards.Hidden = await makeBoard(t, ana, 'Hidden', 'SECRET');
  boards.Cooking = await makeBoard(t, ben, 'Cooking');
  boards.Food = await makeBoard(t, cy, 'Food');
  boards.Later = await makeBoard(t, dee, 'Later');
  for (const name of ['K1', 'K2', 'K3', 'K4']) await original(ana, name, 'Kitchen');
  await original(ana, 'S1', 'Hidden');
  await save(ana, 'S1', 'Kitchen');
  await original(ben, 'B1', 'Cooking');
  await original(ben, 'B2', 'Cooking');
  await save(ben, 'K1', 'Cooking');
  await save(ben, 'K2', 'Cooking');
  await save(cy, 'K1', 'Food');
  await save(cy, 'K3', 'Food');
  await save(cy, 'B1', 'Food');
  await save(dee, 'K2', 'Later');
  await save(dee, 'B2', 'Later');
  await t.container.relatedPinsParts.graph.ready();
  await t.container.background.settle();
});

afterAll(async () => {
  await t.container.relatedPinsParts.stop();
  await t.close();
});

describe('GET /v5/pins/{pin_id}/related', () => {
  it('answers pins saved alongside the pin, best first, as a v5 Pin list, never the pin itself', async () => {
    const found = await relatedNames(ben, 'K1');
    expect(found).not.toContain('K1');
    expect(new Set(found)).toEqual(new Set(['K2', 'K3', 'K4', 'B1', 'B2']));
    // K2 shares two boards with K1 (Kitchen, Cooking); K4 only one.
    expect(found.indexOf('K2')).toBeLessThan(found.indexOf('K4'));
  });

  it('walks from the original when asked about a save, and gives the same answer every time', async () => {
    const saveOfK1 = await t.container.db.selectFrom('pins').select('id').where('parent_pin_id', '=', pins.K1!).where('board_id', '=', boards.Food!).executeTakeFirstOrThrow();
    const fromSave = await related(cy, saveOfK1.id, '?page_size=50');
    const fromOriginal = await related(cy, 'K1', '?page_size=50');
    expect(fromSave.json()).toEqual(fromOriginal.json());
    expect((await related(cy, 'K1', '?page_size=50')).json()).toEqual(fromOriginal.json());
  });

  it('pages with bookmarks: no pin twice, none skipped, bookmark null on the last page', async () => {
    const all = (await related(dee, 'K1', '?page_size=50')).json<{ items: PinBody[] }>().items.map((item) => item.id);
    const paged: string[] = [];
    let bookmark: string | null = null;
    do {
      const res = await related(dee, 'K1', `?page_size=2${bookmark ? `&bookmark=${bookmark}` : ''}`);
      expect(res.statusCode).toBe(200);
      const body = res.json<{ items: PinBody[]; bookmark: string | null }>();
      expect(body.items.length).toBeLessThanOrEqual(2);
      paged.push(...body.items.map((item) => item.id));
      bookmark = body.bookmark;
    } while (bookmark);
    expect(paged).toEqual(all);
    expect((await related(dee, 'K1', '?bookmark=not-a-bookmark')).json()).toMatchObject({ code: 4001 });
  });

  it('answers 404 exactly as GET /v5/pins/{pin_id} for a secret pin, an unknown one and a malformed id', async () => {
    for (const id of [pins.S1!, '123456789', 'abc']) {
      const get = await t.request({ method: 'GET', url: `/v5/pins/${id}`, as: ben });
      const res = await related(ben, id);
      expect(res.statusCode).toBe(404);
      expect(res.json()).toEqual(get.json());
      expect(res.json()).toMatchObject({ code: 50 });
    }
    expect((await related(ana, 'S1')).statusCode).toBe(200);
    expect((await t.request({ method: 'GET', url: `/v5/pins/${pins.K1}/related` })).statusCode).toBe(401);
  });

  it('never shows a pin of a secret board, even to its owner, though its public saves connect it', async () => {
    // The engine reaches S1 (ana saved it onto Kitchen); nobody is shown it.
    expect(await walkedNames('K1')).toContain('S1');
    for (const user of [ana, ben, cy, dee]) expect(await relatedNames(user, 'K1')).not.toContain('S1');
  });

  it('finds a new pin once the change log reaches the graph, and forgets a deleted one', async () => {
    await original(ana, 'K5', 'Kitchen');
    await t.container.background.settle();
    expect(await relatedNames(ben, 'K1')).toContain('K5');

    const deleted = await t.request({ method: 'DELETE', url: `/v5/pins/${pins.K4}`, as: ana });
    expect(deleted.statusCode).toBe(204);
    await t.container.background.settle();
    expect(await walkedNames('K1')).not.toContain('K4');
    expect(await relatedNames(ben, 'K1')).not.toContain('K4');
  });
});

describe('GraphQL relatedPins', () => {
  const ON_BOARD = /* GraphQL */ `
    query OnBoard($id: ID!, $first: Int!) {
      board(id: $id) {
        pins(first: $first) {
          edges { node { entityId relatedPins(first: 3) { edges { node { entityId title pinner { username } } } pageInfo { endCursor } } } }
        }
      }
    }
  `;

  it('answers the same pins as REST, and the same 404 for a pin one may not see', async () => {
    const rest = (await related(cy, 'K2', '?page_size=3')).json<{ items: PinBody[]; bookmark: string | null }>();
    const res = await gql<{ relatedPins: { edges: Array<{ node: { entityId: string } }>; pageInfo: { endCursor: string | null } } }>(
      t,
      cy,
      'query ($id: ID!) { relatedPins(pinId: $id, first: 3) { edges { node { entityId } } pageInfo { endCursor } } }',
      { id: pins.K2 },
    );
    expect(res.errors).toEqual([]);
    expect(res.data!.relatedPins.edges.map((edge) => edge.node.entityId)).toEqual(rest.items.map((item) => item.id));
    expect(res.data!.relatedPins.pageInfo.endCursor).toBe(rest.bookmark);

    const hidden = await gql(t, cy, 'query ($id: ID!) { relatedPins(pinId: $id) { edges { node { id } } } }', { id: pins.S1 });
    expect(hidden.data).toEqual({ relatedPins: null });
    expect(hidden.errors.map((error) => error.extensions.code)).toEqual(['PIN_NOT_FOUND']);
  });

  const BACKGROUND = /change_log|log_consumers|engagement_events|experiment_exposure_events|experiment_config_version|advisory|\bjobs\b|^\s*(begin|commit|rollback)\s*$/i;

  // Three walks is the most one request may ask for (docs/graphql.md#cost).
  it('runs as many statements for the related pins of 3 pins as of 2 (no N+1)', async () => {
    const run = (first: number) =>
      countStatements(t, async () => {
        const res = await gql(t, ben, ON_BOARD, { id: boards.Kitchen, first });
        expect(res.errors).toEqual([]);
      });
    await run(2);
    const two = await run(2);
    const three = await run(3);
    // Only the request's own statements: the background (change log, jobs, experiment definitions) polls meanwhile.
    const own = (statements: string[]) => statements.filter((sql) => !BACKGROUND.test(sql));
    expect(own(three.statements)).toHaveLength(own(two.statements).length);
  });
});

describe('cached ranked lists', () => {
  it('walks once per pin and graph version: a repeated request, from any viewer or page, reuses the list', async () => {
    const { metrics } = t.container.relatedPinsParts;
    // A new graph version: no list cached so far is reused.
    await original(ana, 'K7', 'Kitchen');
    await t.container.background.settle();
    const walks = metrics.tally.walks;
    const steps = metrics.tally.steps;
    const first = await relatedNames(ben, 'K1');
    expect(first).toContain('K7');
    expect(metrics.tally.walks).toBe(walks + 1);
    expect(await relatedNames(dee, 'K1')).toEqual(first);
    const pageOne = (await related(cy, 'K1', '?page_size=2')).json<{ items: PinBody[]; bookmark: string }>();
    const pageTwo = (await related(cy, 'K1', `?page_size=2&bookmark=${pageOne.bookmark}`)).json<{ items: PinBody[] }>();
    expect([...pageOne.items, ...pageTwo.items].map((item) => names.get(item.id))).toEqual(first.slice(0, 4));
    expect(metrics.tally.walks).toBe(walks + 1);
    expect(metrics.tally.steps).toBe(steps + t.config.relatedPins.steps);

    // A change the graph applies is a new version: the next request walks again.
    await save(dee, 'K3', 'Later');
    await t.container.background.settle();
    await relatedNames(ben, 'K1');
    expect(metrics.tally.walks).toBe(walks + 2);
  });

  it('never shows a pin whose board turned secret or that was deleted, from a list cached before the change', async () => {
    // Spare: X1 X3     Spare2: X2 X1*   (X1's related pins: X3 and X2)
    boards.Spare = await makeBoard(t, ana, 'Spare');
    boards.Spare2 = await makeBoard(t, ana, 'Spare2');
    await original(ana, 'X1', 'Spare');
    await original(ana, 'X3', 'Spare');
    await original(ana, 'X2', 'Spare2');
    await save(ana, 'X1', 'Spare2');
    await t.container.background.settle();
    expect(new Set(await relatedNames(ben, 'X1'))).toEqual(new Set(['X2', 'X3']));

    const { graph, metrics } = t.container.relatedPinsParts;
    const version = graph.version;
    const walks = metrics.tally.walks;
    const secret = await t.request({ method: 'PATCH', url: `/v5/boards/${boards.Spare2}`, as: ana, payload: { privacy: 'SECRET' } });
    expect(secret.statusCode, secret.body).toBe(200);
    const deleted = await t.request({ method: 'DELETE', url: `/v5/pins/${pins.X3}`, as: ana });
    expect(deleted.statusCode).toBe(204);
    // Before the graph applies the changes, the cached list still names X2 and X3: each page checks them.
    for (const user of [ana, ben]) expect(await relatedNames(user, 'X1')).toEqual([]);
    if (graph.version === version) expect(metrics.tally.walks).toBe(walks);

    await t.container.background.settle();
    expect(graph.version).toBeGreaterThan(version);
    for (const user of [ana, ben]) expect(await relatedNames(user, 'X1')).toEqual([]);
  });
});

describe('after a board turns secret', () => {
  it('shows none of its pins anywhere, though saves on public boards still reach them', async () => {
    expect(await relatedNames(cy, 'K1')).toEqual(expect.arrayContaining(['B1', 'B2']));
    const res = await t.request({ method: 'PATCH', url: `/v5/boards/${boards.Cooking}`, as: ben, payload: { privacy: 'SECRET' } });
    expect(res.statusCode, res.body).toBe(200);
    await t.container.background.settle();
    expect(await walkedNames('K1')).toContain('B1');
    for (const user of [ana, ben, cy, dee]) {
      for (const pin of ['K1', 'K2', 'K3']) {
        const found = await relatedNames(user, pin);
        expect(found).not.toContain('B1');
        expect(found).not.toContain('B2');
      }
    }
  });
});

describe('picked for a user (the home feed source)', () => {
  it('walks from their latest saves and close-ups, and never offers what they saved or a secret pin', async () => {
    const picked = await t.container.services.relatedPins.pickedForUser(dee.id, 10);
    const pickedNames = picked.map((item) => names.get(item.pinId));
    expect(pickedNames.length).toBeGreaterThan(0);
    expect(pickedNames).not.toContain('K2');
    expect(pickedNames).not.toContain('S1');
    expect(pickedNames).not.toContain('B2');
    for (let i = 1; i < picked.length; i += 1) expect(picked[i]!.score).toBeLessThanOrEqual(picked[i - 1]!.score);

    const eve = await t.signUp('eve');
    expect(await t.container.services.relatedPins.pickedForUser(eve.id, 10)).toEqual([]);
    await t.container.db
      .insertInto('engagement_events')
      .values({ id: t.container.ids.next(), user_id: eve.id, pin_id: pins.K3!, kind: 'closeup', occurred_at: new Date() })
      .execute();
    const fromCloseup = (await t.container.services.relatedPins.pickedForUser(eve.id, 10)).map((item) => names.get(item.pinId));
    expect(fromCloseup).toContain('K1');
    expect(await t.container.services.relatedPins.pickedForUser('999999999', 10)).toEqual([]);
  });
});

describe('the step budget', () => {
  it('comes from the related-pins-step-budget experiment when one runs', async () => {
    const { metrics } = t.container.relatedPinsParts;
    // A new graph version, so K3's list is walked rather than reused.
    await original(ana, 'K8', 'Kitchen');
    await t.container.background.settle();
    const stepsOf = async () => {
      const before = metrics.tally.steps;
      expect((await related(dee, 'K3')).statusCode).toBe(200);
      return metrics.tally.steps - before;
    };
    expect(await stepsOf()).toBe(t.config.relatedPins.steps);
    const created = await t.request({
      method: 'POST',
      url: '/v5/experiments',
      as: ana,
      payload: {
        key: 'related-pins-step-budget',
        name: 'Fewer steps',
        variations: [
          { key: 'short', value: 500 },
          { key: 'shorter', value: 300 },
        ],
      },
    });
    expect(created.statusCode, created.body).toBe(201);
    const started = await t.request({ method: 'POST', url: '/v5/experiments/related-pins-step-budget/start', as: ana });
    expect(started.statusCode, started.body).toBe(200);
    await t.container.experimentParts.catalog.refresh();
    expect([500, 300]).toContain(await stepsOf());
  });
});

describe('rebuilding the graph', () => {
  it('swaps in a graph built from the database that walks like the one the changes kept, with changes made meanwhile', async () => {
    const { graph } = t.container.relatedPinsParts;
    const before = new Set(await walkedNames('K1'));
    expect(graph.stats!.overlayNodes).toBeGreaterThan(0);
    const rebuilding = graph.rebuild();
    await original(ana, 'K6', 'Kitchen');
    await t.container.background.settle();
    await rebuilding;
    await t.container.background.settle();
    expect(new Set(await walkedNames('K1'))).toEqual(new Set([...before, 'K6']));
    expect(await relatedNames(cy, 'K1')).toContain('K6');
  });
});
