// POST /v5/events (extension): clients report batches of engagement events - impressions, close-ups,
// saves, clicks and hides of pins - which rank the home feed and feed experiment metrics.
import type { FastifyInstance } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { viewerOf } from '../platform/http/auth-hook.js';
import { commonErrors } from '../platform/http/schemas.js';
import type { EngagementEventsService } from './engagement-events.service.js';
import { EventsBatchBody, EventsBatchResponse } from './events.schemas.js';

export interface EventRoutesDeps {
  events: EngagementEventsService;
}

export async function eventRoutes(app: FastifyInstance, deps: EventRoutesDeps): Promise<void> {
  const api = app.withTypeProvider<TypeBoxTypeProvider>();
  api.post(
    '/v5/events',
    {
      config: { scopes: ['pins:read'] },
      schema: {
        tags: ['events'],
        summary: 'Report engagement events',
        description:
          'Extension. A batch of up to 100 events about pins the caller may see: impression, closeup, save, click, hide. ' +
          'Stored all or none; an event whose client_event_id was stored before is skipped (status duplicate).',
        operationId: 'events/create',
        body: EventsBatchBody,
        response: { 200: EventsBatchResponse, ...commonErrors },
      },
    },
    async (request) => {
      const batch = await deps.events.record(viewerOf(request), request.body.events);
      return {
        num_events_received: batch.received,
        num_events_processed: batch.processed,
        events: batch.outcomes.map((status) => ({ status })),
      };
    },
  );
}
