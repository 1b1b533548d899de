// The walk algorithm on small hand-made graphs, synchronously (no workers, no database).
import { describe, expect, it } from 'vitest';
import { buildSnapshot, EdgeList } from './graph-builder.js';
import { LiveGraph } from './pin-board-graph.js';
import { PixieWalker, stepBudgets, type WalkSettings } from './pixie.js';

/** A graph from `board: pins` lines; returns it with name -> number maps. */
function graphOf(boards: Record<string, string[]>, prune = { maxBoardPins: 1_000, maxPinDegree: 1_000 }) {
  const pins = new Map<string, number>();
  const boardNumbers = new Map<string, number>();
  const edges = new EdgeList();
  for (const [board, members] of Object.entries(boards)) {
    boardNumbers.set(board, boardNumbers.size);
    for (const pin of members) {
      if (!pins.has(pin)) pins.set(pin, pins.size);
      edges.push(pins.get(pin)!, boardNumbers.get(board)!);
    }
  }
  const built = buildSnapshot(edges, pins.size, boardNumbers.size, { ...prune, seed: 7 });
  const graph = new LiveGraph(built.snapshot);
  // The snapshot numbers nodes by degree: names go through its ranks.
  const name = (node: number) => [...pins].find(([, n]) => n === built.pinOrder[node])![0];
  return {
    graph,
    pin: (p: string) => built.pinRank[pins.get(p)!]!,
    board: (b: string) => built.boardRank[boardNumbers.get(b)!]!,
    name,
    pruning: built.pruning,
  };
}

const ONE_STEP: WalkSettings = { steps: 200_000, restartProbability: 1, earlyStopPins: 0, earlyStopVisits: 4 };

describe('Pixie walks', () => {
  const boosterGraph = () =>
    graphOf({
      b1: ['A', 'Y'],
      b2: ['A', 'Y'],
      b3: ['A', 'Y'],
      b4: ['A', 'Y'],
      b5: ['A', 'X'],
      b6: ['B', 'X'],
      b7: ['B', 'X'],
      b8: ['B', 'Z'],
    });

  it('gives the same pins and scores for the same seed, and other walks for another seed', () => {
    const { graph, pin } = boosterGraph();
    const walker = new PixieWalker(graph);
    const settings: WalkSettings = { steps: 5_000, restartProbability: 0.3, earlyStopPins: 0, earlyStopVisits: 4 };
    const ask = (seed: number) => walker.recommend({ queries: [{ pin: pin('A'), weight: 1 }], seed, limit: 10, settings });
    const first = ask(42);
    const again = ask(42);
    expect(Array.from(again.pins)).toEqual(Array.from(first.pins));
    expect(Array.from(again.scores)).toEqual(Array.from(first.scores));
    expect(Array.from(ask(43).scores)).not.toEqual(Array.from(first.scores));
  });

  it('never returns the query pin and counts visits as walk steps', () => {
    const { graph, pin, name } = boosterGraph();
    const result = new PixieWalker(graph).recommend({ queries: [{ pin: pin('A'), weight: 1 }], seed: 1, limit: 10, settings: ONE_STEP });
    expect(Array.from(result.pins, name)).toEqual(['Y', 'X']);
    expect(result.steps).toBe(ONE_STEP.steps);
    // From A: a board (4 of 5 hold Y), then one of its two pins: Y 0.4, X 0.1 of the steps.
    expect(result.scores[0]! / ONE_STEP.steps).toBeCloseTo(0.4, 2);
    expect(result.scores[1]! / ONE_STEP.steps).toBeCloseTo(0.1, 2);
  });

  it('splits the steps between query pins by weight and degree (N_q ~ w_q |E(q)| (C - log |E(q)|))', () => {
    const { graph, pin } = boosterGraph();
    const [a, b] = stepBudgets(graph, [{ pin: pin('A'), weight: 1 }, { pin: pin('B'), weight: 1 }], 1_000);
    const sA = 5 * (5 - Math.log(5));
    const sB = 3 * (5 - Math.log(3));
    expect(a).toBe(Math.round((1_000 * sA) / (sA + sB)));
    expect(a! + b!).toBe(1_000);
    const [heavier] = stepBudgets(graph, [{ pin: pin('A'), weight: 3 }, { pin: pin('B'), weight: 1 }], 1_000);
    expect(heavier).toBe(Math.round((1_000 * 3 * sA) / (3 * sA + sB)));
  });

  it('boosts pins reached from several query pins over pins reached often from one (multi-hit booster)', () => {
    const { graph, pin, name } = boosterGraph();
    const walker = new PixieWalker(graph);
    const queries = [{ pin: pin('A'), weight: 1 }, { pin: pin('B'), weight: 1 }];
    // Plain visit counts summed over both walks favour Y (reached often, from A only) ...
    const budgets = stepBudgets(graph, queries, ONE_STEP.steps);
    const alone = queries.map((query, i) =>
      walker.recommend({ queries: [query], seed: 9, limit: 10, settings: { ...ONE_STEP, steps: budgets[i]! } }),
    );
    const summed = new Map<string, number>();
    for (const result of alone) result.pins.forEach((p, i) => summed.set(name(p), (summed.get(name(p)) ?? 0) + result.scores[i]!));
    expect(summed.get('Y')!).toBeGreaterThan(summed.get('X')! * 1.1);
    // ... the booster (sum of square roots, squared) puts X, reached from both, first.
    const boosted = walker.recommend({ queries, seed: 9, limit: 10, settings: ONE_STEP });
    expect(Array.from(boosted.pins, name).slice(0, 2)).toEqual(['X', 'Y']);
    const xA = alone[0]!.scores[Array.from(alone[0]!.pins, name).indexOf('X')]!;
    const xB = alone[1]!.scores[Array.from(alone[1]!.pins, name).indexOf('X')]!;
    expect(boosted.scores[0]! / (Math.sqrt(xA) + Math.sqrt(xB)) ** 2).toBeCloseTo(1, 1);
  });

  it('stops early once np pins have nv visits, keeping the best pins', () => {
    const boards: Record<string, string[]> = {};
    for (let b = 0; b < 40; b += 1) boards[`b${b}`] = ['Q', `P${b % 8}`, `R${b}`];
    const { graph, pin } = graphOf(boards);
    const walker = new PixieWalker(graph);
    const settings: WalkSettings = { steps: 100_000, restartProbability: 0.5, earlyStopPins: 0, earlyStopVisits: 4 };
    const full = walker.recommend({ queries: [{ pin: pin('Q'), weight: 1 }], seed: 3, limit: 8, settings });
    const early = walker.recommend({
      queries: [{ pin: pin('Q'), weight: 1 }],
      seed: 3,
      limit: 8,
      settings: { ...settings, earlyStopPins: 8, earlyStopVisits: 200 },
    });
    expect(full.steps).toBe(100_000);
    expect(full.stoppedEarly).toBe(0);
    expect(early.stoppedEarly).toBe(1);
    expect(early.steps).toBeLessThan(full.steps / 5);
    // The eight pins on five boards each (P0..P7) lead either way.
    expect(new Set(early.pins)).toEqual(new Set(full.pins));
    expect(early.scores[7]!).toBeGreaterThanOrEqual(200);
  });

  it('leans towards the newest edges with a recency bias, and walks uniformly without one', () => {
    // One board, its pins added in this order (the adjacency keeps it): Q first, P1 oldest ... P4 newest.
    const { graph, pin, name } = graphOf({ b: ['Q', 'P1', 'P2', 'P3', 'P4'] });
    const walker = new PixieWalker(graph);
    const visits = (recencyBias: number) => {
      const result = walker.recommend({ queries: [{ pin: pin('Q'), weight: 1 }], seed: 4, limit: 10, settings: { ...ONE_STEP, recencyBias } });
      return new Map(Array.from(result.pins, (p, i) => [name(p), result.scores[i]!]));
    };
    const uniform = visits(0);
    expect(uniform.get('P4')! / uniform.get('P1')!).toBeCloseTo(1, 1);
    // The newest of two draws out of five: index i with probability (2i + 1) / 25.
    const biased = visits(1);
    expect(biased.get('P4')! / ONE_STEP.steps).toBeCloseTo(9 / 25, 2);
    expect(biased.get('P1')! / ONE_STEP.steps).toBeCloseTo(3 / 25, 2);
  });

  it('prunes boards over the pin cap and samples the edges of pins over the degree cap', () => {
    const boards: Record<string, string[]> = { big: ['A', 'B', 'C', 'D', 'E'] };
    for (let b = 0; b < 6; b += 1) boards[`s${b}`] = ['H', `x${b}`];
    const { graph, pin, board, pruning } = graphOf(boards, { maxBoardPins: 4, maxPinDegree: 3 });
    expect(pruning).toEqual({ boardsDropped: 1, edgesDroppedWithBoards: 5, pinsSampled: 1, edgesDroppedBySampling: 3 });
    expect(graph.pinsOf(board('big'))).toEqual([]);
    expect(graph.boardsOf(pin('H'))).toHaveLength(3);
    expect(graph.snapshot.maxPinDegree).toBe(3);
  });

  it('follows the overlay: new edges are walked, removed pins and boards are not', () => {
    const { graph, pin, board, name } = graphOf({ b1: ['A', 'B'], b2: ['A', 'C'] });
    const walker = new PixieWalker(graph);
    const ask = () => Array.from(walker.recommend({ queries: [{ pin: pin('A'), weight: 1 }], seed: 5, limit: 10, settings: ONE_STEP }).pins);
    expect(ask().map(name).sort()).toEqual(['B', 'C']);
    const fresh = graph.pinCount; // a pin created after the snapshot
    graph.apply({ op: 'link', pin: fresh, board: board('b1') });
    expect(ask()).toContain(fresh);
    graph.apply({ op: 'killPin', pin: pin('B') });
    expect(ask()).not.toContain(pin('B'));
    graph.apply({ op: 'killBoard', board: board('b2') });
    expect(ask()).toEqual([fresh]);
    graph.apply({ op: 'unlink', pin: fresh, board: board('b1') });
    expect(ask()).toEqual([]);
    graph.apply({ op: 'setBoard', board: board('b2'), pins: [pin('A'), pin('C')] });
    expect(ask().map(name)).toEqual(['C']);
  });
});
