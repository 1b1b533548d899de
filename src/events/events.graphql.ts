// GraphQL's twin of POST /v5/events: recordEvents takes the same batch (camelCase fields), checked by
// the same schema and service, with the same errors (a pin the caller may not see: PIN_NOT_FOUND).
import type { Scope } from '../platform/http/viewer.js';
import { viewerWith, type GraphqlContext } from '../graphql/context.js';
import { validInput } from '../graphql/input.js';
import { entityIdOf } from '../graphql/relay.js';
import type { GraphqlModule } from '../graphql/types.js';
import { EventsBatchBody } from './events.schemas.js';

const SCOPES: Scope[] = ['pins:read'];

const typeDefs = /* GraphQL */ `
  "One engagement event (POST /v5/events's fields in camelCase)."
  input EngagementEventInput {
    "impression, closeup, save, click or hide."
    kind: String!
    "The pin (global id or v5 id); one the caller may see."
    pinId: ID!
    "Where it happened: home_feed, search, board..."
    surface: String
    "Unique per user: an event sent again with the same id is stored once."
    clientEventId: String
    "ISO 8601; defaults to the time of the request."
    occurredAt: String
  }

  "What POST /v5/events answers: how many events were received and stored, and each one's status."
  type EngagementEventsResult {
    received: Int!
    "Events stored by this request."
    processed: Int!
    "processed or duplicate, one per event sent, in order."
    statuses: [String!]!
  }

  extend type Mutation {
    "POST /v5/events (pins:read): a batch of up to 100 engagement events, stored all or none."
    recordEvents(events: [EngagementEventInput!]!): EngagementEventsResult
  }
`;

interface EventArgs {
  kind: string;
  pinId: string;
  surface?: string | null;
  clientEventId?: string | null;
  occurredAt?: string | null;
}

export const eventsGraphql: GraphqlModule = {
  typeDefs,
  resolvers: {
    Mutation: {
      recordEvents: async (_root: unknown, args: { events: EventArgs[] }, context: GraphqlContext) => {
        const viewer = viewerWith(context, SCOPES);
        const body = validInput(EventsBatchBody, {
          events: args.events.map((event) => ({
            kind: event.kind,
            pin_id: entityIdOf(event.pinId, 'Pin'),
            surface: event.surface ?? undefined,
            client_event_id: event.clientEventId ?? undefined,
            occurred_at: event.occurredAt ?? undefined,
          })),
        });
        const batch = await context.services.engagementEvents.record(viewer, body.events);
        return { received: batch.received, processed: batch.processed, statuses: batch.outcomes };
      },
    },
  },
};
