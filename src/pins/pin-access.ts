// Who may change or remove a pin, on top of the board policy (board-access.ts), which decides who can
// see the board at all. A pin belongs to the person who made it and to the board it sits on: the
// board's owner may edit or remove any pin on it, a pinner their own pins. Moving a pin (to another
// board or section) is contributing to boards, so it needs contribute rights on both ends.
// Saving a pin of a PROTECTED or SECRET board elsewhere would hand it to another board's audience
// (a PUBLIC board, or a hidden one whose owner may open it tomorrow): only those who may already move
// the pin anywhere may do that; everyone else may save it onto the same board only (a section of it).
import type { Viewer } from '../platform/http/viewer.js';
import { canContribute, readableByEveryone, type BoardAccessSubject, type BoardRelation } from '../boards/board-access.js';

/** May edit the pin's text or delete it. The viewer must already be able to read the board. */
export function mayModifyPin(viewer: Viewer, board: BoardAccessSubject, relation: BoardRelation, pinOwnerId: string): boolean {
  if (relation === 'owner') return canContribute(viewer, board, relation, 'pins');
  if (pinOwnerId !== viewer.userId) return false;
  // One's own pin stays one's own after losing editor rights; a secret board still needs the
  // secret write scope, which is what contributing as an editor would need.
  return canContribute(viewer, board, 'editor', 'pins');
}

/**
 * May save the pin onto a board other than its own. Pins of PUBLIC boards: anyone who can read them.
 * Pins of PROTECTED and SECRET boards: the board's owner and the pin's maker with contribute rights
 * (mayModifyPin), who could move the pin to any board of theirs anyway; collaborators otherwise may
 * not take a copy out of the board's audience.
 */
export function maySaveElsewhere(viewer: Viewer, board: BoardAccessSubject, relation: BoardRelation, pinOwnerId: string): boolean {
  return readableByEveryone(board.privacy) || mayModifyPin(viewer, board, relation, pinOwnerId);
}
