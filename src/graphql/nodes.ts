// What the resolvers of each object type receive as their parent. Node types carry __typename, which
// graphql-js uses to resolve the Node interface.
import type { PublicUserRow, BoardRow, BoardSectionRow } from '../platform/db/schema.js';
import type { BoardRelation } from '../boards/board-access.js';
import type { BoardCard, BoardWithViewerRelation } from '../boards/board.service.js';
import type { PinDetails } from '../pins/pin.repository.js';

/** A person: always their id; the username and the row when already at hand (else loaded). */
export interface UserNode {
  __typename: 'User';
  id: string;
  username?: string;
  row?: PublicUserRow;
}

/** A board the viewer may read; the card (owner, cover) and relation are loaded when not at hand. */
export interface BoardNode {
  __typename: 'Board';
  board: BoardRow;
  card?: BoardCard;
  relation?: BoardRelation;
}

export interface SectionNode {
  __typename: 'BoardSection';
  section: BoardSectionRow;
}

export interface PinNode {
  __typename: 'Pin';
  details: PinDetails;
}

export function userNode(row: PublicUserRow): UserNode {
  return { __typename: 'User', id: row.id, username: row.username, row };
}

export function userRef(id: string, username?: string): UserNode {
  return username === undefined ? { __typename: 'User', id } : { __typename: 'User', id, username };
}

export function boardFromCard(card: BoardCard): BoardNode {
  return { __typename: 'Board', board: card.board, card };
}

export function boardFromAccess(readable: BoardWithViewerRelation): BoardNode {
  return { __typename: 'Board', board: readable.board, relation: readable.relation };
}

export function sectionNode(section: BoardSectionRow): SectionNode {
  return { __typename: 'BoardSection', section };
}

export function pinNode(details: PinDetails): PinNode {
  return { __typename: 'Pin', details };
}
