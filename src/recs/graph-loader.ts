// Builds the pin-board graph from the database: every board first (with whether everyone may read it:
// only PUBLIC boards' pins become edges, PROTECTED and SECRET boards never enter the graph), then every
// pin row in id order. A pin row is an edge of its original: a save (parent_pin_id set) adds its
// board to the pin it was saved from, so popularity accrues to the original. Originals get a node
// number as their row passes (parents have smaller ids than their saves); the rare save of a save is
// resolved to its root afterwards with one recursive query.
import { buildSnapshot, EdgeList, snapshotBytes, type PruneOptions, type PruneReport } from './graph-builder.js';
import { IdTable, NodeIds, splitId } from './id-table.js';
import type { GraphSnapshot } from './pin-board-graph.js';
import type { RecsRepository } from './recs.repository.js';
import { readableByEveryone } from '../boards/board-access.js';

export interface LoadedGraph {
  snapshot: GraphSnapshot;
  /** Nodes of original pins (public or not, so that saves find their original) and of boards. */
  pins: NodeIds;
  boards: NodeIds;
  /** Per board node: 1 when the board's pins are edges (PUBLIC and not pruned). */
  openBoards: Uint8Array;
  stats: GraphStats;
}

export interface GraphStats {
  pinRows: number;
  /** Edges kept after pruning (each edge is stored twice, once per direction). */
  edges: number;
  pins: number;
  boards: number;
  publicBoards: number;
  pruning: PruneReport;
  buildMs: number;
  /** Snapshot arrays plus the id tables. */
  bytes: number;
  builtAt: Date;
}

const PAGE_SIZE = 20_000;

export async function loadGraph(repository: RecsRepository, prune: PruneOptions, pageSize = PAGE_SIZE): Promise<LoadedGraph> {
  const started = performance.now();
  const boards = new IdTable(1 << 12);
  let open: Uint8Array = new Uint8Array(1 << 12);
  let publicBoards = 0;
  for await (const rows of repository.allBoards(pageSize)) {
    for (const row of rows) {
      const board = boards.intern(row.id);
      if (board >= open.length) open = grown(open, board + 1);
      if (readableByEveryone(row.privacy)) {
        open[board] = 1;
        publicBoards += 1;
      }
    }
  }

  const pins = new IdTable(1 << 14);
  const edges = new EdgeList();
  const deeper: Array<{ board: number; parentId: string }> = [];
  let pinRows = 0;
  for await (const rows of repository.pinEdges(pageSize)) {
    pinRows += rows.length;
    for (const row of rows) {
      const board = boards.get(row.board_id);
      const isOpen = board >= 0 && open[board] === 1;
      if (row.parent_pin_id === null) {
        // Every original gets a number, public or not, so a save can tell an original parent from a save.
        const [high, low] = splitId(row.id);
        const pin = pins.internParts(high, low);
        if (isOpen) edges.push(pin, board);
      } else if (isOpen) {
        const parent = pins.get(row.parent_pin_id);
        if (parent >= 0) edges.push(parent, board);
        else deeper.push({ board, parentId: row.parent_pin_id });
      }
    }
  }
  for (let i = 0; i < deeper.length; i += PAGE_SIZE) {
    const batch = deeper.slice(i, i + PAGE_SIZE);
    const roots = await repository.rootsOf(batch.map((entry) => entry.parentId));
    for (const entry of batch) {
      const root = roots.get(entry.parentId);
      if (root !== undefined) edges.push(pins.intern(root), entry.board);
    }
  }

  const built = buildSnapshot(edges, pins.size, boards.size, prune);
  const { snapshot, pruning } = built;
  // Open flags by node (the snapshot numbers boards by degree).
  const openBoards = new Uint8Array(Math.max(open.length, boards.size));
  for (let number = 0; number < boards.size; number += 1) openBoards[built.boardRank[number]!] = open[number]!;
  for (const board of built.prunedBoards) openBoards[board] = 0;
  const pinNodes = new NodeIds(pins, built.pinRank, built.pinOrder);
  const boardNodes = new NodeIds(boards, built.boardRank, built.boardOrder);
  return {
    snapshot,
    pins: pinNodes,
    boards: boardNodes,
    openBoards,
    stats: {
      pinRows,
      edges: snapshot.pinBoards.length,
      pins: pins.size,
      boards: boards.size,
      publicBoards,
      pruning,
      buildMs: Math.round(performance.now() - started),
      bytes: snapshotBytes(snapshot) + pinNodes.byteLength + boardNodes.byteLength + openBoards.byteLength,
      builtAt: new Date(),
    },
  };
}

export function grown(array: Uint8Array, length: number): Uint8Array {
  if (length <= array.length) return array;
  const next = new Uint8Array(Math.max(length, array.length * 2));
  next.set(array);
  return next;
}
