// The bipartite pin-board graph the walks run on. A snapshot is two CSR adjacencies (pin -> boards,
// board -> pins) in Int32Arrays over SharedArrayBuffers, so every walk worker reads the same memory.
// Changes since the snapshot live in a small overlay (LiveGraph): a node whose edges changed gets
// its own adjacency list, removed pins and boards get a tombstone. Every thread holding a LiveGraph
// applies the same GraphOps in the same order; a periodic rebuild folds the overlay into a new
// snapshot. No Node-specific imports: this runs in workers and in synchronous tests alike.

export interface GraphSnapshot {
  pinCount: number;
  boardCount: number;
  /** pinOffsets[p]..pinOffsets[p+1] indexes pinBoards: the boards pin p is on. */
  pinOffsets: Int32Array;
  pinBoards: Int32Array;
  boardOffsets: Int32Array;
  boardPins: Int32Array;
  /** The largest pin degree (the paper's C in the query step split). */
  maxPinDegree: number;
}

/** How a thread learns of a change; node numbers are given out by the main thread. */
export type GraphOp =
  | { op: 'link'; pin: number; board: number }
  | { op: 'unlink'; pin: number; board: number }
  | { op: 'killPin'; pin: number }
  | { op: 'killBoard'; board: number }
  /** The board is readable to everyone again, holding exactly these pins. */
  | { op: 'setBoard'; board: number; pins: number[] };

export const DEAD = 1;
export const OVERRIDDEN = 2;

export function sharedInt32(length: number): Int32Array {
  return new Int32Array(new SharedArrayBuffer(Math.max(1, length) * Int32Array.BYTES_PER_ELEMENT), 0, length);
}

export class LiveGraph {
  /** Per pin / board: DEAD and OVERRIDDEN bits; nodes past the snapshot are always OVERRIDDEN. */
  pinState: Uint8Array;
  boardState: Uint8Array;
  readonly pinLists = new Map<number, number[]>();
  readonly boardLists = new Map<number, number[]>();
  pinCount: number;
  boardCount: number;
  opsApplied = 0;

  constructor(readonly snapshot: GraphSnapshot) {
    this.pinCount = snapshot.pinCount;
    this.boardCount = snapshot.boardCount;
    this.pinState = new Uint8Array(snapshot.pinCount + 64);
    this.boardState = new Uint8Array(snapshot.boardCount + 64);
  }

  pinDegree(pin: number): number {
    if (pin >= this.pinCount || (this.pinState[pin]! & DEAD) !== 0) return 0;
    if ((this.pinState[pin]! & OVERRIDDEN) !== 0) return this.pinLists.get(pin)?.length ?? 0;
    return this.snapshot.pinOffsets[pin + 1]! - this.snapshot.pinOffsets[pin]!;
  }

  boardDegree(board: number): number {
    if (board >= this.boardCount || (this.boardState[board]! & DEAD) !== 0) return 0;
    if ((this.boardState[board]! & OVERRIDDEN) !== 0) return this.boardLists.get(board)?.length ?? 0;
    return this.snapshot.boardOffsets[board + 1]! - this.snapshot.boardOffsets[board]!;
  }

  /** A pin that was removed (a node the graph has not seen yet is not dead: it may gain edges). */
  isDeadPin(pin: number): boolean {
    return pin >= 0 && pin < this.pinCount && (this.pinState[pin]! & DEAD) !== 0;
  }

  isLivePin(pin: number): boolean {
    return pin >= 0 && pin < this.pinCount && (this.pinState[pin]! & DEAD) === 0;
  }

  boardsOf(pin: number): number[] {
    return this.listOf(pin, this.pinState, this.pinLists, this.snapshot.pinOffsets, this.snapshot.pinBoards, this.snapshot.pinCount);
  }

  pinsOf(board: number): number[] {
    return this.listOf(board, this.boardState, this.boardLists, this.snapshot.boardOffsets, this.snapshot.boardPins, this.snapshot.boardCount);
  }

  apply(op: GraphOp): void {
    this.opsApplied += 1;
    switch (op.op) {
      case 'link':
        this.ensure(op.pin, op.board);
        this.edit(op.pin, 'pin', (list) => addOnce(list, op.board));
        this.edit(op.board, 'board', (list) => addOnce(list, op.pin));
        return;
      case 'unlink':
        if (op.pin >= this.pinCount || op.board >= this.boardCount) return;
        this.edit(op.pin, 'pin', (list) => removeOnce(list, op.board));
        this.edit(op.board, 'board', (list) => removeOnce(list, op.pin));
        return;
      case 'killPin':
        this.ensure(op.pin, -1);
        this.pinState[op.pin]! |= DEAD;
        return;
      case 'killBoard':
        this.ensure(-1, op.board);
        this.boardState[op.board]! |= DEAD;
        return;
      case 'setBoard': {
        this.ensure(op.pins.reduce((max, pin) => Math.max(max, pin), -1), op.board);
        const wanted = new Set(op.pins);
        const current = this.pinsOf(op.board);
        for (const pin of current) if (!wanted.has(pin)) this.edit(pin, 'pin', (list) => removeOnce(list, op.board));
        const had = new Set(current);
        for (const pin of op.pins) if (!had.has(pin)) this.edit(pin, 'pin', (list) => addOnce(list, op.board));
        this.boardLists.set(op.board, [...wanted]);
        this.boardState[op.board] = OVERRIDDEN;
        return;
      }
    }
  }

  /** Nodes with their own lists or tombstones: what a rebuild would fold into a snapshot. */
  get overlaySize(): number {
    return this.pinLists.size + this.boardLists.size;
  }

  private listOf(node: number, state: Uint8Array, lists: Map<number, number[]>, offsets: Int32Array, adjacency: Int32Array, snapshotCount: number): number[] {
    if ((state[node]! & OVERRIDDEN) !== 0) return lists.get(node) ?? [];
    if (node >= snapshotCount) return [];
    return Array.from(adjacency.subarray(offsets[node], offsets[node + 1]));
  }

  private edit(node: number, side: 'pin' | 'board', change: (list: number[]) => void): void {
    const state = side === 'pin' ? this.pinState : this.boardState;
    const lists = side === 'pin' ? this.pinLists : this.boardLists;
    let list = lists.get(node);
    if (!list) {
      list = side === 'pin' ? this.boardsOf(node) : this.pinsOf(node);
      lists.set(node, list);
      state[node]! |= OVERRIDDEN;
    }
    change(list);
  }

  /** Grows the state arrays so that `pin` and `board` exist; new nodes start OVERRIDDEN and empty. */
  private ensure(pin: number, board: number): void {
    if (pin >= this.pinCount) {
      this.pinState = grown(this.pinState, pin + 1);
      for (let p = this.pinCount; p <= pin; p += 1) this.pinState[p] = OVERRIDDEN;
      this.pinCount = pin + 1;
    }
    if (board >= this.boardCount) {
      this.boardState = grown(this.boardState, board + 1);
      for (let b = this.boardCount; b <= board; b += 1) this.boardState[b] = OVERRIDDEN;
      this.boardCount = board + 1;
    }
  }
}

function grown(array: Uint8Array, length: number): Uint8Array {
  if (length <= array.length) return array;
  const next = new Uint8Array(Math.max(length, array.length * 2));
  next.set(array);
  return next;
}

function addOnce(list: number[], value: number): void {
  if (!list.includes(value)) list.push(value);
}

function removeOnce(list: number[], value: number): void {
  const at = list.indexOf(value);
  if (at >= 0) list.splice(at, 1);
}
