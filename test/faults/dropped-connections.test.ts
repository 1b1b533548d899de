// Dropped database connections under write load: every backend of Corkboard's database is terminated
// (pg_terminate_backend, as an operator or a failover does) three times while a keyed write loop runs.
// The process must live through it; writes caught in the blip answer 503 with Retry-After (never a
// 500, never a dropped connection); the next ones succeed; every acknowledged pin is in the database
// exactly once and the counters match the rows. Then every refused write is retried with its key, as a
// client does: a write that had committed before its connection broke is replayed, not made again,
// so no title is ever present twice.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { apiOf, DATABASE, report, smallPngs, startFaultWorld, type FaultWorld } from './harness/fault-world.js';
import type { CorkboardProcess } from './harness/corkboard-process.js';
import { checkLedger, keyedWriteLoop, pngSource, recoveryMs, retryUnacknowledged } from './harness/write-load.js';

let world: FaultWorld;
let server: CorkboardProcess;

beforeAll(async () => {
  world = await startFaultWorld({ redis: true });
  server = await world.startServer();
});
afterAll(async () => {
  await world?.teardown.run();
});

describe('a database connection dropped while writes run', () => {
  it('keeps the process alive, answers 503 with Retry-After in the blip, and loses or doubles nothing', async () => {
    const api = apiOf(server);
    const user = await api.signUp('dropper');
    const boardId = await api.createBoard(user, 'Dropped connections');
    const images = await smallPngs(64);

    const terminateAfter = [40, 110, 180];
    const faults: Array<{ at: number; terminated: number }> = [];
    let done = 0;
    const pending: Array<Promise<void>> = [];
    const write = { api, user, boardId, run: 'drop', images };
    const outcomes = await keyedWriteLoop({
      ...write,
      count: 260,
      concurrency: 6,
      onWrite: () => {
        done += 1;
        if (terminateAfter.includes(done)) {
          const at = Date.now();
          pending.push(world.postgres.terminateBackends(DATABASE).then((terminated) => void faults.push({ at, terminated })));
        }
      },
    });
    await Promise.all(pending);

    expect(server.alive, server.describe()).toBe(true);
    // The next request succeeds, and so does a write.
    const after = await api.request('POST', '/v5/pins', {
      token: user.token,
      body: { board_id: boardId, title: 'after the blips', media_source: pngSource(images[0]!) },
    });
    expect(after.status, JSON.stringify(after.body)).toBe(201);

    const ledger = await world.postgres.admin((client) => checkLedger(client, user, boardId, outcomes), DATABASE);
    faults.sort((a, b) => a.at - b.at);
    const recoveries = faults.map((fault, index) => recoveryMs(outcomes, fault.at, faults[index + 1]?.at));
    // Every refused write retried with its key: each succeeds, a committed one as a replay.
    const retries = await retryUnacknowledged(write, outcomes);
    const afterRetries = await world.postgres.admin(
      (client) => checkLedger(client, user, boardId, outcomes.map((outcome) => retries.find((retry) => retry.n === outcome.n) ?? outcome)),
      DATABASE,
    );
    report('pg_terminate_backend x3 under keyed pin creation', {
      backendsTerminated: faults.map((fault) => fault.terminated),
      ...ledger,
      recoveryMs: recoveries,
      retried: retries.length,
      retriesReplayed: retries.filter((retry) => retry.replayed).length,
      duplicatesAfterRetries: afterRetries.duplicates.length,
    });

    expect(faults.every((fault) => fault.terminated > 0)).toBe(true);
    expect(ledger.lostAcknowledged).toEqual([]);
    expect(ledger.duplicates).toEqual([]);
    // Only 503s, each with Retry-After: no 500, no connection dropped on the client.
    expect(Object.keys(ledger.refused).filter((status) => status !== '503')).toEqual([]);
    expect(ledger.unavailableWithoutRetryAfter).toBe(0);
    // The counters count the rows (the pin made after the loop included).
    expect(ledger.counters.ownerPinCount).toBe(ledger.counters.pinRows);
    expect(ledger.counters.boardPinCount).toBe(ledger.counters.pinRows);
    expect(ledger.acknowledged + 1 + ledger.presentUnacknowledged).toBe(ledger.counters.pinRows);

    expect(retries.filter((retry) => retry.status !== 201)).toEqual([]);
    // Exactly the refused writes that had committed come back as replays of their first answer.
    expect(retries.filter((retry) => retry.replayed).length).toBe(ledger.presentUnacknowledged);
    expect(afterRetries.duplicates).toEqual([]);
    expect(afterRetries.lostAcknowledged).toEqual([]);
    expect(afterRetries.counters.pinRows).toBe(outcomes.length + 1);
    expect(afterRetries.counters.ownerPinCount).toBe(afterRetries.counters.pinRows);
    expect(afterRetries.counters.boardPinCount).toBe(afterRetries.counters.pinRows);
  });
});
