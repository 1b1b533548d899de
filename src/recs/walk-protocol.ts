// Messages between the walk pool (main thread) and its workers.
import type { GraphOp, GraphSnapshot } from './pin-board-graph.js';
import type { WalkRequest, WalkResult } from './pixie.js';

export type WorkerRequest =
  /** Install a graph: a snapshot (shared memory) and the ops applied to it since. */
  | { type: 'graph'; snapshot: GraphSnapshot; ops: GraphOp[] }
  | { type: 'ops'; ops: GraphOp[] }
  | { type: 'walk'; id: number; request: WalkRequest };

export type WorkerReply = { type: 'result'; id: number; result: WalkResult } | { type: 'error'; id: number; message: string };
