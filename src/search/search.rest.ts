// Search over the viewer's own pins and boards: GET /v5/search/pins and GET /v5/search/boards.
// Pinterest lists the *:read_secret scopes for these operations; here they are not required, they
// widen the results to pins and boards on SECRET boards.
import type { FastifyInstance } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { viewerOf } from '../platform/http/auth-hook.js';
import { commonErrors } from '../platform/http/schemas.js';
import { PaginatedSchema, pageRequest, toV5List } from '../platform/http/pagination.js';
import { BoardSchema } from '../boards/board.schemas.js';
import { presentBoard } from '../boards/board.presenter.js';
import { PinSchema } from '../pins/pin.schemas.js';
import { presentPin } from '../pins/pin.presenter.js';
import type { SearchService } from './search.service.js';
import { SearchBoardsQuery, SearchPinsQuery } from './search.schemas.js';

export interface SearchRoutesDeps {
  search: SearchService;
  publicBaseUrl: string;
}

export async function searchRoutes(app: FastifyInstance, deps: SearchRoutesDeps): Promise<void> {
  const api = app.withTypeProvider<TypeBoxTypeProvider>();

  api.get(
    '/v5/search/pins',
    {
      config: { scopes: ['boards:read', 'pins:read'], rateCategory: 'expensive' },
      schema: {
        tags: ['search'],
        summary: "Search user's Pins, best match first",
        operationId: 'search_user_pins/list',
        querystring: SearchPinsQuery,
        response: { 200: PaginatedSchema(PinSchema), ...commonErrors },
      },
    },
    async (request) => {
      const viewer = viewerOf(request);
      const page = await deps.search.searchPins(viewer, request.query.query, pageRequest(request.query, 2));
      return toV5List(page, (details) => presentPin(details, viewer.userId, deps.publicBaseUrl));
    },
  );

  api.get(
    '/v5/search/boards',
    {
      config: { scopes: ['boards:read'], rateCategory: 'expensive' },
      schema: {
        tags: ['search'],
        summary: "Search user's boards, best match first",
        operationId: 'search_user_boards/get',
        querystring: SearchBoardsQuery,
        response: { 200: PaginatedSchema(BoardSchema), ...commonErrors },
      },
    },
    async (request) => {
      const viewer = viewerOf(request);
      const page = await deps.search.searchBoards(viewer, request.query.query, pageRequest(request.query, 2));
      return toV5List(page, (card) => presentBoard(card, deps.publicBaseUrl));
    },
  );
}
