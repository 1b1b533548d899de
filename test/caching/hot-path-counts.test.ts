// What the hottest reads cost, counted: a warm GET /v5/pins/{id} and a warm board pins page send no
// statement and no Redis command of their own, and a run of warm reads does not read the change log
// once per request (fresh-reads.ts: one shared read per process and PERMISSION_FRESHNESS_MS at most).
// A cold pin (or a cold list of pins) costs one statement for every row it needs and at most one
// Redis round trip (writing the owners' rows back), instead of a round per kind of row.
// Counts, not timings, so they hold on a busy machine.
import type { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp, type TestUser } from '../support/test-app.js';
import { countStatements } from '../../src/graphql/graphql-test-support.js';
import { createPin, makeBoard } from '../../src/pins/pin-test-support.js';
import { ROW_NAMESPACES } from '../../src/platform/cache/cached-rows.js';
import { V5_SCOPES, type Viewer } from '../../src/platform/http/viewer.js';

let t: TestApp;
let ana: TestUser;
let ben: TestUser;
let boardId: string;
let pinId: string;
const pinIds: string[] = [];
/** Ben's save of one of Ana's pins: reading it needs both pins, both boards and Ben's public row. */
let savedPinId: string;

/** Commands this process sends to Redis (the cache tier's and rate limits' connection) while `work` runs. */
async function countRedisCommands(work: () => Promise<unknown>): Promise<number> {
  const client: Redis | undefined = t.container.background.redis;
  if (!client) {
    await work();
    return 0;
  }
  let sent = 0;
  const send = client.sendCommand.bind(client);
  client.sendCommand = (...args: Parameters<Redis['sendCommand']>) => {
    sent += 1;
    return send(...args);
  };
  try {
    await work();
  } finally {
    // Back to the prototype's method.
    Reflect.deleteProperty(client, 'sendCommand');
  }
  return sent;
}

/** Statements and Redis commands of one request, after a first one warmed the caches. */
async function warmCost(url: string): Promise<{ statements: string[]; redis: number }> {
  expect((await t.request({ method: 'GET', url, as: ben })).statusCode).toBe(200);
  let statements: string[] = [];
  const redis = await countRedisCommands(async () => {
    statements = (
      await countStatements(t, async () => {
        expect((await t.request({ method: 'GET', url, as: ben })).statusCode).toBe(200);
      })
    ).statements;
  });
  return { statements, redis };
}

beforeAll(async () => {
  t = await createTestApp();
  ana = await t.signUp('ana');
  ben = await t.signUp('ben');
  boardId = await makeBoard(t, ana, 'Hot paths');
  for (let i = 0; i < 25; i++) pinIds.push((pinId = (await createPin(t, ana, boardId, { title: `Pin ${i}` })).id));
  const bensBoard = await makeBoard(t, ben, 'Saved');
  const saved = await t.request({ method: 'POST', url: `/v5/pins/${pinId}/save`, as: ben, payload: { board_id: bensBoard } });
  expect(saved.statusCode, saved.body).toBe(201);
  savedPinId = saved.json<{ id: string }>().id;
  // The pins' writes drop cached rows twice (the second a moment later): let that land first.
  await t.container.background.settle();
});

afterAll(async () => {
  await t.close();
});

/** Statements on rows (not the change-log reads that make the cache usable, nor activity) and Redis commands of `work`, every row cache emptied first. */
async function coldCost(work: () => Promise<unknown>): Promise<{ statements: string[]; redis: number }> {
  await t.container.background.cache.clearNamespaces(Object.values(ROW_NAMESPACES));
  let statements: string[] = [];
  const redis = await countRedisCommands(async () => {
    statements = (await countStatements(t, work)).statements;
  });
  return { statements: statements.filter((sql) => !/change_log|user_activity/.test(sql)), redis };
}

describe('cold pins', () => {
  it('reads a cold pin saved from another pin (two pins, two boards, an owner) with one statement and one Redis command', async () => {
    const cost = await coldCost(async () => {
      const reply = await t.request({ method: 'GET', url: `/v5/pins/${savedPinId}`, as: ana });
      expect(reply.statusCode, reply.body).toBe(200);
      expect(reply.json()).toMatchObject({ id: savedPinId, parent_pin_id: pinId });
    });
    expect(cost.statements.length, cost.statements.join('\n')).toBe(1);
    // The owner's public row written back to Redis (the other rows decide access and stay in this process).
    expect(cost.redis).toBe(process.env.REDIS_URL ? 1 : 0);
  });

  it('reads 26 cold pins at once (a page of a list) with one statement and one Redis pipeline', async () => {
    const viewer: Viewer = { userId: ben.id, username: ben.username, scopes: new Set(V5_SCOPES), isAdmin: false };
    const cost = await coldCost(async () => {
      const found = await t.container.services.pins.getReadableMany(viewer, [...pinIds, savedPinId]);
      expect(found.size).toBe(26);
    });
    expect(cost.statements.length, cost.statements.join('\n')).toBe(1);
    // The two owners' public rows, written back in one pipeline.
    expect(cost.redis).toBe(process.env.REDIS_URL ? 2 : 0);
  });
});

describe('hot read paths', () => {
  it('answers a warm pin read without a statement or a Redis command', async () => {
    const cost = await warmCost(`/v5/pins/${pinId}`);
    expect(cost.statements, cost.statements.join('\n')).toEqual([]);
    expect(cost.redis).toBe(0);
  });

  it('answers a warm board pins page (25 pins) without a statement or a Redis command', async () => {
    const cost = await warmCost(`/v5/boards/${boardId}/pins?page_size=25`);
    expect(cost.statements, cost.statements.join('\n')).toEqual([]);
    expect(cost.redis).toBe(0);
  });

  it('does not read the change log once per request: 100 warm reads, 20 at a time, share the reads of the change log', async () => {
    const url = `/v5/pins/${pinId}`;
    expect((await t.request({ method: 'GET', url, as: ben })).statusCode).toBe(200);
    let sent = 0;
    // Every statement of the process, background reads of the change log included.
    const stop = t.container.database.statements.watch(() => {
      sent += 1;
    });
    const started = performance.now();
    try {
      for (let batch = 0; batch < 5; batch++) {
        const answers = await Promise.all(Array.from({ length: 20 }, () => t.request({ method: 'GET', url, as: ben })));
        for (const answer of answers) expect(answer.statusCode).toBe(200);
      }
    } finally {
      stop();
    }
    const elapsedMs = performance.now() - started;
    // The rule (fresh-reads.ts): a read starts when half of PERMISSION_FRESHNESS_MS has passed since the
    // last one, however many requests arrive meanwhile; so the reads follow the clock, not the requests.
    const halfWindowMs = t.config.permissionFreshnessMs / 2;
    expect(sent, `${sent} statements in ${elapsedMs.toFixed(0)} ms`).toBeLessThanOrEqual(Math.ceil(elapsedMs / halfWindowMs) + 2);
    expect(sent, `${sent} statements in ${elapsedMs.toFixed(0)} ms`).toBeLessThan(100);
  });
});
