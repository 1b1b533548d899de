// Who may see and change a board. This one policy is used by every door (boards, pins, sections,
// search, feeds, GraphQL) so privacy cannot drift between them. It is the only TypeScript that knows
// what a privacy means; its SQL form is board-visibility.sql.ts, and no other code compares privacies.
// - PUBLIC boards are visible to every authenticated user ("everyone"). Structures shared between
//   viewers (the related-pins graph, timelines and fan-out, the home feed's pools, public counters)
//   hold only what everyone may read: readableByEveryone below.
// - PROTECTED and SECRET boards exist only for their owner and collaborators; to anyone else they
//   answer 404 exactly like a board that does not exist. PROTECTED differs from SECRET only in what
//   the owner's token needs: reading a SECRET board also needs the `*:read_secret` scope and writing
//   to it `*:write_secret` (Pinterest's scopes), so a token without them cannot reach secret content.
// - Owners manage the board (update, delete, sections, collaborators); editors add and move pins and
//   sections; viewers only read.
import { AppError, type ErrorKind } from '../platform/errors.js';
import type { Scope, Viewer } from '../platform/http/viewer.js';
import type { BoardPrivacy, CollaboratorRole } from '../platform/db/schema.js';

export type BoardRelation = 'owner' | CollaboratorRole | 'none';

export interface BoardAccessSubject {
  owner_id: string;
  privacy: BoardPrivacy;
}

/** Which family of scopes guards the content: board routes use boards:*, pin routes pins:*. */
export type ScopeFamily = 'boards' | 'pins';

export function relationOf(viewer: Viewer | null, board: BoardAccessSubject, collaboratorRole: CollaboratorRole | null): BoardRelation {
  if (!viewer) return 'none';
  if (board.owner_id === viewer.userId) return 'owner';
  return collaboratorRole ?? 'none';
}

function secretScope(family: ScopeFamily, mode: 'read' | 'write'): Scope {
  return `${family}:${mode}_secret` as Scope;
}

/**
 * Whether every signed-in person, whatever their relation to the board and their token's scopes, may
 * read a board of this privacy: canRead for a stranger without secret scopes. What is shared between
 * viewers or counted in public counters uses this.
 */
export function readableByEveryone(privacy: BoardPrivacy): boolean {
  return privacy === 'PUBLIC';
}

/** Whether canRead on a board of this privacy depends on the viewer's relation to it (collaborators need looking up). */
export function readNeedsRelation(privacy: BoardPrivacy): boolean {
  return !readableByEveryone(privacy);
}

export function canRead(viewer: Viewer | null, board: BoardAccessSubject, relation: BoardRelation, family: ScopeFamily): boolean {
  if (readableByEveryone(board.privacy)) return viewer !== null;
  if (relation === 'none' || !viewer) return false;
  if (board.privacy === 'SECRET') return viewer.scopes.has(secretScope(family, 'read'));
  return true;
}

/** May add, move or remove pins and sections on the board. */
export function canContribute(viewer: Viewer | null, board: BoardAccessSubject, relation: BoardRelation, family: ScopeFamily): boolean {
  if (!viewer || (relation !== 'owner' && relation !== 'editor')) return false;
  return board.privacy !== 'SECRET' || viewer.scopes.has(secretScope(family, 'write'));
}

/** May update or delete the board itself and manage its collaborators. */
export function canManage(viewer: Viewer | null, board: BoardAccessSubject, relation: BoardRelation): boolean {
  if (!viewer || relation !== 'owner') return false;
  return board.privacy !== 'SECRET' || viewer.scopes.has('boards:write_secret');
}

/**
 * Throws the error a caller should see when access is refused: not-found when they may not even
 * know the board exists, forbidden when they can see it but not change it.
 */
export function assertAccess(
  allowed: boolean,
  visible: boolean,
  notFound: ErrorKind = 'BOARD_NOT_FOUND',
): void {
  if (allowed) return;
  throw new AppError(visible ? 'FORBIDDEN' : notFound);
}

/** May a collaborator remove themselves from the board (leaving a SECRET board is a secret write). */
export function canLeave(viewer: Viewer | null, board: BoardAccessSubject, relation: BoardRelation): boolean {
  if (!viewer || (relation !== 'editor' && relation !== 'viewer')) return false;
  return board.privacy !== 'SECRET' || viewer.scopes.has('boards:write_secret');
}

/** May the viewer's token create secret content (a SECRET board, or make a board SECRET). */
export function canWriteSecret(viewer: Viewer | null, family: ScopeFamily): boolean {
  return viewer !== null && viewer.scopes.has(secretScope(family, 'write'));
}

/** May the viewer's token give a board this privacy (making content secret is a secret write). */
export function canSetPrivacy(viewer: Viewer | null, privacy: BoardPrivacy): boolean {
  return viewer !== null && (privacy !== 'SECRET' || canWriteSecret(viewer, 'boards'));
}
