// GET /v5/feeds/home (an extension): the viewer's home feed, v5 Pins with `bookmark` pagination.
import type { FastifyInstance } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { viewerOf } from '../../platform/http/auth-hook.js';
import { PageQuery, toV5List } from '../../platform/http/pagination.js';
import { commonErrors } from '../../platform/http/schemas.js';
import type { Scope } from '../../platform/http/viewer.js';
import { presentPin } from '../../pins/pin.presenter.js';
import { PinListSchema } from '../../pins/pin.schemas.js';
import type { HomeFeedService } from './home-feed.service.js';

export interface HomeFeedRoutesDeps {
  homeFeed: HomeFeedService;
  publicBaseUrl: string;
}

/** As for the other pin lists. */
export const HOME_FEED_SCOPES: Scope[] = ['boards:read', 'pins:read'];

export async function homeFeedRoutes(app: FastifyInstance, deps: HomeFeedRoutesDeps): Promise<void> {
  const api = app.withTypeProvider<TypeBoxTypeProvider>();

  api.get(
    '/v5/feeds/home',
    {
      // A first page builds the feed (timelines blended with walks); later pages read what it kept.
      config: { scopes: HOME_FEED_SCOPES, rateCategory: (request) => ((request.query as { bookmark?: string }).bookmark ? 'reads' : 'expensive') },
      schema: {
        tags: ['feeds'],
        summary: 'Home feed: pins from the people and boards you follow, blended with pins picked for you, best first',
        operationId: 'feeds/home',
        querystring: PageQuery,
        response: { 200: PinListSchema, ...commonErrors },
      },
    },
    async (request) => {
      const viewer = viewerOf(request);
      const page = await deps.homeFeed.page(viewer, request.query);
      return toV5List(page, (item) => presentPin(item.details, viewer.userId, deps.publicBaseUrl));
    },
  );
}
