// A real PostgreSQL restart under write load: `pg_ctl restart` of the throwaway cluster, first a fast
// shutdown (every session ended, the port closed until it is back), then an immediate one (no
// checkpoint: crash recovery at start). Corkboard must not need a restart: it lives through it, answers
// 503 with Retry-After while the database is away (`/readyz` 503, `/healthz` 200), and serves again
// by itself. Every acknowledged pin is present exactly once and the counters match the rows.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sleep } from './harness/commands.js';
import type { CorkboardProcess } from './harness/corkboard-process.js';
import { apiOf, DATABASE, report, smallPngs, startFaultWorld, type FaultWorld } from './harness/fault-world.js';
import type { StopMode } from './harness/postgres-cluster.js';
import { checkLedger, keyedWriteLoop, recoveryMs } from './harness/write-load.js';

let world: FaultWorld;
let server: CorkboardProcess;

beforeAll(async () => {
  world = await startFaultWorld({ redis: true });
  server = await world.startServer();
});
afterAll(async () => {
  await world?.teardown.run();
});

interface Probe {
  at: number;
  readyz: number;
  healthz: number;
}

describe('PostgreSQL restarted while writes run', () => {
  it('needs no Corkboard restart: 503 with Retry-After while it is away, then every write succeeds', async () => {
    const api = apiOf(server);
    const user = await api.signUp('restarter');
    const boardId = await api.createBoard(user, 'Restarts');
    const images = await smallPngs(64);

    // Health and readiness, probed every 100 ms while the loop runs.
    const probes: Probe[] = [];
    let probing = true;
    const prober = (async () => {
      while (probing) {
        const [readyz, healthz] = await Promise.all([api.request('GET', '/readyz', { timeoutMs: 3000 }), api.request('GET', '/healthz', { timeoutMs: 3000 })]);
        probes.push({ at: Date.now(), readyz: readyz.status, healthz: healthz.status });
        await sleep(100);
      }
    })();

    const restarts: Array<{ mode: StopMode; at: number; backAt: number }> = [];
    const plan: Record<number, StopMode> = { 40: 'fast', 140: 'immediate' };
    let done = 0;
    let restarting: Promise<void> = Promise.resolve();
    const outcomes = await keyedWriteLoop({
      api,
      user,
      boardId,
      run: 'restart',
      // Runs until four seconds after the last restart is back (bounded by count), so that the tail
      // checked below exists however fast this machine writes.
      count: 1500,
      stop: () => restarts.length === Object.keys(plan).length && Date.now() > restarts[restarts.length - 1]!.backAt + 4000,
      concurrency: 4,
      images,
      onWrite: () => {
        done += 1;
        const mode = plan[done];
        if (mode) {
          const at = Date.now();
          restarting = restarting.then(() => world.postgres.restart(mode).then(() => void restarts.push({ mode, at, backAt: Date.now() })));
        }
      },
    });
    await restarting;
    await sleep(500);
    probing = false;
    await prober;

    expect(server.alive, server.describe()).toBe(true);
    const ledger = await world.postgres.admin((client) => checkLedger(client, user, boardId, outcomes), DATABASE);
    const figures = restarts.map((restart, index) => {
      const until = restarts[index + 1]?.at ?? Infinity;
      const notReady = probes.filter((probe) => probe.at >= restart.at && probe.at < until && probe.readyz !== 200);
      const readyAgain = probes.find((probe) => probe.at > restart.backAt && probe.readyz === 200);
      return {
        mode: restart.mode,
        databaseAwayMs: restart.backAt - restart.at,
        writesRecoveredAfterMs: recoveryMs(outcomes, restart.at, until),
        readyzNotReadyProbes: notReady.length,
        readyAgainAfterBackMs: readyAgain ? readyAgain.at - restart.backAt : null,
      };
    });
    report('PostgreSQL restart (pg_ctl restart -m fast, then -m immediate) under keyed pin creation', { restarts: figures, ...ledger });

    expect(restarts.map((restart) => restart.mode)).toEqual(['fast', 'immediate']);
    expect(ledger.lostAcknowledged).toEqual([]);
    expect(ledger.duplicates).toEqual([]);
    expect(Object.keys(ledger.refused).filter((status) => status !== '503')).toEqual([]);
    expect(ledger.unavailableWithoutRetryAfter).toBe(0);
    expect(ledger.counters.ownerPinCount).toBe(ledger.counters.pinRows);
    expect(ledger.counters.boardPinCount).toBe(ledger.counters.pinRows);
    expect(ledger.acknowledged + ledger.presentUnacknowledged).toBe(ledger.counters.pinRows);
    // Liveness never failed; readiness said so while the database was away, and came back.
    expect(probes.every((probe) => probe.healthz === 200)).toBe(true);
    expect(probes[probes.length - 1]!.readyz).toBe(200);
    // The writes after the last restart all succeeded (the loop's tail).
    const last = restarts[restarts.length - 1]!;
    const tail = outcomes.filter((outcome) => outcome.startedAt > last.backAt + 3000);
    expect(tail.length).toBeGreaterThan(0);
    expect(tail.filter((outcome) => outcome.status !== 201)).toEqual([]);
  });
});
