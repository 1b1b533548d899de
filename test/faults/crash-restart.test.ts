// Crash consistency: the server is killed with SIGKILL at random moments of a keyed write loop (no
// shutdown, no onSend, connections cut mid-transaction), started again, and every request that was
// not acknowledged is retried with its Idempotency-Key, as a client does. Every acknowledged write
// must be present exactly once, a write that committed before the kill must come back as a replay
// (not be made again), no retry may meet 409 (a dead process holds no key), and the owner's and the
// board's counters and the follower's home feed must match the rows exactly.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sleep, waitFor } from './harness/commands.js';
import type { CorkboardProcess } from './harness/corkboard-process.js';
import { apiOf, DATABASE, report, smallPngs, startFaultWorld, type FaultWorld } from './harness/fault-world.js';
import { checkLedger, sendKeyedWrite, type WriteOutcome } from './harness/write-load.js';
import { seededRandom } from '../../src/demo/demo-images.js';

const WRITES = 200;
const KILLS = 3;
const CONCURRENCY = 6;
// The feed shows followed pins alone (no picked-for-you pins to tell apart).
const ENV = { FEED_PICKED_RATE: '0' };

let world: FaultWorld;
let server: CorkboardProcess;

beforeAll(async () => {
  world = await startFaultWorld({ redis: true });
  server = await world.startServer({ env: ENV });
});
afterAll(async () => {
  await world?.teardown.run();
});

interface Attempt extends WriteOutcome {
  round: number;
}

describe('the server killed with SIGKILL during keyed writes, restarted, and every write retried', () => {
  it('keeps every acknowledged write exactly once, replays the ones that committed, and never answers 409', async () => {
    const first = apiOf(server);
    const author = await first.signUp('crash_author');
    const follower = await first.signUp('crash_follower');
    const boardId = await first.createBoard(author, 'Crashes');
    const followed = await first.request('POST', `/v5/user_account/following/${author.username}`, { token: follower.token, body: {} });
    expect(followed.status).toBe(200);
    // The follower has read their feed: fan-out keeps their timeline from now on.
    await first.homeFeedIds(follower);
    // One picture per pin: the home feed shows a picture once.
    const images = await smallPngs(WRITES);

    const seed = Date.now() % 2 ** 31;
    // Seeded, so a failing run's kill moments can be told (the seed is reported).
    const next = seededRandom(seed);
    const attempts: Attempt[] = [];
    const acknowledged = new Map<number, Attempt>();
    const kills: Array<{ round: number; afterWrites: number; at: number; inFlight: number; restartMs: number }> = [];
    // Writes not yet acknowledged; the ones cut by a kill go first in the next round.
    let queue = Array.from({ length: WRITES }, (_, n) => n);

    for (let round = 0; queue.length > 0 && round <= KILLS + 2; round += 1) {
      const write = { api: apiOf(server), user: author, boardId, run: 'crash', images };
      const killing = round < KILLS;
      // Killed after a random number of this round's writes answered, plus a random fraction of one.
      const killAfter = 8 + Math.floor(next() * 30);
      const killDelayMs = Math.floor(next() * 40);
      const work = [...queue];
      const cut: number[] = [];
      let answered = 0;
      const pendingKill = { done: null as Promise<void> | null };
      let dead = false;
      const worker = async () => {
        while (work.length > 0 && !dead) {
          const n = work.shift()!;
          const outcome = await sendKeyedWrite(write, n);
          attempts.push({ ...outcome, round });
          if (outcome.status === 201) acknowledged.set(n, { ...outcome, round });
          else cut.push(n);
          answered += 1;
          if (killing && answered === killAfter && !pendingKill.done) {
            pendingKill.done = sleep(killDelayMs).then(async () => {
              const at = Date.now();
              await server.kill('SIGKILL');
              dead = true;
              kills.push({ round, afterWrites: killAfter, at, inFlight: 0, restartMs: 0 });
            });
          }
        }
      };
      await Promise.all(Array.from({ length: CONCURRENCY }, worker));
      await pendingKill.done;
      queue = [...cut.sort((a, b) => a - b), ...work];
      if (killing) {
        expect(server.exit?.signal, 'the round ended before its kill').toBe('SIGKILL');
        const kill = kills[kills.length - 1]!;
        kill.inFlight = attempts.filter((attempt) => attempt.round === round && attempt.status === 0).length;
        const restarting = Date.now();
        server = await world.startServer({ env: ENV });
        kill.restartMs = Date.now() - restarting;
      }
    }

    const api = apiOf(server);
    const retried = attempts.filter((attempt) => attempts.some((earlier) => earlier.n === attempt.n && earlier.startedAt < attempt.startedAt));
    const ledger = await world.postgres.admin((client) => checkLedger(client, author, boardId, [...acknowledged.values()]), DATABASE);
    const keys = await world.postgres.admin(
      (client) => client.query<{ count: number }>("SELECT count(*)::int AS count FROM idempotency_keys WHERE user_id = $1 AND key LIKE 'crash-key-%'", [author.id]),
      DATABASE,
    );

    // The follower's home feed holds every pin exactly once.
    const pinIds = [...acknowledged.values()].map((attempt) => attempt.pinId!);
    let feed: string[] = [];
    const feedComplete = await waitFor(
      'every pin in the follower feed',
      async () => {
        feed = await api.homeFeedIds(follower);
        return pinIds.every((id) => feed.includes(id)) ? true : undefined;
      },
      60_000,
      500,
    ).catch(() => false);
    const missing = [...acknowledged.values()].filter((attempt) => !feed.includes(attempt.pinId!));

    const statuses: Record<string, number> = {};
    for (const attempt of attempts) statuses[String(attempt.status)] = (statuses[String(attempt.status)] ?? 0) + 1;
    report('SIGKILL x3 at random moments of keyed pin creation, restart, retry with the keys', {
      seed,
      kills: kills.map(({ round, afterWrites, inFlight, restartMs }) => ({ round, afterWrites, inFlight, restartMs })),
      attempts: attempts.length,
      statuses,
      retried: retried.length,
      retriesReplayed: retried.filter((attempt) => attempt.replayed).length,
      retriesConflicted: retried.filter((attempt) => attempt.status === 409).length,
      ...ledger,
      feedItems: feed.length,
      feedDistinct: new Set(feed).size,
      feedMissing: missing.map((attempt) => ({ n: attempt.n, round: attempt.round, replayed: attempt.replayed ?? false, endedAt: attempt.endedAt })),
      killedAt: kills.map((kill) => kill.at),
    });

    expect(kills).toHaveLength(KILLS);
    expect(kills.reduce((sum, kill) => sum + kill.inFlight, 0)).toBeGreaterThan(0);
    // Every write acknowledged in the end; nothing but 201 and the connections the kills cut.
    expect(acknowledged.size).toBe(WRITES);
    expect(Object.keys(statuses).filter((status) => status !== '201' && status !== '0')).toEqual([]);
    expect(retried.filter((attempt) => attempt.status === 409)).toEqual([]);
    // Exactly once, whichever side of the kill each commit fell on.
    expect(ledger.lostAcknowledged).toEqual([]);
    expect(ledger.duplicates).toEqual([]);
    expect(ledger.counters.pinRows).toBe(WRITES);
    expect(ledger.counters.ownerPinCount).toBe(WRITES);
    expect(ledger.counters.boardPinCount).toBe(WRITES);
    expect(keys.rows[0]?.count).toBe(WRITES);
    // A replay answers with the pin the first attempt made.
    for (const attempt of retried.filter((retry) => retry.replayed)) expect(acknowledged.get(attempt.n)?.pinId).toBe(attempt.pinId);
    // The timeline: every pin once, nothing else.
    expect(feedComplete).toBe(true);
    expect(feed.length).toBe(WRITES);
    expect(new Set(feed)).toEqual(new Set(pinIds));
  }, 480_000);
});
