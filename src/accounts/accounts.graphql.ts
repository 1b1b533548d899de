// GraphQL for accounts: the User type, `viewer` and `user(username)`. A user's profile (counts,
// about, website...) needs user_accounts:read like GET /v5/user_account and /v5/users/{username};
// their id and username are shown wherever REST shows them. Others see public counts only.
import { AppError } from '../platform/errors.js';
import { viewerWith, type GraphqlContext } from '../graphql/context.js';
import { userNode, type UserNode } from '../graphql/nodes.js';
import { toGlobalId } from '../graphql/relay.js';
import type { GraphqlModule, TypeResolvers } from '../graphql/types.js';
import { presentAccount } from './account.presenter.js';
import { UsernameParams, type AccountBody } from './account.schemas.js';
import { validInput } from '../graphql/input.js';

const typeDefs = /* GraphQL */ `
  enum AccountType {
    PINNER
    BUSINESS
  }

  """
  A person. id and username are always shown; the profile fields need the user_accounts:read
  scope, and others than the user see counts of public content only.
  """
  type User implements Node {
    id: ID!
    "The v5 user id."
    entityId: String!
    username: String!
    accountType: AccountType!
    about: String!
    websiteUrl: String!
    profileImage: String
    businessName: String
    boardCount: Int!
    pinCount: Int!
    followerCount: Int!
    followingCount: Int!
    monthlyViews: Int!
  }

  "The signed-in user and their lists (the REST /v5/user_account, /v5/boards, /v5/pins... family)."
  type Viewer {
    "GET /v5/user_account (user_accounts:read)."
    user: User
  }

  extend type Query {
    "The signed-in user; null with AUTHENTICATION_FAILED without a token."
    viewer: Viewer
    "GET /v5/users/{username} (user_accounts:read)."
    user(username: String!): User
  }
`;

async function profile(user: UserNode, context: GraphqlContext): Promise<AccountBody> {
  const viewer = viewerWith(context, ['user_accounts:read']);
  const row = user.row ?? (await context.loaders.users.load(user.id));
  if (!row) throw new AppError('USER_NOT_FOUND');
  return presentAccount(row, viewer.userId);
}

const User: TypeResolvers<UserNode> = {
  id: (user) => toGlobalId('User', user.id),
  entityId: (user) => user.id,
  username: async (user, _args, context) => {
    if (user.username !== undefined) return user.username;
    const row = await context.loaders.users.load(user.id);
    if (!row) throw new AppError('USER_NOT_FOUND');
    return row.username;
  },
  accountType: async (user, _args, context) => (await profile(user, context)).account_type,
  about: async (user, _args, context) => (await profile(user, context)).about,
  websiteUrl: async (user, _args, context) => (await profile(user, context)).website_url,
  profileImage: async (user, _args, context) => (await profile(user, context)).profile_image ?? null,
  businessName: async (user, _args, context) => (await profile(user, context)).business_name,
  boardCount: async (user, _args, context) => (await profile(user, context)).board_count,
  pinCount: async (user, _args, context) => (await profile(user, context)).pin_count,
  followerCount: async (user, _args, context) => (await profile(user, context)).follower_count,
  followingCount: async (user, _args, context) => (await profile(user, context)).following_count,
  monthlyViews: async (user, _args, context) => (await profile(user, context)).monthly_views,
};

export const accountsGraphql: GraphqlModule = {
  typeDefs,
  resolvers: {
    Query: {
      viewer: (_root: unknown, _args: unknown, context: GraphqlContext) => {
        viewerWith(context, []);
        return {};
      },
      user: async (_root: unknown, args: { username: string }, context: GraphqlContext) => {
        viewerWith(context, ['user_accounts:read']);
        const { username } = validInput(UsernameParams, { username: args.username });
        return userNode(await context.services.accounts.getByUsername(username));
      },
    },
    Viewer: {
      user: async (_viewer: unknown, _args: unknown, context: GraphqlContext) => {
        const viewer = viewerWith(context, ['user_accounts:read']);
        return userNode(await context.services.accounts.getById(viewer.userId));
      },
    },
    User,
  },
  nodes: {
    User: async (id, context) => {
      viewerWith(context, ['user_accounts:read']);
      const row = await context.loaders.users.load(id);
      if (!row) throw new AppError('USER_NOT_FOUND');
      return userNode(row);
    },
  },
};
