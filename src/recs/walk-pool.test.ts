// The worker pool: walks answered by worker threads over the shared graph, overlay ops reaching every
// worker, and the event loop staying responsive while walks run.
import { afterAll, describe, expect, it } from 'vitest';
import { buildSnapshot, EdgeList } from './graph-builder.js';
import { LiveGraph } from './pin-board-graph.js';
import { PixieWalker, type WalkRequest } from './pixie.js';
import { WalkPool } from './walk-pool.js';

function ringGraph(pins: number, boards: number) {
  const edges = new EdgeList();
  for (let p = 0; p < pins; p += 1) {
    edges.push(p, p % boards);
    edges.push(p, (p * 7 + 3) % boards);
  }
  return buildSnapshot(edges, pins, boards, { maxBoardPins: 10_000, maxPinDegree: 100, seed: 1 }).snapshot;
}

const settings = { steps: 200_000, restartProbability: 0.5, earlyStopPins: 0, earlyStopVisits: 4 };

describe('walk pool', () => {
  const pool = new WalkPool(2);
  afterAll(() => pool.close());

  it('answers walks in worker threads exactly as the same walk inline, with overlay ops applied', async () => {
    const snapshot = ringGraph(20_000, 2_000);
    pool.install(snapshot, []);
    const request: WalkRequest = { queries: [{ pin: 5, weight: 1 }], seed: 11, limit: 20, settings };
    const inline = new PixieWalker(new LiveGraph(snapshot)).recommend(request);
    const [a, b] = await Promise.all([pool.walk(request), pool.walk(request)]);
    expect(Array.from(a.pins)).toEqual(Array.from(inline.pins));
    expect(Array.from(b.scores)).toEqual(Array.from(inline.scores));

    const top = inline.pins[0]!;
    pool.apply([{ op: 'killPin', pin: top }]);
    const after = await Promise.all([pool.walk(request), pool.walk(request)]);
    for (const result of after) expect(Array.from(result.pins)).not.toContain(top);
  });

  it('keeps the event loop responsive while walks run', async () => {
    pool.install(ringGraph(200_000, 20_000), []);
    const heavy: WalkRequest = { queries: [{ pin: 1, weight: 1 }], seed: 1, limit: 10, settings: { ...settings, steps: 2_000_000 } };
    let ticks = 0;
    let worstGap = 0;
    let last = performance.now();
    const timer = setInterval(() => {
      const now = performance.now();
      worstGap = Math.max(worstGap, now - last);
      last = now;
      ticks += 1;
    }, 5);
    const started = performance.now();
    await Promise.all([pool.walk(heavy), pool.walk(heavy), pool.walk(heavy), pool.walk(heavy)]);
    const elapsed = performance.now() - started;
    clearInterval(timer);
    // The walks take a while; the timer kept firing every few milliseconds throughout.
    expect(elapsed).toBeGreaterThan(50);
    expect(ticks).toBeGreaterThan(elapsed / 25);
    expect(worstGap).toBeLessThan(Math.max(100, elapsed / 3));
  });
});
