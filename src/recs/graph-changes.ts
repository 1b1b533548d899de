// Turns change-log entries (pins created, saved, moved or deleted; boards changing privacy or
// deleted) into GraphOps on one built graph, applying each op to that graph's main-thread mirror as it
// goes (later changes of a batch see the earlier ones). The lookups a batch needs (the privacy of
// boards the graph has not seen, the originals of saves) are made in a few statements per batch.
// Every translation reads the database as it is now, so applying a change twice, or after the graph
// already saw its effect, changes nothing: the change stream delivers at least once.
import type { LoggedChange } from '../platform/changes/change.js';
import type { BoardPrivacy } from '../platform/db/schema.js';
import { grown, type LoadedGraph } from './graph-loader.js';
import type { NodeIds } from './id-table.js';
import { LiveGraph, type GraphOp } from './pin-board-graph.js';
import type { PinEdgeRow } from './recs.repository.js';
import { readableByEveryone } from '../boards/board-access.js';

/** The database reads a translation needs (RecsRepository). */
export interface GraphLookups {
  rootsOf(pinIds: readonly string[]): Promise<Map<string, string>>;
  boardPrivacies(boardIds: readonly string[]): Promise<Map<string, BoardPrivacy>>;
  pinsOnBoard(boardId: string): Promise<PinEdgeRow[]>;
}

export interface GraphCaps {
  /** A board with more pins is not in the graph (over-general). */
  maxBoardPins: number;
  /** A pin keeps at most this many boards. */
  maxPinDegree: number;
}

/** One built graph as the main thread holds it: id tables, open boards, and a mirror of the walkers' graph. */
export class GraphState {
  readonly pins: NodeIds;
  readonly boards: NodeIds;
  readonly mirror: LiveGraph;
  private open: Uint8Array;

  constructor(readonly loaded: LoadedGraph) {
    this.pins = loaded.pins;
    this.boards = loaded.boards;
    this.open = loaded.openBoards;
    this.mirror = new LiveGraph(loaded.snapshot);
  }

  isOpen(board: number): boolean {
    return board >= 0 && this.open[board] === 1;
  }

  setOpen(board: number, open: boolean): void {
    if (board >= this.open.length) this.open = grown(this.open, board + 1);
    this.open[board] = open ? 1 : 0;
  }
}

/** Translates `changes` against `state`, applying the ops to its mirror; returns them for the walkers. */
export async function translateChanges(
  state: GraphState,
  changes: readonly LoggedChange[],
  lookups: GraphLookups,
  caps: GraphCaps,
): Promise<GraphOp[]> {
  const ops: GraphOp[] = [];
  const apply = (op: GraphOp) => {
    state.mirror.apply(op);
    ops.push(op);
  };

  // Boards never seen (created after the build): their privacy, in one statement.
  const unseenBoards = new Set<string>();
  for (const change of changes) {
    const boardId = change.kind === 'pin.created' ? change.boardId : change.kind === 'pin.moved' ? change.toBoardId : null;
    if (boardId !== null && state.boards.get(boardId) < 0) unseenBoards.add(boardId);
  }
  const privacies = await lookups.boardPrivacies([...unseenBoards]);
  for (const boardId of unseenBoards) {
    const board = state.boards.intern(boardId);
    const privacy = privacies.get(boardId);
    state.setOpen(board, privacy !== undefined && readableByEveryone(privacy));
  }

  // Originals of saves whose parent is not itself an original the graph knows, in one statement.
  const needRoot = new Set<string>();
  for (const change of changes) {
    if ((change.kind === 'pin.created' || change.kind === 'pin.deleted') && change.parentPinId !== null) {
      if (state.pins.get(change.parentPinId) < 0) needRoot.add(change.parentPinId);
    } else if (change.kind === 'pin.moved' && state.pins.get(change.pinId) < 0) {
      needRoot.add(change.pinId);
    }
  }
  const roots = await lookups.rootsOf([...needRoot]);
  /** The node of the original `pinId` belongs to (`pinId` itself when it is one); -1 when unknown. */
  const rootNode = (pinId: string): number => {
    const known = state.pins.get(pinId);
    if (known >= 0) return known;
    const root = roots.get(pinId);
    return root === undefined ? -1 : state.pins.intern(root);
  };
  const link = (pin: number, board: number) => {
    if (pin < 0 || !state.isOpen(board)) return;
    if (state.mirror.pinDegree(pin) >= caps.maxPinDegree || state.mirror.boardDegree(board) >= caps.maxBoardPins) return;
    if (state.mirror.isDeadPin(pin)) return;
    apply({ op: 'link', pin, board });
  };
  const unlink = (pin: number, board: number) => {
    if (pin >= 0 && board >= 0) apply({ op: 'unlink', pin, board });
  };

  for (const change of changes) {
    switch (change.kind) {
      case 'pin.created': {
        const pin = change.parentPinId === null ? state.pins.intern(change.pinId) : rootNode(change.parentPinId);
        link(pin, state.boards.get(change.boardId));
        break;
      }
      case 'pin.deleted': {
        if (change.parentPinId === null) {
          const pin = state.pins.get(change.pinId);
          // Its saves stay on their boards but lose their original until the next rebuild.
          if (pin >= 0 && !state.mirror.isDeadPin(pin)) apply({ op: 'killPin', pin });
        } else {
          unlink(rootNode(change.parentPinId), state.boards.get(change.boardId));
        }
        break;
      }
      case 'pin.moved': {
        const pin = rootNode(change.pinId);
        unlink(pin, state.boards.get(change.fromBoardId));
        link(pin, state.boards.get(change.toBoardId));
        break;
      }
      case 'board.privacy_changed': {
        const board = state.boards.intern(change.boardId);
        if (readableByEveryone(change.to)) await reopenBoard(state, board, change.boardId, lookups, caps, apply);
        else closeBoard(state, board, apply);
        break;
      }
      case 'board.deleted':
        closeBoard(state, state.boards.get(change.boardId), apply);
        break;
      default:
        break;
    }
  }
  return ops;
}

function closeBoard(state: GraphState, board: number, apply: (op: GraphOp) => void): void {
  if (board < 0) return;
  const wasOpen = state.isOpen(board);
  state.setOpen(board, false);
  if (wasOpen) apply({ op: 'killBoard', board });
}

/** A board that became PUBLIC: it holds exactly the originals of the pins on it now. */
async function reopenBoard(
  state: GraphState,
  board: number,
  boardId: string,
  lookups: GraphLookups,
  caps: GraphCaps,
  apply: (op: GraphOp) => void,
): Promise<void> {
  const rows = await lookups.pinsOnBoard(boardId);
  if (rows.length > caps.maxBoardPins) {
    closeBoard(state, board, apply);
    return;
  }
  const unknownParents = rows.flatMap((row) => (row.parent_pin_id !== null && state.pins.get(row.parent_pin_id) < 0 ? [row.parent_pin_id] : []));
  const roots = await lookups.rootsOf(unknownParents);
  const pins = new Set<number>();
  for (const row of rows) {
    if (row.parent_pin_id === null) pins.add(state.pins.intern(row.id));
    else {
      const parent = state.pins.get(row.parent_pin_id);
      const root = parent >= 0 ? parent : roots.has(row.parent_pin_id) ? state.pins.intern(roots.get(row.parent_pin_id)!) : -1;
      if (root >= 0) pins.add(root);
    }
  }
  state.setOpen(board, true);
  apply({ op: 'setBoard', board, pins: [...pins].filter((pin) => !state.mirror.isDeadPin(pin)) });
}
