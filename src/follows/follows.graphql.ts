// GraphQL for follows: the viewer's followers, the people and boards they follow, and following or
// unfollowing a person. Same services and scopes as follows.rest.ts; the cursors are its bookmarks
// (follow time and id), so every edge of a person list carries one.
import type { Scope } from '../platform/http/viewer.js';
import { pageRequest } from '../platform/http/pagination.js';
import { UsernameParams } from '../accounts/account.schemas.js';
import { viewerWith, type GraphqlContext } from '../graphql/context.js';
import { validInput } from '../graphql/input.js';
import { boardFromCard, userNode, userRef } from '../graphql/nodes.js';
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

  extend type Mutation {
    "POST /v5/user_account/following/{username} (user_accounts:write); following twice is one follow."
    followUser(username: String!): User
    "DELETE /v5/user_account/following/{username}; true also when the viewer did not follow them."
    unfollowUser(username: String!): Boolean
  }
`;

const person = (row: FollowedUserRow) => userRef(row.id, row.username);

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
