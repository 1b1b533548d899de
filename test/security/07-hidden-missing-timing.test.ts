// Finding 7 (timing): a hidden board or pin answered 404 in about 1.1 ms and a missing id in about
// 2.3 ms (a hidden row was in the cache, a missing id went to the database every time), so 19 of 20
// ids were classified from timing alone. Missing ids are now remembered by the cache as rows are
// (platform/cache/cached-rows.ts), and a missing pin or board goes through the same access decision
// as a hidden one (pins/pin-details-reader.ts, boards/cached-boards.ts), so both answers take the
// same path. Checked twice: the reads each answer makes (cache reads by table, warm; statements,
// cold) must be the same, and, measured as an attacker would (many interleaved requests for hidden
// and missing ids of the same age, compared with the rank statistics of timing-statistics.ts), a
// threshold classifier must not beat chance, in REST and GraphQL. Also for the newest ids, which an
// attacker would probe first: a pin made a moment ago against a missing id of the same millisecond.
import type { LightMyRequestResponse } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp, type TestUser } from '../support/test-app.js';
import { createBoard, createPin } from '../support/fixtures.js';
import { countStatements } from '../../src/graphql/graphql-test-support.js';
import { toGlobalId } from '../../src/graphql/relay.js';
import { ROW_NAMESPACES } from '../../src/platform/cache/cached-rows.js';
import { EPOCH_MS } from '../../src/platform/ids.js';
import { compareTimings } from './timing-statistics.js';

let t: TestApp;
let owner: TestUser;
let stranger: TestUser;
const hidden = { boards: [] as string[], pins: [] as string[] };

/** An id of a row made a year ago that does not exist (ids are time-ordered; old ones are settled). */
function missingId(index: number): string {
  const ms = BigInt(Date.now() - 365 * 24 * 3600 * 1000 - EPOCH_MS + index);
  return ((ms << 22n) | BigInt(index % 4096)).toString();
}

interface Door {
  name: string;
  kind: 'pins' | 'boards';
  /** Measured statistically too (the writes' doors share one path: only save is timed). */
  timed: boolean;
  /** The stranger's request for the id. */
  send(id: string): Promise<LightMyRequestResponse>;
  /** The answer a missing id gets (checked outside the timed part). */
  notFound(reply: LightMyRequestResponse): void;
}

function graphqlDoor(kind: Door['kind'], field: 'pin' | 'board', code: string): Door {
  const type = field === 'pin' ? 'Pin' : 'Board';
  return {
    name: `GraphQL ${field}(id)`,
    kind,
    timed: true,
    send: (id) =>
      t.request({ method: 'POST', url: '/graphql', as: stranger, payload: { query: `query Q($id: ID!) { ${field}(id: $id) { id } }`, variables: { id: toGlobalId(type, id) } } }),
    notFound: (reply) => expect(reply.json<{ errors?: Array<{ extensions: { code: string } }> }>().errors?.map((error) => error.extensions.code)).toEqual([code]),
  };
}

function restDoor(kind: Door['kind'], method: 'GET' | 'POST' | 'PATCH' | 'DELETE' = 'GET', path = '', payload?: () => object): Door {
  return {
    name: `${method} /v5/${kind}/{id}${path}`,
    kind,
    timed: method === 'GET' || path === '/save',
    send: (id) => t.request({ method, url: `/v5/${kind}/${id}${path}`, as: stranger, payload: payload?.() }),
    notFound: (reply) => expect(reply.json()).toEqual({ code: kind === 'pins' ? 50 : 40, message: kind === 'pins' ? 'Pin not found.' : 'Board not found.' }),
  };
}

/** The stranger's own board, where they try to save the pins they guess. */
let strangersBoard = '';

const doors: Door[] = [
  restDoor('pins'),
  restDoor('boards'),
  graphqlDoor('pins', 'pin', 'PIN_NOT_FOUND'),
  graphqlDoor('boards', 'board', 'BOARD_NOT_FOUND'),
  // Writes read the database, not the cache: the same statements before either 404.
  restDoor('pins', 'POST', '/save', () => ({ board_id: strangersBoard })),
  restDoor('pins', 'PATCH', '', () => ({ title: 'Mine now' })),
  restDoor('pins', 'DELETE'),
  {
    name: 'GraphQL savePin',
    kind: 'pins',
    timed: false,
    send: (id) =>
      t.request({
        method: 'POST',
        url: '/graphql',
        as: stranger,
        payload: { query: 'mutation S($id: ID!, $board: ID!) { savePin(id: $id, input: {boardId: $board}) { id } }', variables: { id: toGlobalId('Pin', id), board: toGlobalId('Board', strangersBoard) } },
      }),
    notFound: (reply) => expect(reply.json<{ errors?: Array<{ extensions: { code: string } }> }>().errors?.map((error) => error.extensions.code)).toEqual(['PIN_NOT_FOUND']),
  },
];

beforeAll(async () => {
  t = await createTestApp();
  owner = await t.signUp('hilda');
  stranger = await t.signUp('mallory');
  for (let i = 0; i < 4; i++) {
    const board = await createBoard(t, owner, { name: `Hidden ${i}`, privacy: i % 2 === 0 ? 'SECRET' : 'PROTECTED' });
    hidden.boards.push(board.id);
    hidden.pins.push((await createPin(t, owner, board.id, { title: `Hidden pin ${i}` })).id);
  }
  // The stranger's first request (token lookup, activity) is behind them: what follows is the 404's.
  strangersBoard = (await createBoard(t, stranger, { name: 'Loot' })).id;
});
afterAll(async () => t?.close());

const ROW_CACHES: readonly string[] = Object.values(ROW_NAMESPACES);

/** Reads of the row caches so far, by namespace and outcome (hit or load). */
async function rowCacheReads(): Promise<Map<string, number>> {
  const metric = await t.container.metrics.registry.getSingleMetric('corkboard_cache_requests_total')!.get();
  return new Map(
    metric.values
      .filter(({ labels }) => ROW_CACHES.includes(String(labels.namespace)))
      .map(({ labels, value }) => [`${labels.namespace} ${labels.outcome}`, value]),
  );
}

/** The row-cache reads and the statements on rows one request makes. */
async function readsOf(door: Door, id: string): Promise<{ cache: Record<string, number>; statements: string[] }> {
  const before = await rowCacheReads();
  let reply: LightMyRequestResponse | undefined;
  const { statements } = await countStatements(t, async () => {
    reply = await door.send(id);
  });
  door.notFound(reply!);
  const cache: Record<string, number> = {};
  for (const [key, value] of await rowCacheReads()) if (value !== (before.get(key) ?? 0)) cache[key] = value - (before.get(key) ?? 0);
  // Left out: the change log read that makes the cache usable (shared with other requests), and the
  // token lookup and activity writes any request of the stranger's may make once their entries expire.
  return { cache, statements: statements.filter((sql) => !/change_log|oauth_tokens|user_activity|feed_timeline/.test(sql)) };
}

describe('a hidden id and a missing id make the same reads before their 404', () => {
  for (const door of doors) {
    it(`${door.name}: the same cache reads when warm, the same statements when cold`, async () => {
      const [hiddenId, missing] = [hidden[door.kind][0]!, missingId(door.name.length * 131 + 3)];
      // Cold: nothing of either in the cache.
      await t.container.background.cache.clearNamespaces(ROW_CACHES);
      const hiddenCold = await readsOf(door, hiddenId);
      await t.container.background.cache.clearNamespaces(ROW_CACHES);
      const missingCold = await readsOf(door, missing);
      expect(missingCold.statements, 'statements of a missing id, cold').toEqual(hiddenCold.statements);
      expect(missingCold.statements.length).toBeGreaterThan(0);
      // Warm: both asked before.
      await door.send(hiddenId);
      expect((await readsOf(door, missing)).cache, 'cache reads of a missing id, warm').toEqual((await readsOf(door, hiddenId)).cache);
    });
  }
});

// Cold reads cost the same only if nothing is cached; the common case is a hidden pin whose board is
// cached because its owner is browsing it, while nobody asked for the pin yet.
describe('a hidden pin whose board is cached and a missing id', () => {
  it('GET /v5/pins/{id}: the same statements the first time each is asked for', async () => {
    const door = doors[0]!;
    await t.container.background.cache.clearNamespaces(ROW_CACHES);
    expect((await t.request({ method: 'GET', url: `/v5/boards/${hidden.boards[0]}`, as: owner })).statusCode).toBe(200);
    const hiddenFirst = await readsOf(door, hidden.pins[0]!);
    const missingFirst = await readsOf(door, missingId(4099));
    expect(missingFirst.statements, 'statements of a missing id, asked for the first time').toEqual(hiddenFirst.statements);
  });
});

function shuffle<T>(items: T[]): T[] {
  for (let i = items.length - 1; i > 0; i--) {
    const j = Math.floor(Math.random() * (i + 1));
    [items[i], items[j]] = [items[j]!, items[i]!];
  }
  return items;
}

/** Asks each id once (as anyone probing would), then times interleaved rounds: can a classifier tell the groups apart? */
async function timingOf(door: Door, hiddenIds: readonly string[], missingIds: readonly string[]): Promise<ReturnType<typeof compareTimings>> {
  const timed = async (id: string): Promise<number> => {
    const started = performance.now();
    const reply = await door.send(id);
    const ms = performance.now() - started;
    door.notFound(reply);
    return ms;
  };
  for (const id of [...hiddenIds, ...missingIds]) await timed(id);
  const samples = { hidden: [] as number[], missing: [] as number[] };
  for (let round = 0; round < 60; round++) {
    const order = shuffle([...hiddenIds.map((id) => ({ id, group: 'hidden' as const })), ...missingIds.map((id) => ({ id, group: 'missing' as const }))]);
    for (const { id, group } of order) samples[group].push(await timed(id));
  }
  const comparison = compareTimings(samples.hidden, samples.missing);
  if (process.env.TIMING_REPORT) console.log(`timing ${door.name}: ${comparison.summary}`);
  return comparison;
}

describe('a hidden id and a missing id answer 404 alike in time', () => {
  doors.forEach((door, doorIndex) => {
    if (!door.timed) return;
    it(`${door.name}: a classifier by timing does no better than chance`, async () => {
      const hiddenIds = hidden[door.kind];
      const missingIds = hiddenIds.map((_id, index) => missingId(index * 7919 + doorIndex + 1));
      const comparison = await timingOf(door, hiddenIds, missingIds);
      expect(comparison.distinguishable, comparison.summary).toBe(false);
      // A few seconds on an idle machine; 488 requests of a loaded one (20 ms each) take longer than
      // the default 30 s.
    }, 120_000);
  });
});

/**
 * An id of the same millisecond and shard as `id` that names nothing: a sequence number near the
 * top, which a generator reaches only after 4,000 ids in that millisecond.
 */
function sameAgeMissingId(id: string, index: number): string {
  return ((BigInt(id) & ~0xfffn) | BigInt(4095 - index)).toString();
}

// Ids are time-ordered, so an attacker probes the newest ones: a pin made a moment ago, which its owner
// is looking at (so it is cached), against ids of the same millisecond that name nothing. Missing ids
// used to be remembered only once older than a minute (no row could still be inserted under them), so
// for that minute each request for a fresh missing id read the database twice (the pin, the board of
// its id) while a fresh hidden pin answered from the cache.
describe('a pin made a moment ago and a missing id of the same age', () => {
  const fresh: string[] = [];
  const freshDoors = doors.filter((door) => door.kind === 'pins' && door.timed && !door.name.includes('save'));

  beforeAll(async () => {
    for (let i = 0; i < 4; i++) {
      const board = await createBoard(t, owner, { name: `Fresh ${i}`, privacy: i % 2 === 0 ? 'SECRET' : 'PROTECTED' });
      const pin = (await createPin(t, owner, board.id, { title: `Fresh pin ${i}` })).id;
      // Its owner opens it: the pin and its board are cached.
      expect((await t.request({ method: 'GET', url: `/v5/pins/${pin}`, as: owner })).statusCode).toBe(200);
      fresh.push(pin);
    }
  });

  for (const door of freshDoors) {
    it(`${door.name}: the same cache reads and statements, asked once before and cold`, async () => {
      const [hiddenId, missing] = [fresh[0]!, sameAgeMissingId(fresh[0]!, 1)];
      // Each asked once before, as a prober would.
      await door.send(hiddenId);
      await door.send(missing);
      const [hiddenWarm, missingWarm] = [await readsOf(door, hiddenId), await readsOf(door, missing)];
      expect(missingWarm.cache, 'cache reads of a fresh missing id, asked before').toEqual(hiddenWarm.cache);
      expect(missingWarm.statements, 'statements of a fresh missing id, asked before').toEqual(hiddenWarm.statements);
      await t.container.background.cache.clearNamespaces(ROW_CACHES);
      const hiddenCold = await readsOf(door, hiddenId);
      await t.container.background.cache.clearNamespaces(ROW_CACHES);
      const missingCold = await readsOf(door, missing);
      expect(missingCold.statements, 'statements of a fresh missing id, cold').toEqual(hiddenCold.statements);
    });
  }

  freshDoors.forEach((door, doorIndex) => {
    it(`${door.name}: a classifier by timing does no better than chance`, async () => {
      const missingIds = fresh.map((id, index) => sameAgeMissingId(id, 2 + doorIndex * 4 + index));
      const comparison = await timingOf(door, fresh, missingIds);
      expect(comparison.distinguishable, comparison.summary).toBe(false);
    }, 120_000);
  });
});
