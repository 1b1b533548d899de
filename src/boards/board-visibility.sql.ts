// The SQL form of the board access policy (board-access.ts), for lists, searches and counts that
// filter many boards at once. Every repository that returns boards or pins to a viewer joins through
// this condition; keep it in step with canRead().
import { sql, type RawBuilder, type SqlBool } from 'kysely';
import type { Viewer } from '../platform/http/viewer.js';
import type { ScopeFamily } from './board-access.js';

/**
 * A condition over the `boards` table (or an alias of it) that is true where `viewer` may read the
 * board. `boardsAlias` names the boards table in the query. Use it in `.where(boardReadableBy(...))`.
 */
export function boardReadableBy(viewer: Viewer | null, family: ScopeFamily, boardsAlias = 'boards'): RawBuilder<SqlBool> {
  const privacy = sql.ref(`${boardsAlias}.privacy`);
  const ownerId = sql.ref(`${boardsAlias}.owner_id`);
  const boardId = sql.ref(`${boardsAlias}.id`);
  if (!viewer) return sql<SqlBool>`false`;
  const secretAllowed = viewer.scopes.has(`${family}:read_secret` as never);
  const member = sql<SqlBool>`(${ownerId} = ${viewer.userId} OR EXISTS (
    SELECT 1 FROM board_collaborators bc WHERE bc.board_id = ${boardId} AND bc.user_id = ${viewer.userId}))`;
  const hiddenAllowed = secretAllowed ? sql<SqlBool>`true` : sql<SqlBool>`${privacy} = 'PROTECTED'`;
  return sql<SqlBool>`(${privacy} = 'PUBLIC' OR (${member} AND ${hiddenAllowed}))`;
}
