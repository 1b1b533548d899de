// A real Redis restart under load, twice: a clean stop and start, then a crash (SIGKILL) with Redis
// away for two seconds. Redis holds nothing that is not also in PostgreSQL (cache, timelines, queued
// jobs), so no request may fail: every keyed write is acknowledged and present once, every home feed
// read answers. Afterwards every acknowledged pin is in the follower's home feed, and fan-out runs
// again: new pins reach the follower's stored timeline in Redis.
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sleep, waitFor } from './harness/commands.js';
import type { CorkboardProcess } from './harness/corkboard-process.js';
import type { ApiClient, ApiUser } from './harness/api-client.js';
import { apiOf, DATABASE, report, smallPngs, startFaultWorld, type FaultWorld } from './harness/fault-world.js';
import { checkLedger, keyedWriteLoop, pngSource } from './harness/write-load.js';

let world: FaultWorld;
let server: CorkboardProcess;

beforeAll(async () => {
  world = await startFaultWorld({ redis: true });
  // The feed shows followed pins first and alone (no picked-for-you pins to tell apart).
  server = await world.startServer({ env: { FEED_PICKED_RATE: '0' } });
});
afterAll(async () => {
  await world?.teardown.run();
});

async function feedIds(api: ApiClient, viewer: ApiUser): Promise<Set<string>> {
  return new Set(await api.homeFeedIds(viewer));
}

describe('Redis restarted while writes and reads run', () => {
  it('fails no request, loses no pin, and fan-out resumes by itself', async () => {
    const api = apiOf(server);
    const author = await api.signUp('redis_author');
    const follower = await api.signUp('redis_follower');
    const boardId = await api.createBoard(author, 'Through Redis restarts');
    expect((await api.request('POST', `/v5/user_account/following/${author.username}`, { token: follower.token, body: {} })).status).toBe(200);
    await feedIds(api, follower);
    const images = await smallPngs(300);

    const reads: number[] = [];
    let reading = true;
    const reader = (async () => {
      while (reading) {
        reads.push((await api.request('GET', '/v5/feeds/home?page_size=25', { token: follower.token })).status);
        await sleep(200);
      }
    })();

    const restarts: Array<{ kind: string; at: number; backAt: number }> = [];
    let done = 0;
    let restarting: Promise<void> = Promise.resolve();
    const outcomes = await keyedWriteLoop({
      api,
      user: author,
      boardId,
      run: 'redis',
      count: 240,
      concurrency: 4,
      images,
      onWrite: () => {
        done += 1;
        const at = Date.now();
        if (done === 40) {
          restarting = restarting.then(() => world.redis!.restart('SIGTERM').then(() => void restarts.push({ kind: 'stop and start', at, backAt: Date.now() })));
        }
        if (done === 140) {
          restarting = restarting.then(async () => {
            await world.redis!.stop('SIGKILL');
            await sleep(2000);
            await world.redis!.startServer();
            restarts.push({ kind: 'crash, away 2 s', at, backAt: Date.now() });
          });
        }
      },
    });
    const lastWriteAt = Date.now();
    await restarting;
    reading = false;
    await reader;

    expect(server.alive, server.describe()).toBe(true);
    const ledger = await world.postgres.admin((client) => checkLedger(client, author, boardId, outcomes), DATABASE);
    expect(ledger.refused).toEqual({});
    expect(ledger.lostAcknowledged).toEqual([]);
    expect(ledger.duplicates).toEqual([]);
    expect(ledger.counters.ownerPinCount).toBe(ledger.counters.pinRows);
    expect(reads.filter((status) => status !== 200)).toEqual([]);

    // Every acknowledged pin reaches the follower's feed.
    const acknowledged = outcomes.filter((outcome) => outcome.pinId).map((outcome) => outcome.pinId!);
    await waitFor(
      'every acknowledged pin in the follower feed',
      async () => {
        const ids = await feedIds(api, follower);
        return acknowledged.every((id) => ids.has(id)) ? true : undefined;
      },
      60_000,
      500,
    );
    const feedCompleteMs = Date.now() - lastWriteAt;

    // Fan-out on write works again: a new pin is delivered into the stored timeline in Redis.
    const redis = new Redis(world.redis!.url(), { maxRetriesPerRequest: 1 });
    try {
      const created = Date.now();
      const fresh = await api.request('POST', '/v5/pins', { token: author.token, body: { board_id: boardId, title: 'after the restarts', media_source: pngSource(images[299]!) } });
      expect(fresh.status).toBe(201);
      const pinId = (fresh.body as { id: string }).id;
      await waitFor('the new pin in the stored timeline', async () => ((await redis.zscore(`${world.env.REDIS_KEY_PREFIX}tl:${follower.id}`, pinId)) ? true : undefined), 60_000, 100);
      report('Redis restart (stop/start, then SIGKILL and 2 s away) under keyed pin creation and feed reads', {
        restarts: restarts.map((restart) => ({ kind: restart.kind, redisAwayMs: restart.backAt - restart.at })),
        ...ledger,
        feedReads: reads.length,
        feedReadsFailed: reads.filter((status) => status !== 200).length,
        everyPinInFeedAfterLastWriteMs: feedCompleteMs,
        newPinFannedOutAfterMs: Date.now() - created,
      });
    } finally {
      redis.disconnect();
    }
  });
});
