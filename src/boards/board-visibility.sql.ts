// The SQL form of the board access policy (board-access.ts), for lists, searches, counts and shared
// structures that filter many boards at once. It is the only SQL that knows what a privacy means:
// every repository that returns boards or pins to a viewer, or builds something shared between
// viewers, filters through one of these two conditions instead of comparing `privacy` itself.
// board-access.property.test.ts checks them against canRead and readableByEveryone.
import { sql, type RawBuilder, type SqlBool } from 'kysely';
import type { Viewer } from '../platform/http/viewer.js';
import type { ScopeFamily } from './board-access.js';

/**
 * True where every signed-in person may read the board (readableByEveryone): the condition for the
 * related-pins graph, timelines and fan-out, the home feed's pools and public counters. Written as a
 * literal comparison so the planner can use partial indexes declared `WHERE privacy = 'PUBLIC'`
 * (boards_public_topic_idx).
 */
export function boardReadableByEveryone(boardsAlias = 'boards'): RawBuilder<SqlBool> {
  return sql<SqlBool>`${sql.ref(`${boardsAlias}.privacy`)} = 'PUBLIC'`;
}

/**
 * A condition over the `boards` table (or an alias of it) that is true where `viewer` may read the
 * board (canRead). `boardsAlias` names the boards table in the query. Use it in `.where(boardReadableBy(...))`.
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
  return sql<SqlBool>`(${boardReadableByEveryone(boardsAlias)} OR (${member} AND ${hiddenAllowed}))`;
}
