// GraphQL for follows: the viewer's followers, the people and boards they follow, and following or
// unfollowing a person. Same services and scopes as follows.rest.ts; the cursors are its bookmarks
// (follow time and id), so every edge of a person list carries one.
import DataLoader from 'dataloader';
import type { Scope, Viewer } from '../platform/http/viewer.js';
import { pageRequest } from '../platform/http/pagination.js';
import { UsernameParams } from '../accounts/account.schemas.js';
import { viewerWith, type GraphqlContext } from '../graphql/context.js';
import { validInput } from '../graphql/input.js';
import { boardFromCard, userNode, userRef, type BoardNode, type UserNode } from '../graphql/nodes.js';
import { pageQueryOf, toConnection, type ConnectionArgs } from '../graphql/relay.js';
import type { GraphqlModule } from '../graphql/types.js';
import { followCursorKey } from './follow-cursor.js';
import type { FollowedUserRow } from './follow.repository.js';

const READ: Scope[] = ['user_accounts:read'];
const WRITE: Scope[] = ['user_accounts:write'];

const typeDefs = /* GraphQL */ `
  type UserEdge {
    cursor: String
    node: User!
  }

  type UserConnection {
    edges: [UserEdge!]!
    pageInfo: PageInfo!
  }

  extend type Viewer {
    "GET /v5/user_account/followers (user_accounts:read), newest follow first."
    followers(first: Int = 25, after: String): UserConnection
    "GET /v5/user_account/following (user_accounts:read), newest follow first."
    following(first: Int = 25, after: String): UserConnection
    "GET /v5/user_account/following/boards (user_accounts:read): followed boards the viewer may still read."
    followedBoards(first: Int = 25, after: String): BoardConnection
  }

  extend type User {
    "GET /v5/users/{username}/followers (user_accounts:read): who follows this person, newest follow first."
    followers(first: Int = 25, after: String): UserConnection
    "GET /v5/users/{username}/following (user_accounts:read): whom this person follows, newest follow first."
    following(first: Int = 25, after: String): UserConnection
    "Whether the viewer follows this person (user_accounts:read; REST: GET /v5/user_account/following)."
    followedByViewer: Boolean
  }

  extend type Board {
    "Whether the viewer follows this board (user_accounts:read; REST: GET /v5/user_account/following/boards)."
    followedByViewer: Boolean
  }

  extend type Mutation {
    "POST /v5/user_account/following/{username} (user_accounts:write); following twice is one follow."
    followUser(username: String!): User
    "DELETE /v5/user_account/following/{username}; true also when the viewer did not follow them."
    unfollowUser(username: String!): Boolean
  }
`;

const person = (row: FollowedUserRow) => userRef(row.id, row.username);

interface FollowStateLoaders {
  people: DataLoader<string, boolean>;
  boards: DataLoader<string, boolean>;
}

// One pair of loaders per request (the context lives as long as the request): every person or board
// of a level asks whether the viewer follows it in one statement.
const followStateLoaders = new WeakMap<GraphqlContext, FollowStateLoaders>();

function followStateOf(context: GraphqlContext, viewer: Viewer): FollowStateLoaders {
  let loaders = followStateLoaders.get(context);
  if (!loaders) {
    const follows = context.services.follows;
    loaders = {
      people: new DataLoader(async (ids: readonly string[]) => {
        const followed = await follows.followsPeople(viewer, ids);
        return ids.map((id) => followed.has(id));
      }),
      boards: new DataLoader(async (ids: readonly string[]) => {
        const followed = await follows.followsBoards(viewer, ids);
        return ids.map((id) => followed.has(id));
      }),
    };
    followStateLoaders.set(context, loaders);
  }
  return loaders;
}

export const followsGraphql: GraphqlModule = {
  typeDefs,
  resolvers: {
    Viewer: {
      followers: async (_viewer: unknown, args: ConnectionArgs, context: GraphqlContext) => {
        const viewer = viewerWith(context, READ);
        const page = await context.services.follows.listFollowers(viewer, pageRequest(pageQueryOf(args), 2));
        return toConnection(page, person, followCursorKey);
      },
      following: async (_viewer: unknown, args: ConnectionArgs, context: GraphqlContext) => {
        const viewer = viewerWith(context, READ);
        const page = await context.services.follows.listFollowing(viewer, pageRequest(pageQueryOf(args), 2));
        return toConnection(page, person, followCursorKey);
      },
      followedBoards: async (_viewer: unknown, args: ConnectionArgs, context: GraphqlContext) => {
        const viewer = viewerWith(context, READ);
        const page = await context.services.follows.listFollowedBoards(viewer, pageRequest(pageQueryOf(args), 2));
        return toConnection(page, boardFromCard);
      },
    },
    User: {
      followers: async (user: UserNode, args: ConnectionArgs, context: GraphqlContext) => {
        viewerWith(context, READ);
        return toConnection(await context.services.follows.followersOf(user.id, pageRequest(pageQueryOf(args), 2)), person, followCursorKey);
      },
      following: async (user: UserNode, args: ConnectionArgs, context: GraphqlContext) => {
        viewerWith(context, READ);
        return toConnection(await context.services.follows.followingOf(user.id, pageRequest(pageQueryOf(args), 2)), person, followCursorKey);
      },
      followedByViewer: async (user: UserNode, _args: unknown, context: GraphqlContext) => {
        const viewer = viewerWith(context, READ);
        if (user.id === viewer.userId) return false;
        return followStateOf(context, viewer).people.load(user.id);
      },
    },
    Board: {
      followedByViewer: async (board: BoardNode, _args: unknown, context: GraphqlContext) => {
        const viewer = viewerWith(context, READ);
        return followStateOf(context, viewer).boards.load(board.board.id);
      },
    },
    Mutation: {
      followUser: async (_root: unknown, args: { username: string }, context: GraphqlContext) => {
        const viewer = viewerWith(context, WRITE);
        const { username } = validInput(UsernameParams, { username: args.username });
        return userNode(await context.services.follows.followUser(viewer, username));
      },
      unfollowUser: async (_root: unknown, args: { username: string }, context: GraphqlContext) => {
        const viewer = viewerWith(context, WRITE);
        const { username } = validInput(UsernameParams, { username: args.username });
        await context.services.follows.unfollowUser(viewer, username);
        return true;
      },
    },
  },
};
