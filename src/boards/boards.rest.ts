// v5 board routes: /v5/boards and /v5/boards/{board_id}, plus the sections, collaborators and
// follow routes registered from their own files. Routes only validate, call a service and present.
import type { FastifyInstance } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { viewerOf } from '../platform/http/auth-hook.js';
import { PaginatedSchema, toV5List } from '../platform/http/pagination.js';
import { commonErrors } from '../platform/http/schemas.js';
import type { BoardMembersService } from './board-members.service.js';
import type { BoardSectionService } from './board-section.service.js';
import type { BoardService } from './board.service.js';
import { presentBoard, presentUpdatedBoard } from './board.presenter.js';
import {
  BoardCreateBody,
  BoardListQuery,
  BoardParams,
  BoardSchema,
  BoardUpdateBody,
  BoardWithUpdatePrivacySchema,
} from './board.schemas.js';
import { boardSectionRoutes } from './board-sections.rest.js';
import { boardMemberRoutes } from './board-members.rest.js';

export interface BoardRoutesDeps {
  boards: BoardService;
  sections: BoardSectionService;
  members: BoardMembersService;
  publicBaseUrl: string;
}

export async function boardRoutes(app: FastifyInstance, deps: BoardRoutesDeps): Promise<void> {
  const api = app.withTypeProvider<TypeBoxTypeProvider>();
  const present = (card: Parameters<typeof presentBoard>[0]) => presentBoard(card, deps.publicBaseUrl);

  api.post(
    '/v5/boards',
    {
      config: { scopes: ['boards:read', 'boards:write'] },
      schema: {
        tags: ['boards'],
        summary: 'Create board',
        description: 'A SECRET board also needs boards:write_secret. A name already used by one of your boards answers 409.',
        operationId: 'boards/create',
        body: BoardCreateBody,
        response: { 201: BoardSchema, ...commonErrors },
      },
    },
    async (request, reply) => {
      const { is_ads_only: _adsOnly, ...input } = request.body;
      const card = await deps.boards.create(viewerOf(request), input);
      return reply.status(201).send(present(card));
    },
  );

  api.get(
    '/v5/boards',
    {
      config: { scopes: ['boards:read'] },
      schema: {
        tags: ['boards'],
        summary: 'List boards',
        description:
          "The token user's boards and the group boards they collaborate on, newest first. SECRET boards need boards:read_secret.",
        operationId: 'boards/list',
        querystring: BoardListQuery,
        response: { 200: PaginatedSchema(BoardSchema), ...commonErrors },
      },
    },
    async (request) => toV5List(await deps.boards.list(viewerOf(request), request.query), present),
  );

  api.get(
    '/v5/boards/:board_id',
    {
      config: { scopes: ['boards:read'] },
      schema: {
        tags: ['boards'],
        summary: 'Get board',
        operationId: 'boards/get',
        params: BoardParams,
        response: { 200: BoardSchema, ...commonErrors },
      },
    },
    async (request) => present(await deps.boards.get(viewerOf(request), request.params.board_id)),
  );

  api.patch(
    '/v5/boards/:board_id',
    {
      config: { scopes: ['boards:read', 'boards:write'] },
      schema: {
        tags: ['boards'],
        summary: 'Update board',
        description:
          "Owner only. privacy also accepts PROTECTED (extension); the response then omits privacy, which Pinterest's BoardWithUpdatePrivacy cannot express.",
        operationId: 'boards/update',
        params: BoardParams,
        body: BoardUpdateBody,
        response: { 200: BoardWithUpdatePrivacySchema, ...commonErrors },
      },
    },
    async (request) => {
      const card = await deps.boards.update(viewerOf(request), request.params.board_id, request.body);
      return presentUpdatedBoard(card, deps.publicBaseUrl);
    },
  );

  api.delete(
    '/v5/boards/:board_id',
    {
      config: { scopes: ['boards:read', 'boards:write'] },
      schema: {
        tags: ['boards'],
        summary: 'Delete board',
        description: 'Owner only. Deletes the board with its sections and pins.',
        operationId: 'boards/delete',
        params: BoardParams,
        response: { 204: Type.Null({ description: 'Deleted.' }), ...commonErrors },
      },
    },
    async (request, reply) => {
      await deps.boards.delete(viewerOf(request), request.params.board_id);
      return reply.status(204).send(null);
    },
  );

  await app.register(boardSectionRoutes, { sections: deps.sections });
  await app.register(boardMemberRoutes, deps);
}
