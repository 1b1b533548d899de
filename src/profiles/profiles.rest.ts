// A person's boards and pins (extensions in Pinterest's style; its public API shows only the
// caller's own): GET /v5/users/{username}/boards and GET /v5/users/{username}/pins, newest first.
import type { FastifyInstance } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { viewerOf } from '../platform/http/auth-hook.js';
import { commonErrors } from '../platform/http/schemas.js';
import { PageQuery, PaginatedSchema, pageRequest, toV5List } from '../platform/http/pagination.js';
import { UsernameParams } from '../accounts/account.schemas.js';
import { BoardSchema } from '../boards/board.schemas.js';
import { presentBoard } from '../boards/board.presenter.js';
import { PinSchema } from '../pins/pin.schemas.js';
import { presentPin } from '../pins/pin.presenter.js';
import type { ProfileService } from './profile.service.js';

export interface ProfileRoutesDeps {
  profiles: ProfileService;
  publicBaseUrl: string;
}

export async function profileRoutes(app: FastifyInstance, deps: ProfileRoutesDeps): Promise<void> {
  const api = app.withTypeProvider<TypeBoxTypeProvider>();

  api.get(
    '/v5/users/:username/boards',
    {
      config: { scopes: ['boards:read'] },
      schema: {
        tags: ['users'],
        summary: "List a user's boards the caller may see, newest first (extension)",
        operationId: 'users_boards/list',
        params: UsernameParams,
        querystring: PageQuery,
        response: { 200: PaginatedSchema(BoardSchema), ...commonErrors },
      },
    },
    async (request) => {
      const page = await deps.profiles.boardsOfUsername(viewerOf(request), request.params.username, pageRequest(request.query));
      return toV5List(page, (card) => presentBoard(card, deps.publicBaseUrl));
    },
  );

  api.get(
    '/v5/users/:username/pins',
    {
      config: { scopes: ['boards:read', 'pins:read'] },
      schema: {
        tags: ['users'],
        summary: "List the pins a user made or saved that the caller may see, newest first (extension)",
        operationId: 'users_pins/list',
        params: UsernameParams,
        querystring: PageQuery,
        response: { 200: PaginatedSchema(PinSchema), ...commonErrors },
      },
    },
    async (request) => {
      const viewer = viewerOf(request);
      const page = await deps.profiles.pinsOfUsername(viewer, request.params.username, pageRequest(request.query));
      return toV5List(page, (details) => presentPin(details, viewer.userId, deps.publicBaseUrl));
    },
  );
}
