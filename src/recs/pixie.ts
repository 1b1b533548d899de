// Pixie's random walks (Eksombatchai et al., "Pixie: A System for Recommending 3+ Billion Items to
// 200+ Million Users in Real-Time", WWW 2018), over a LiveGraph:
// - Algorithm 2 (one query pin): walks of lengths drawn per restart (geometric with restart
//   probability alpha), pin -> random board -> random pin, counting visits, until N steps are spent
//   or np pins have reached nv visits (early stopping).
// - Algorithm 3 (several weighted query pins): query q gets N_q steps, proportional to w_q * s_q with
//   s_q = |E(q)| * (C - log |E(q)|), C the largest pin degree (scaled by degree, sub-linearly), and the
//   per-query counts are combined with the multi-hit booster V[p] = (sum_q sqrt(V_q[p]))^2, which
//   favours pins reached from several query pins over pins reached often from one.
// Pure and synchronous: no Node imports, so workers and unit tests run the same code.
import { DEAD, LiveGraph } from './pin-board-graph.js';
import { WalkRng } from './prng.js';
import { ScoreTable } from './score-table.js';

export interface WalkSettings {
  /** N: the total step budget over all query pins. */
  steps: number;
  /** alpha: the chance a walk restarts after each step (mean walk length 1/alpha). */
  restartProbability: number;
  /** np: stop once this many pins have nv visits (0 never stops early). */
  earlyStopPins: number;
  /** nv. */
  earlyStopVisits: number;
  /**
   * Leaning towards recent edges (0: none, as in the paper): each neighbour is the newest of
   * 1 + recencyBias uniform draws, so a board's recently added pins and a pin's recent boards are
   * walked more often. Adjacency lists run from the oldest edge to the newest.
   */
  recencyBias?: number;
}

export interface QueryPin {
  pin: number;
  weight: number;
}

export interface WalkRequest {
  queries: readonly QueryPin[];
  seed: number;
  /** How many pins to return, best first. */
  limit: number;
  /** Pins never returned (besides the query pins themselves). */
  exclude?: readonly number[];
  settings: WalkSettings;
}

export interface WalkResult {
  /** Plain ArrayBuffers (never shared), so a worker can transfer them to the caller without a copy. */
  pins: Int32Array<ArrayBuffer>;
  scores: Float64Array<ArrayBuffer>;
  /** Steps actually walked (at most N; fewer when stopped early). */
  steps: number;
  /** Query pins whose walk stopped early. */
  stoppedEarly: number;
  /** Distinct pins visited (over all query pins). */
  visited: number;
}

const MAX_WALK_LENGTH = 10_000;

export class PixieWalker {
  private readonly visits = new ScoreTable(1 << 15);
  private readonly combined = new ScoreTable(1 << 15);
  private readonly rng = new WalkRng(1);

  constructor(public graph: LiveGraph) {}

  recommend(request: WalkRequest): WalkResult {
    const { queries, settings } = request;
    this.rng.reseed(request.seed);
    const live = queries.filter((query) => query.weight > 0 && this.graph.pinDegree(query.pin) > 0);
    const budgets = stepBudgets(this.graph, live, settings.steps);
    let steps = 0;
    let stoppedEarly = 0;
    this.combined.clear();
    this.visits.clear();
    let scores: ScoreTable = this.visits;
    for (let q = 0; q < live.length; q += 1) {
      this.visits.clear();
      const walked = this.walk(live[q]!.pin, budgets[q]!, settings);
      steps += walked.steps;
      if (walked.stoppedEarly) stoppedEarly += 1;
      if (live.length > 1) {
        for (let i = 0; i < this.visits.size; i += 1) this.combined.add(this.visits.keyAt(i), Math.sqrt(this.visits.valueAt(i)));
        scores = this.combined;
      }
    }
    const excluded = new Set<number>(request.exclude ?? []);
    for (const query of queries) excluded.add(query.pin);
    const top = topScores(scores, request.limit, (pin) => excluded.has(pin) || !this.graph.isLivePin(pin));
    // The booster's sum of square roots, squared (a single query's scores are its visit counts).
    if (live.length > 1) for (let i = 0; i < top.scores.length; i += 1) top.scores[i] = top.scores[i]! ** 2;
    return { ...top, steps, stoppedEarly, visited: scores.size };
  }

  /** Algorithm 2 for one query pin; visits accumulate in this.visits. */
  private walk(query: number, budget: number, settings: WalkSettings): { steps: number; stoppedEarly: boolean } {
    const graph = this.graph;
    const { pinOffsets, pinBoards, boardOffsets, boardPins, pinCount: snapshotPins, boardCount: snapshotBoards } = graph.snapshot;
    const pinState = graph.pinState;
    const boardState = graph.boardState;
    const rng = this.rng;
    const visits = this.visits;
    const alpha = Math.min(1, Math.max(1e-6, settings.restartProbability));
    const logStay = Math.log(1 - alpha);
    const np = settings.earlyStopPins;
    const nv = settings.earlyStopVisits;
    const bias = settings.recencyBias ?? 0;
    /** A neighbour index in [0, degree): uniform, or the newest of 1 + bias draws. */
    const pick = (degree: number): number => {
      let index = rng.below(degree);
      for (let extra = 0; extra < bias; extra += 1) {
        const other = rng.below(degree);
        if (other > index) index = other;
      }
      return index;
    };
    let total = 0;
    let highlyVisited = 0;
    while (total < budget && (np <= 0 || highlyVisited < np)) {
      let length = alpha >= 1 ? 1 : 1 + Math.floor(Math.log(rng.nextUnit()) / logStay);
      if (length > MAX_WALK_LENGTH) length = MAX_WALK_LENGTH;
      if (length > budget - total) length = budget - total;
      let pin = query;
      let taken = 0;
      while (taken < length) {
        // pin -> one of its boards
        let board: number;
        const ps = pinState[pin]!;
        if (ps === 0 && pin < snapshotPins) {
          const start = pinOffsets[pin]!;
          const degree = pinOffsets[pin + 1]! - start;
          if (degree === 0) break;
          board = pinBoards[start + pick(degree)]!;
        } else {
          if ((ps & DEAD) !== 0) break;
          const list = graph.pinLists.get(pin);
          if (!list || list.length === 0) break;
          board = list[pick(list.length)]!;
        }
        // board -> one of its pins
        let next: number;
        const bs = boardState[board]!;
        if (bs === 0 && board < snapshotBoards) {
          const start = boardOffsets[board]!;
          const degree = boardOffsets[board + 1]! - start;
          if (degree === 0) break;
          next = boardPins[start + pick(degree)]!;
        } else {
          if ((bs & DEAD) !== 0) break;
          const list = graph.boardLists.get(board);
          if (!list || list.length === 0) break;
          next = list[pick(list.length)]!;
        }
        taken += 1;
        if ((pinState[next]! & DEAD) !== 0) break;
        pin = next;
        // The query pin is never a result, so it does not count towards stopping.
        if (visits.add(pin, 1) === nv && pin !== query) highlyVisited += 1;
      }
      total += taken > 0 ? taken : 1;
    }
    return { steps: total, stoppedEarly: np > 0 && highlyVisited >= np };
  }
}

/**
 * The paper's step split: N_q proportional to w_q * |E(q)| * (C - log |E(q)|), normalised so the
 * budgets add up to N. Query pins with no edges get none.
 */
export function stepBudgets(graph: LiveGraph, queries: readonly QueryPin[], steps: number): number[] {
  const degrees = queries.map((query) => graph.pinDegree(query.pin));
  const c = Math.max(graph.snapshot.maxPinDegree, ...degrees, 1);
  const shares = queries.map((query, i) => {
    const degree = degrees[i]!;
    return degree === 0 ? 0 : query.weight * degree * Math.max(c - Math.log(degree), 1e-3);
  });
  const sum = shares.reduce((a, b) => a + b, 0);
  return shares.map((share) => (sum === 0 ? 0 : Math.round((steps * share) / sum)));
}

/** The `limit` best-scored keys (ties: lower node number first), skipping `skip`ped ones. */
export function topScores(
  table: ScoreTable,
  limit: number,
  skip: (key: number) => boolean,
): { pins: Int32Array<ArrayBuffer>; scores: Float64Array<ArrayBuffer> } {
  const heapKeys = new Int32Array(Math.max(0, limit));
  const heapScores = new Float64Array(Math.max(0, limit));
  let size = 0;
  // worse(i, j): entry i ranks below entry j (the heap's root is the worst kept entry).
  const worse = (si: number, ki: number, sj: number, kj: number) => si < sj || (si === sj && ki > kj);
  const siftDown = (from: number) => {
    let i = from;
    for (;;) {
      const l = 2 * i + 1;
      const r = l + 1;
      let m = i;
      if (l < size && worse(heapScores[l]!, heapKeys[l]!, heapScores[m]!, heapKeys[m]!)) m = l;
      if (r < size && worse(heapScores[r]!, heapKeys[r]!, heapScores[m]!, heapKeys[m]!)) m = r;
      if (m === i) return;
      swap(heapKeys, i, m);
      swap(heapScores, i, m);
      i = m;
    }
  };
  for (let i = 0; i < table.size; i += 1) {
    const key = table.keyAt(i);
    const score = table.valueAt(i);
    if (limit === 0) break;
    if (size === limit && !worse(heapScores[0]!, heapKeys[0]!, score, key)) continue;
    if (skip(key)) continue;
    if (size < limit) {
      let j = size++;
      heapKeys[j] = key;
      heapScores[j] = score;
      while (j > 0) {
        const parent = (j - 1) >> 1;
        if (!worse(heapScores[j]!, heapKeys[j]!, heapScores[parent]!, heapKeys[parent]!)) break;
        swap(heapKeys, j, parent);
        swap(heapScores, j, parent);
        j = parent;
      }
    } else {
      heapKeys[0] = key;
      heapScores[0] = score;
      siftDown(0);
    }
  }
  const order = Array.from({ length: size }, (_, i) => i).sort((a, b) =>
    heapScores[b]! - heapScores[a]! || heapKeys[a]! - heapKeys[b]!,
  );
  return { pins: Int32Array.from(order, (i) => heapKeys[i]!), scores: Float64Array.from(order, (i) => heapScores[i]!) };
}

function swap(array: Int32Array | Float64Array, i: number, j: number): void {
  const t = array[i]!;
  array[i] = array[j]!;
  array[j] = t;
}
