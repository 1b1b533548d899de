// v5 board section routes: /v5/boards/{board_id}/sections[/{section_id}].
import type { FastifyInstance } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { viewerOf } from '../platform/http/auth-hook.js';
import { PageQuery, PaginatedSchema, toV5List } from '../platform/http/pagination.js';
import { commonErrors } from '../platform/http/schemas.js';
import type { BoardSectionService } from './board-section.service.js';
import { presentSection } from './board.presenter.js';
import { BoardParams, BoardSectionSchema, SectionBody, SectionParams } from './board.schemas.js';

export async function boardSectionRoutes(app: FastifyInstance, deps: { sections: BoardSectionService }): Promise<void> {
  const api = app.withTypeProvider<TypeBoxTypeProvider>();

  api.get(
    '/v5/boards/:board_id/sections',
    {
      config: { scopes: ['boards:read'] },
      schema: {
        tags: ['board_sections'],
        summary: 'List board sections',
        description: 'In the order they were created.',
        operationId: 'board_sections/list',
        params: BoardParams,
        querystring: PageQuery,
        response: { 200: PaginatedSchema(BoardSectionSchema), ...commonErrors },
      },
    },
    async (request) => {
      const page = await deps.sections.list(viewerOf(request), request.params.board_id, request.query);
      return toV5List(page, presentSection);
    },
  );

  api.post(
    '/v5/boards/:board_id/sections',
    {
      config: { scopes: ['boards:read', 'boards:write'] },
      schema: {
        tags: ['board_sections'],
        summary: 'Create board section',
        description: "The board's owner and editors may create sections; a name already used on the board answers 409.",
        operationId: 'board_sections/create',
        params: BoardParams,
        body: SectionBody,
        response: { 201: BoardSectionSchema, ...commonErrors },
      },
    },
    async (request, reply) => {
      const section = await deps.sections.create(viewerOf(request), request.params.board_id, request.body.name);
      return reply.status(201).send(presentSection(section));
    },
  );

  api.patch(
    '/v5/boards/:board_id/sections/:section_id',
    {
      config: { scopes: ['boards:read', 'boards:write'] },
      schema: {
        tags: ['board_sections'],
        summary: 'Update board section',
        operationId: 'board_sections/update',
        params: SectionParams,
        body: SectionBody,
        response: { 200: BoardSectionSchema, ...commonErrors },
      },
    },
    async (request) => {
      const { board_id, section_id } = request.params;
      return presentSection(await deps.sections.rename(viewerOf(request), board_id, section_id, request.body.name));
    },
  );

  api.delete(
    '/v5/boards/:board_id/sections/:section_id',
    {
      config: { scopes: ['boards:read', 'boards:write'] },
      schema: {
        tags: ['board_sections'],
        summary: 'Delete board section',
        description: "The section's pins stay on the board, outside any section.",
        operationId: 'board_sections/delete',
        params: SectionParams,
        response: { 204: Type.Null({ description: 'Deleted.' }), ...commonErrors },
      },
    },
    async (request, reply) => {
      await deps.sections.delete(viewerOf(request), request.params.board_id, request.params.section_id);
      return reply.status(204).send(null);
    },
  );
}
