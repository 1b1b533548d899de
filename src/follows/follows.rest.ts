// Following people (Pinterest's follow_user/update, plus DELETE to unfollow as an extension), the
// viewer's followers and followees, and the boards the viewer follows.
import type { FastifyInstance } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { viewerOf } from '../platform/http/auth-hook.js';
import { commonErrors } from '../platform/http/schemas.js';
import { PaginatedSchema, pageRequest, toV5List } from '../platform/http/pagination.js';
import { UsernameParams } from '../accounts/account.schemas.js';
import { BoardSchema } from '../boards/board.schemas.js';
import type { FollowService } from './follow.service.js';
import { presentUserSummary } from './follow.presenter.js';
import { presentBoard } from '../boards/board.presenter.js';
import {
  FollowersQuery,
  FollowingBoardsQuery,
  FollowingQuery,
  FollowUserBody,
  UserSummarySchema,
} from './follow.schemas.js';

export interface FollowRoutesDeps {
  follows: FollowService;
  publicBaseUrl: string;
}

export async function followRoutes(app: FastifyInstance, deps: FollowRoutesDeps): Promise<void> {
  const api = app.withTypeProvider<TypeBoxTypeProvider>();

  api.post(
    '/v5/user_account/following/:username',
    {
      config: { scopes: ['user_accounts:write'] },
      schema: {
        tags: ['user_account'],
        summary: 'Follow user',
        operationId: 'follow_user/update',
        params: UsernameParams,
        body: FollowUserBody,
        response: { 200: UserSummarySchema, ...commonErrors },
      },
    },
    async (request) => presentUserSummary(await deps.follows.followUser(viewerOf(request), request.params.username)),
  );

  api.delete(
    '/v5/user_account/following/:username',
    {
      config: { scopes: ['user_accounts:write'] },
      schema: {
        tags: ['user_account'],
        summary: 'Unfollow user (extension); 204 also when the viewer did not follow them',
        operationId: 'follow_user/delete',
        params: UsernameParams,
        response: { 204: { type: 'null' }, ...commonErrors },
      },
    },
    async (request, reply) => {
      await deps.follows.unfollowUser(viewerOf(request), request.params.username);
      return reply.status(204).send(null);
    },
  );

  api.get(
    '/v5/user_account/followers',
    {
      config: { scopes: ['user_accounts:read'] },
      schema: {
        tags: ['user_account'],
        summary: 'List followers, newest follow first',
        operationId: 'followers/list',
        querystring: FollowersQuery,
        response: { 200: PaginatedSchema(UserSummarySchema), ...commonErrors },
      },
    },
    async (request) => {
      const page = await deps.follows.listFollowers(viewerOf(request), pageRequest(request.query, 2));
      return toV5List(page, presentUserSummary);
    },
  );

  api.get(
    '/v5/user_account/following',
    {
      config: { scopes: ['user_accounts:read'] },
      schema: {
        tags: ['user_account'],
        summary: 'List following, newest follow first',
        operationId: 'user_following/get',
        querystring: FollowingQuery,
        response: { 200: PaginatedSchema(UserSummarySchema), ...commonErrors },
      },
    },
    async (request) => {
      const page = await deps.follows.listFollowing(viewerOf(request), pageRequest(request.query, 2));
      return toV5List(page, presentUserSummary);
    },
  );

  api.get(
    '/v5/users/:username/followers',
    {
      config: { scopes: ['user_accounts:read'] },
      schema: {
        tags: ['users'],
        summary: "List a user's followers, newest follow first (extension)",
        operationId: 'users_followers/list',
        params: UsernameParams,
        querystring: FollowersQuery,
        response: { 200: PaginatedSchema(UserSummarySchema), ...commonErrors },
      },
    },
    async (request) => toV5List(await deps.follows.followersOfUsername(request.params.username, pageRequest(request.query, 2)), presentUserSummary),
  );

  api.get(
    '/v5/users/:username/following',
    {
      config: { scopes: ['user_accounts:read'] },
      schema: {
        tags: ['users'],
        summary: 'List the people a user follows, newest follow first (extension)',
        operationId: 'users_following/list',
        params: UsernameParams,
        querystring: FollowersQuery,
        response: { 200: PaginatedSchema(UserSummarySchema), ...commonErrors },
      },
    },
    async (request) => toV5List(await deps.follows.followingOfUsername(request.params.username, pageRequest(request.query, 2)), presentUserSummary),
  );

  api.get(
    '/v5/user_account/following/boards',
    {
      config: { scopes: ['user_accounts:read'] },
      schema: {
        tags: ['user_account'],
        summary: 'List following boards the viewer can read, newest follow first',
        operationId: 'boards_user_follows/list',
        querystring: FollowingBoardsQuery,
        response: { 200: PaginatedSchema(BoardSchema), ...commonErrors },
      },
    },
    async (request) => {
      const page = await deps.follows.listFollowedBoards(viewerOf(request), pageRequest(request.query, 2));
      return toV5List(page, (card) => presentBoard(card, deps.publicBaseUrl));
    },
  );
}
