// Board collaborator and follow routes (extensions to Pinterest's v5 API, in its style).
import type { FastifyInstance } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { viewerOf } from '../platform/http/auth-hook.js';
import { PageQuery, PaginatedSchema, toV5List } from '../platform/http/pagination.js';
import { commonErrors } from '../platform/http/schemas.js';
import type { BoardMembersService } from './board-members.service.js';
import { presentBoard, presentCollaborator } from './board.presenter.js';
import {
  BoardParams,
  BoardSchema,
  CollaboratorInviteBody,
  CollaboratorParams,
  CollaboratorRoleBody,
  CollaboratorSchema,
} from './board.schemas.js';

export async function boardMemberRoutes(
  app: FastifyInstance,
  deps: { members: BoardMembersService; publicBaseUrl: string },
): Promise<void> {
  const api = app.withTypeProvider<TypeBoxTypeProvider>();

  api.get(
    '/v5/boards/:board_id/collaborators',
    {
      config: { scopes: ['boards:read'] },
      schema: {
        tags: ['board_collaborators'],
        summary: 'List board collaborators (extension)',
        description: 'Anyone who can read the board sees its collaborators, in the order they joined.',
        operationId: 'board_collaborators/list',
        params: BoardParams,
        querystring: PageQuery,
        response: { 200: PaginatedSchema(CollaboratorSchema), ...commonErrors },
      },
    },
    async (request) => {
      const page = await deps.members.listCollaborators(viewerOf(request), request.params.board_id, request.query);
      return toV5List(page, presentCollaborator);
    },
  );

  api.post(
    '/v5/boards/:board_id/collaborators',
    {
      config: { scopes: ['boards:read', 'boards:write'] },
      schema: {
        tags: ['board_collaborators'],
        summary: 'Invite a board collaborator (extension)',
        description:
          "Owner only. Editors add pins and manage sections; viewers read a board's hidden content. Inviting a current collaborator changes their role and answers 200.",
        operationId: 'board_collaborators/create',
        params: BoardParams,
        body: CollaboratorInviteBody,
        response: { 200: CollaboratorSchema, 201: CollaboratorSchema, ...commonErrors },
      },
    },
    async (request, reply) => {
      const { collaborator, created } = await deps.members.invite(viewerOf(request), request.params.board_id, request.body);
      return reply.status(created ? 201 : 200).send(presentCollaborator(collaborator));
    },
  );

  api.patch(
    '/v5/boards/:board_id/collaborators/:username',
    {
      config: { scopes: ['boards:read', 'boards:write'] },
      schema: {
        tags: ['board_collaborators'],
        summary: "Change a board collaborator's role (extension)",
        description: 'Owner only.',
        operationId: 'board_collaborators/update',
        params: CollaboratorParams,
        body: CollaboratorRoleBody,
        response: { 200: CollaboratorSchema, ...commonErrors },
      },
    },
    async (request) => {
      const { board_id, username } = request.params;
      return presentCollaborator(await deps.members.changeRole(viewerOf(request), board_id, username, request.body.role));
    },
  );

  api.delete(
    '/v5/boards/:board_id/collaborators/:username',
    {
      config: { scopes: ['boards:read', 'boards:write'] },
      schema: {
        tags: ['board_collaborators'],
        summary: 'Remove a board collaborator (extension)',
        description: 'The owner removes anyone; a collaborator may remove themselves. Their pins stay on the board.',
        operationId: 'board_collaborators/delete',
        params: CollaboratorParams,
        response: { 204: Type.Null({ description: 'Removed.' }), ...commonErrors },
      },
    },
    async (request, reply) => {
      await deps.members.remove(viewerOf(request), request.params.board_id, request.params.username);
      return reply.status(204).send(null);
    },
  );

  api.post(
    '/v5/boards/:board_id/follow',
    {
      config: { scopes: ['boards:read', 'user_accounts:write'] },
      schema: {
        tags: ['board_follows'],
        summary: 'Follow a board (extension)',
        description: "Any board you can read except your own (400). Following again changes nothing. Answers the board.",
        operationId: 'board_follows/create',
        params: BoardParams,
        response: { 200: BoardSchema, ...commonErrors },
      },
    },
    async (request) => presentBoard(await deps.members.follow(viewerOf(request), request.params.board_id), deps.publicBaseUrl),
  );

  api.delete(
    '/v5/boards/:board_id/follow',
    {
      config: { scopes: ['boards:read', 'user_accounts:write'] },
      schema: {
        tags: ['board_follows'],
        summary: 'Unfollow a board (extension)',
        description: 'Unfollowing a board you do not follow is not an error.',
        operationId: 'board_follows/delete',
        params: BoardParams,
        response: { 204: Type.Null({ description: 'Unfollowed.' }), ...commonErrors },
      },
    },
    async (request, reply) => {
      await deps.members.unfollow(viewerOf(request), request.params.board_id);
      return reply.status(204).send(null);
    },
  );
}
