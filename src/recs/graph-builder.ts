// Turns a list of (pin, board) edges into a GraphSnapshot, pruning as the paper does: boards holding
// more than `maxBoardPins` pins are dropped (over-general boards mix topics and blur the walk), and a
// pin on more than `maxPinDegree` boards keeps a seeded random sample of that many (very popular pins
// would otherwise pull every walk through them). The list comes in the order pins were added to
// boards, and both adjacencies keep that order: a pin's boards and a board's pins run from the oldest
// edge to the newest, which the walks' recency bias uses. Pure and synchronous.
import { WalkRng } from './prng.js';
import { sharedInt32, type GraphSnapshot } from './pin-board-graph.js';

export interface PruneOptions {
  maxBoardPins: number;
  maxPinDegree: number;
  seed: number;
}

export interface PruneReport {
  boardsDropped: number;
  edgesDroppedWithBoards: number;
  pinsSampled: number;
  edgesDroppedBySampling: number;
}

export interface BuiltSnapshot {
  snapshot: GraphSnapshot;
  pruning: PruneReport;
  /** The boards dropped for holding too many pins (graph nodes). */
  prunedBoards: number[];
  /**
   * The snapshot numbers its nodes by degree, not as the edge list did: order[node] is the list's
   * number of a node, rank[number] its node.
   */
  pinOrder: Int32Array;
  pinRank: Int32Array;
  boardOrder: Int32Array;
  boardRank: Int32Array;
}

/** A growable list of (pin, board) pairs in two Int32Arrays. */
export class EdgeList {
  pins = new Int32Array(1024);
  boards = new Int32Array(1024);
  length = 0;

  push(pin: number, board: number): void {
    if (this.length === this.pins.length) {
      const capacity = this.pins.length * 2;
      const pins = new Int32Array(capacity);
      pins.set(this.pins);
      this.pins = pins;
      const boards = new Int32Array(capacity);
      boards.set(this.boards);
      this.boards = boards;
    }
    this.pins[this.length] = pin;
    this.boards[this.length] = board;
    this.length += 1;
  }
}

export function buildSnapshot(
  edges: EdgeList,
  pinCount: number,
  boardCount: number,
  options: PruneOptions,
): BuiltSnapshot {
  const pruning: PruneReport = { boardsDropped: 0, edgesDroppedWithBoards: 0, pinsSampled: 0, edgesDroppedBySampling: 0 };
  const boardDegree = new Int32Array(boardCount);
  for (let i = 0; i < edges.length; i += 1) boardDegree[edges.boards[i]!]! += 1;
  const keptBoard = new Uint8Array(boardCount);
  const dropped: number[] = [];
  for (let b = 0; b < boardCount; b += 1) {
    if (boardDegree[b]! <= options.maxBoardPins) keptBoard[b] = 1;
    else {
      dropped.push(b);
      pruning.boardsDropped += 1;
      pruning.edgesDroppedWithBoards += boardDegree[b]!;
    }
  }

  // pin -> its edges (indexes into the list, which is in the order pins were added to boards: time).
  const fullOffsets = new Int32Array(pinCount + 1);
  for (let i = 0; i < edges.length; i += 1) if (keptBoard[edges.boards[i]!]) fullOffsets[edges.pins[i]! + 1]! += 1;
  for (let p = 0; p < pinCount; p += 1) fullOffsets[p + 1]! += fullOffsets[p]!;
  const fullEdges = new Int32Array(fullOffsets[pinCount]!);
  const cursor = fullOffsets.slice(0, pinCount);
  for (let i = 0; i < edges.length; i += 1) if (keptBoard[edges.boards[i]!]) fullEdges[cursor[edges.pins[i]!]!++] = i;

  // Sample the edges of pins over the degree cap (a partial Fisher-Yates shuffle, seeded), keeping the
  // sample in time order; every other edge of a kept board is kept.
  const rng = new WalkRng(options.seed);
  const keptEdge = new Uint8Array(edges.length);
  const pinDegree = new Int32Array(pinCount);
  const keptBoardDegree = new Int32Array(boardCount);
  let kept = 0;
  let maxPinDegree = 0;
  for (let p = 0; p < pinCount; p += 1) {
    const start = fullOffsets[p]!;
    const degree = fullOffsets[p + 1]! - start;
    if (degree > options.maxPinDegree) {
      for (let i = 0; i < options.maxPinDegree; i += 1) {
        const j = i + rng.below(degree - i);
        const swap = fullEdges[start + i]!;
        fullEdges[start + i] = fullEdges[start + j]!;
        fullEdges[start + j] = swap;
      }
      fullEdges.subarray(start, start + options.maxPinDegree).sort();
      pruning.pinsSampled += 1;
      pruning.edgesDroppedBySampling += degree - options.maxPinDegree;
    }
    const keep = Math.min(degree, options.maxPinDegree);
    for (let i = start; i < start + keep; i += 1) {
      keptEdge[fullEdges[i]!] = 1;
      keptBoardDegree[edges.boards[fullEdges[i]!]!]! += 1;
    }
    pinDegree[p] = keep;
    kept += keep;
    if (keep > maxPinDegree) maxPinDegree = keep;
  }

  // Nodes are numbered by degree, highest first: walks visit nodes in proportion to their degree, so
  // the hot ones share a few cache lines of every array instead of being spread over all of them.
  const pins = degreeOrder(pinDegree);
  const boards = degreeOrder(keptBoardDegree);

  const pinOffsets = sharedInt32(pinCount + 1);
  for (let node = 0; node < pinCount; node += 1) pinOffsets[node + 1] = pinOffsets[node]! + pinDegree[pins.order[node]!]!;
  const pinBoards = sharedInt32(kept);
  for (let node = 0; node < pinCount; node += 1) {
    const p = pins.order[node]!;
    const from = fullOffsets[p]!;
    const to = pinOffsets[node]!;
    for (let i = 0; i < pinDegree[p]!; i += 1) pinBoards[to + i] = boards.rank[edges.boards[fullEdges[from + i]!]!]!;
  }

  // board -> pins, the transpose of what was kept, each board's pins in the order they were added.
  const boardOffsets = sharedInt32(boardCount + 1);
  for (let node = 0; node < boardCount; node += 1) boardOffsets[node + 1] = boardOffsets[node]! + keptBoardDegree[boards.order[node]!]!;
  const boardPins = sharedInt32(kept);
  const fill = boardOffsets.slice(0, boardCount);
  for (let i = 0; i < edges.length; i += 1) {
    if (keptEdge[i]) boardPins[fill[boards.rank[edges.boards[i]!]!]!++] = pins.rank[edges.pins[i]!]!;
  }

  return {
    snapshot: { pinCount, boardCount, pinOffsets, pinBoards, boardOffsets, boardPins, maxPinDegree },
    pruning,
    prunedBoards: dropped.map((b) => boards.rank[b]!),
    pinOrder: pins.order,
    pinRank: pins.rank,
    boardOrder: boards.order,
    boardRank: boards.rank,
  };
}

/** A numbering by degree, highest first (ties keep their input order): order[node] = input, rank[input] = node. */
function degreeOrder(degree: Int32Array): { order: Int32Array; rank: Int32Array } {
  let max = 0;
  for (const d of degree) if (d > max) max = d;
  // A counting sort: starts[d] is where nodes of degree d begin, highest degrees first.
  const starts = new Int32Array(max + 2);
  for (const d of degree) starts[max - d + 1]! += 1;
  for (let i = 1; i < starts.length; i += 1) starts[i]! += starts[i - 1]!;
  const order = new Int32Array(degree.length);
  const rank = new Int32Array(degree.length);
  for (let input = 0; input < degree.length; input += 1) {
    const node = starts[max - degree[input]!]!++;
    order[node] = input;
    rank[input] = node;
  }
  return { order, rank };
}

/** Bytes of the snapshot's arrays. */
export function snapshotBytes(snapshot: GraphSnapshot): number {
  return snapshot.pinOffsets.byteLength + snapshot.pinBoards.byteLength + snapshot.boardOffsets.byteLength + snapshot.boardPins.byteLength;
}
