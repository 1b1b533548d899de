// The changes of the pin-board-follow graph that other parts of Corkboard react to (feeds fan out,
// the related-pins graph updates, caches drop entries). Written by database triggers into change_log
// in the same transaction as the change itself (migrations 2026-11-22T0500 and, for the rows caches
// hold, 2026-11-28T0300).
import type { BoardPrivacy } from '../db/schema.js';

export type Change =
  | { kind: 'pin.created'; pinId: string; boardId: string; ownerId: string; parentPinId: string | null }
  | { kind: 'pin.deleted'; pinId: string; boardId: string; ownerId: string; parentPinId: string | null }
  | { kind: 'pin.moved'; pinId: string; fromBoardId: string; toBoardId: string; ownerId: string }
  | { kind: 'pin.updated'; pinId: string; boardId: string }
  | { kind: 'board.privacy_changed'; boardId: string; ownerId: string; from: BoardPrivacy; to: BoardPrivacy }
  | { kind: 'board.deleted'; boardId: string; ownerId: string }
  | { kind: 'user.followed' | 'user.unfollowed'; followerId: string; followeeId: string }
  | { kind: 'board.followed' | 'board.unfollowed'; followerId: string; boardId: string }
  /**
   * Rows of a cached table updated or deleted by one statement (collaborators: their board ids;
   * tokens: their access hashes).
   */
  | { kind: 'rows.changed'; table: ChangedTable; ids: string[] };

/** The tables whose rows are cached by id (migrations 2026-11-28T0300 and 2026-12-05T1930). */
export type ChangedTable = 'users' | 'boards' | 'pins' | 'board_collaborators' | 'oauth_tokens';

export type ChangeKind = Change['kind'];

/** A change with its place in the log. */
export type LoggedChange = Change & { logId: string; at: Date };

export function changeFromRow(row: { id: string; kind: string; payload: Record<string, unknown>; created_at: Date }): LoggedChange {
  // The triggers write exactly the fields of each kind; the payload is trusted as written.
  return { ...(row.payload as object), kind: row.kind, logId: row.id, at: row.created_at } as LoggedChange;
}
