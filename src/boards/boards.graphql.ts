// GraphQL for boards: Board, BoardSection and BoardCollaborator, `board(id)`, the viewer's boards,
// and the board, section, collaborator and board-follow mutations. Every field calls the service its
// REST twin calls, with that route's scopes; a board the viewer may not read is null with
// BOARD_NOT_FOUND, exactly where REST answers 404.
import { presentBoard, presentSection } from './board.presenter.js';
import {
  BoardCreateBody,
  BoardUpdateBody,
  CollaboratorInviteBody,
  CollaboratorParams,
  CollaboratorRoleBody,
  SectionBody,
} from './board.schemas.js';
import type { BoardPrivacyFilter } from './board.schemas.js';
import type { BoardPrivacy, CollaboratorRole } from '../platform/db/schema.js';
import { AppError } from '../platform/errors.js';
import type { Scope } from '../platform/http/viewer.js';
import type { CollaboratorRow } from './board-members.repository.js';
import { viewerWith, type GraphqlContext } from '../graphql/context.js';
import { validInput } from '../graphql/input.js';
import {
  boardFromAccess,
  boardFromCard,
  sectionNode,
  userRef,
  type BoardNode,
  type SectionNode,
} from '../graphql/nodes.js';
import { entityIdOf, pageQueryOf, toConnection, toGlobalId, type ConnectionArgs } from '../graphql/relay.js';
import type { GraphqlModule, TypeResolvers } from '../graphql/types.js';

const READ: Scope[] = ['boards:read'];
const WRITE: Scope[] = ['boards:read', 'boards:write'];
const FOLLOW: Scope[] = ['boards:read', 'user_accounts:write'];

const typeDefs = /* GraphQL */ `
  enum BoardPrivacy {
    PUBLIC
    PROTECTED
    SECRET
  }

  enum BoardPrivacyFilter {
    ALL
    PUBLIC
    PROTECTED
    SECRET
    PUBLIC_AND_SECRET
  }

  enum CollaboratorRole {
    viewer
    editor
  }

  type BoardMedia {
    imageCoverUrl: String
    pinThumbnailUrls: [String!]!
  }

  "A board (v5 Board). PROTECTED and SECRET boards exist only for their owner and collaborators."
  type Board implements Node {
    id: ID!
    "The v5 board id."
    entityId: String!
    createdAt: String!
    boardPinsModifiedAt: String!
    name: String!
    description: String
    privacy: BoardPrivacy!
    owner: User!
    pinCount: Int!
    followerCount: Int!
    collaboratorCount: Int!
    media: BoardMedia!
    "GET /v5/boards/{board_id}/sections (boards:read), in the order they were made."
    sections(first: Int = 25, after: String): BoardSectionConnection
    "GET /v5/boards/{board_id}/collaborators (boards:read), in the order they joined."
    collaborators(first: Int = 25, after: String): BoardCollaboratorConnection
  }

  type BoardSection implements Node {
    id: ID!
    "The v5 section id."
    entityId: String!
    name: String!
    board: Board
  }

  type BoardCollaborator {
    user: User!
    role: CollaboratorRole!
    createdAt: String!
  }

  type BoardEdge {
    "The item's bookmark; on lists not ordered by board id, only the page's last edge has one."
    cursor: String
    node: Board!
  }

  type BoardConnection {
    edges: [BoardEdge!]!
    pageInfo: PageInfo!
  }

  type BoardSectionEdge {
    cursor: String
    node: BoardSection!
  }

  type BoardSectionConnection {
    edges: [BoardSectionEdge!]!
    pageInfo: PageInfo!
  }

  type BoardCollaboratorEdge {
    cursor: String
    node: BoardCollaborator!
  }

  type BoardCollaboratorConnection {
    edges: [BoardCollaboratorEdge!]!
    pageInfo: PageInfo!
  }

  extend type Viewer {
    "GET /v5/boards (boards:read): boards the viewer owns or collaborates on, newest first."
    boards(first: Int = 25, after: String, privacy: BoardPrivacyFilter = ALL): BoardConnection
  }

  extend type Query {
    "GET /v5/boards/{board_id} (boards:read). Takes the global id or the v5 id."
    board(id: ID!): Board
  }

  input CreateBoardInput {
    name: String!
    description: String
    privacy: BoardPrivacy
  }

  input UpdateBoardInput {
    name: String
    description: String
    privacy: BoardPrivacy
  }

  extend type Mutation {
    "POST /v5/boards (boards:read, boards:write; a SECRET board also boards:write_secret)."
    createBoard(input: CreateBoardInput!): Board
    "PATCH /v5/boards/{board_id}: owner only."
    updateBoard(id: ID!, input: UpdateBoardInput!): Board
    "DELETE /v5/boards/{board_id}: owner only; answers the deleted board's global id."
    deleteBoard(id: ID!): ID
    "POST /v5/boards/{board_id}/sections: owner and editors."
    createBoardSection(boardId: ID!, name: String!): BoardSection
    "PATCH /v5/boards/{board_id}/sections/{section_id}."
    updateBoardSection(boardId: ID!, sectionId: ID!, name: String!): BoardSection
    "DELETE /v5/boards/{board_id}/sections/{section_id}; answers the deleted section's global id."
    deleteBoardSection(boardId: ID!, sectionId: ID!): ID
    "POST /v5/boards/{board_id}/collaborators: owner only; a current collaborator gets the new role."
    addCollaborator(boardId: ID!, username: String!, role: CollaboratorRole!): BoardCollaborator
    "PATCH /v5/boards/{board_id}/collaborators/{username}: owner only."
    updateCollaborator(boardId: ID!, username: String!, role: CollaboratorRole!): BoardCollaborator
    "DELETE /v5/boards/{board_id}/collaborators/{username}: the owner, or a collaborator leaving."
    removeCollaborator(boardId: ID!, username: String!): Boolean
    "POST /v5/boards/{board_id}/follow (boards:read, user_accounts:write)."
    followBoard(id: ID!): Board
    "DELETE /v5/boards/{board_id}/follow."
    unfollowBoard(id: ID!): Boolean
  }
`;

async function cardOf(node: BoardNode, context: GraphqlContext) {
  const card = node.card ?? (await context.loaders.boardCards.load(node.board));
  // The board was deleted after it was read.
  if (!card) throw new AppError('BOARD_NOT_FOUND');
  return card;
}

const Board: TypeResolvers<BoardNode> = {
  id: ({ board }) => toGlobalId('Board', board.id),
  entityId: ({ board }) => board.id,
  createdAt: ({ board }) => board.created_at.toISOString(),
  boardPinsModifiedAt: ({ board }) => board.board_pins_modified_at.toISOString(),
  name: ({ board }) => board.name,
  description: ({ board }) => board.description,
  privacy: ({ board }) => board.privacy,
  owner: ({ board, card }) => userRef(board.owner_id, card?.ownerUsername),
  pinCount: ({ board }) => board.pin_count,
  followerCount: ({ board }) => board.follower_count,
  collaboratorCount: ({ board }) => board.collaborator_count,
  media: async (node, _args, context) => {
    const { media } = presentBoard(await cardOf(node, context), context.publicBaseUrl);
    return { imageCoverUrl: media.image_cover_url, pinThumbnailUrls: media.pin_thumbnail_urls };
  },
  sections: async ({ board }, args: ConnectionArgs, context) => {
    viewerWith(context, READ);
    const page = await context.loaders.boardSections.load({ boardId: board.id, query: pageQueryOf(args) });
    return toConnection(page, sectionNode, (section) => [section.id]);
  },
  collaborators: async ({ board }, args: ConnectionArgs, context) => {
    viewerWith(context, READ);
    const page = await context.loaders.collaborators.load({ boardId: board.id, query: pageQueryOf(args) });
    return toConnection(page, (row) => row, (row) => [row.created_us, row.user_id]);
  },
};

const BoardSection: TypeResolvers<SectionNode> = {
  id: ({ section }) => toGlobalId('BoardSection', section.id),
  entityId: ({ section }) => presentSection(section).id,
  name: ({ section }) => presentSection(section).name,
  board: async ({ section }, _args, context) => boardFromAccess(await context.loaders.readableBoards.load(section.board_id)),
};

const BoardCollaborator: TypeResolvers<CollaboratorRow> = {
  user: (row) => userRef(row.user_id, row.username),
  role: (row) => row.role,
  createdAt: (row) => row.created_at.toISOString(),
};

interface BoardInput {
  name?: string | null;
  description?: string | null;
  privacy?: BoardPrivacy | null;
}

const boardId = (id: string) => entityIdOf(id, 'Board');
const sectionId = (id: string) => entityIdOf(id, 'BoardSection');

const Mutation = {
  createBoard: async (_root: unknown, { input }: { input: BoardInput }, context: GraphqlContext) => {
    const viewer = viewerWith(context, WRITE);
    const body = validInput(BoardCreateBody, { ...input });
    return boardFromCard(await context.services.boards.create(viewer, body));
  },
  updateBoard: async (_root: unknown, args: { id: string; input: BoardInput }, context: GraphqlContext) => {
    const viewer = viewerWith(context, WRITE);
    const body = validInput(BoardUpdateBody, { ...args.input });
    return boardFromCard(await context.services.boards.update(viewer, boardId(args.id), body));
  },
  deleteBoard: async (_root: unknown, args: { id: string }, context: GraphqlContext) => {
    const viewer = viewerWith(context, WRITE);
    await context.services.boards.delete(viewer, boardId(args.id));
    return toGlobalId('Board', boardId(args.id));
  },
  createBoardSection: async (_root: unknown, args: { boardId: string; name: string }, context: GraphqlContext) => {
    const viewer = viewerWith(context, WRITE);
    const { name } = validInput(SectionBody, { name: args.name });
    return sectionNode(await context.services.boardSections.create(viewer, boardId(args.boardId), name));
  },
  updateBoardSection: async (
    _root: unknown,
    args: { boardId: string; sectionId: string; name: string },
    context: GraphqlContext,
  ) => {
    const viewer = viewerWith(context, WRITE);
    const { name } = validInput(SectionBody, { name: args.name });
    return sectionNode(
      await context.services.boardSections.rename(viewer, boardId(args.boardId), sectionId(args.sectionId), name),
    );
  },
  deleteBoardSection: async (_root: unknown, args: { boardId: string; sectionId: string }, context: GraphqlContext) => {
    const viewer = viewerWith(context, WRITE);
    await context.services.boardSections.delete(viewer, boardId(args.boardId), sectionId(args.sectionId));
    return toGlobalId('BoardSection', sectionId(args.sectionId));
  },
  addCollaborator: async (
    _root: unknown,
    args: { boardId: string; username: string; role: CollaboratorRole },
    context: GraphqlContext,
  ) => {
    const viewer = viewerWith(context, WRITE);
    const body = validInput(CollaboratorInviteBody, { username: args.username, role: args.role });
    return (await context.services.boardMembers.invite(viewer, boardId(args.boardId), body)).collaborator;
  },
  updateCollaborator: async (
    _root: unknown,
    args: { boardId: string; username: string; role: CollaboratorRole },
    context: GraphqlContext,
  ) => {
    const viewer = viewerWith(context, WRITE);
    const { board_id, username } = validInput(CollaboratorParams, { board_id: boardId(args.boardId), username: args.username });
    const { role } = validInput(CollaboratorRoleBody, { role: args.role });
    return context.services.boardMembers.changeRole(viewer, board_id, username, role);
  },
  removeCollaborator: async (_root: unknown, args: { boardId: string; username: string }, context: GraphqlContext) => {
    const viewer = viewerWith(context, WRITE);
    const { board_id, username } = validInput(CollaboratorParams, { board_id: boardId(args.boardId), username: args.username });
    await context.services.boardMembers.remove(viewer, board_id, username);
    return true;
  },
  followBoard: async (_root: unknown, args: { id: string }, context: GraphqlContext) => {
    const viewer = viewerWith(context, FOLLOW);
    return boardFromCard(await context.services.boardMembers.follow(viewer, boardId(args.id)));
  },
  unfollowBoard: async (_root: unknown, args: { id: string }, context: GraphqlContext) => {
    const viewer = viewerWith(context, FOLLOW);
    await context.services.boardMembers.unfollow(viewer, boardId(args.id));
    return true;
  },
};

export const boardsGraphql: GraphqlModule = {
  typeDefs,
  resolvers: {
    Query: {
      board: async (_root: unknown, args: { id: string }, context: GraphqlContext) => {
        viewerWith(context, READ);
        return boardFromAccess(await context.loaders.readableBoards.load(boardId(args.id)));
      },
    },
    Viewer: {
      boards: async (_viewer: unknown, args: ConnectionArgs & { privacy?: BoardPrivacyFilter | null }, context: GraphqlContext) => {
        const viewer = viewerWith(context, READ);
        const page = await context.services.boards.list(viewer, { ...pageQueryOf(args), privacy: args.privacy ?? 'ALL' });
        return toConnection(page, boardFromCard, (card) => [card.board.id]);
      },
    },
    Mutation,
    Board,
    BoardSection,
    BoardCollaborator,
  },
  nodes: {
    Board: async (id, context) => {
      viewerWith(context, READ);
      return boardFromAccess(await context.loaders.readableBoards.load(id));
    },
    BoardSection: async (id, context) => {
      viewerWith(context, READ);
      const section = await context.loaders.sections.load(id);
      // A section of a board the viewer may not read does not exist for them.
      const readable = section && (await context.loaders.readableBoards.load(section.board_id).catch(() => null));
      if (!section || !readable) throw new AppError('SECTION_NOT_FOUND');
      return sectionNode(section);
    },
  },
};
