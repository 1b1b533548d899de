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
  /** The boards dropped for holding too many pins. */
  prunedBoards: number[];
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
  const prunedBoards: number[] = [];
  for (let b = 0; b < boardCount; b += 1) {
    if (boardDegree[b]! <= options.maxBoardPins) keptBoard[b] = 1;
    else {
      prunedBoards.push(b);
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
  const pinOffsets = sharedInt32(pinCount + 1);
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
    for (let i = start; i < start + keep; i += 1) keptEdge[fullEdges[i]!] = 1;
    pinOffsets[p] = kept;
    kept += keep;
    if (keep > maxPinDegree) maxPinDegree = keep;
  }
  pinOffsets[pinCount] = kept;
  const pinBoards = sharedInt32(kept);
  for (let p = 0; p < pinCount; p += 1) {
    const from = fullOffsets[p]!;
    const to = pinOffsets[p]!;
    for (let i = 0; i < pinOffsets[p + 1]! - to; i += 1) pinBoards[to + i] = edges.boards[fullEdges[from + i]!]!;
  }

  // board -> pins, the transpose of what was kept, each board's pins in the order they were added.
  const boardOffsets = sharedInt32(boardCount + 1);
  for (let i = 0; i < edges.length; i += 1) if (keptEdge[i]) boardOffsets[edges.boards[i]! + 1]! += 1;
  for (let b = 0; b < boardCount; b += 1) boardOffsets[b + 1]! += boardOffsets[b]!;
  const boardPins = sharedInt32(kept);
  const fill = boardOffsets.slice(0, boardCount);
  for (let i = 0; i < edges.length; i += 1) if (keptEdge[i]) boardPins[fill[edges.boards[i]!]!++] = edges.pins[i]!;

  return {
    snapshot: { pinCount, boardCount, pinOffsets, pinBoards, boardOffsets, boardPins, maxPinDegree },
    pruning,
    prunedBoards,
  };
}

/** Bytes of the snapshot's arrays. */
export function snapshotBytes(snapshot: GraphSnapshot): number {
  return snapshot.pinOffsets.byteLength + snapshot.pinBoards.byteLength + snapshot.boardOffsets.byteLength + snapshot.boardPins.byteLength;
}
