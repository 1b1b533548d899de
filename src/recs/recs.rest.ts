// GET /v5/pins/{pin_id}/related (extension): pins related to a pin, best first, as a v5 Pin list.
import type { FastifyInstance } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { viewerOf } from '../platform/http/auth-hook.js';
import { PageQuery, toV5List } from '../platform/http/pagination.js';
import { commonErrors, ErrorSchema } from '../platform/http/schemas.js';
import type { Scope } from '../platform/http/viewer.js';
import { presentPin } from '../pins/pin.presenter.js';
import type { PinDetails } from '../pins/pin.repository.js';
import { PinListSchema, PinParams } from '../pins/pin.schemas.js';
import type { RelatedPinsService } from './related-pins.service.js';

export interface RelatedPinsRoutesDeps {
  related: RelatedPinsService;
  publicBaseUrl: string;
}

// As GET /v5/pins/{pin_id}.
const READ: Scope[] = ['boards:read', 'pins:read'];

export async function relatedPinsRoutes(app: FastifyInstance, deps: RelatedPinsRoutesDeps): Promise<void> {
  const api = app.withTypeProvider<TypeBoxTypeProvider>();

  api.get(
    '/v5/pins/:pin_id/related',
    {
      config: { scopes: READ, rateCategory: 'expensive' },
      schema: {
        tags: ['pins'],
        operationId: 'pins/related',
        summary: 'List related pins (extension): pins saved alongside this one, best first, public pins only',
        params: PinParams,
        querystring: PageQuery,
        response: { 200: PinListSchema, ...commonErrors, 503: ErrorSchema },
      },
    },
    async (request) => {
      const viewer = viewerOf(request);
      const page = await deps.related.related(viewer, request.params.pin_id, request.query);
      return toV5List(page, (details: PinDetails) => presentPin(details, viewer.userId, deps.publicBaseUrl));
    },
  );
}
