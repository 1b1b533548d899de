// v5-style shapes of POST /v5/events (an extension). Kinds, ids and times are checked by the
// service rather than the schema, so each mistake answers its own stable error code.
import { Type } from 'typebox';

export const EngagementEventBody = Type.Object(
  {
    kind: Type.String({ maxLength: 32, description: 'impression, closeup, save, click or hide.' }),
    pin_id: Type.String({ maxLength: 32, description: 'The pin the event is about.' }),
    surface: Type.Optional(
      Type.String({ minLength: 1, maxLength: 64, pattern: '^[A-Za-z0-9_.:-]+$', description: 'Where it happened, e.g. home_feed, search, board.' }),
    ),
    client_event_id: Type.Optional(
      Type.String({ minLength: 1, maxLength: 128, pattern: '^[\\x21-\\x7e]+$', description: 'Unique per user: an event sent again with the same id is stored once.' }),
    ),
    occurred_at: Type.Optional(Type.String({ maxLength: 64, description: 'ISO 8601 date-time; defaults to the time of the request.' })),
  },
  { additionalProperties: false },
);

export const EventsBatchBody = Type.Object(
  { events: Type.Array(EngagementEventBody, { minItems: 1, description: 'At most 100 events.' }) },
  { additionalProperties: false },
);

export const EventsBatchResponse = Type.Object({
  num_events_received: Type.Integer(),
  num_events_processed: Type.Integer({ description: 'Events stored by this request.' }),
  events: Type.Array(
    Type.Object({
      status: Type.Union([Type.Literal('processed'), Type.Literal('duplicate')], {
        description: 'duplicate: an event with this client_event_id was already stored (or appeared earlier in the batch).',
      }),
    }),
    { description: 'One per event sent, in order.' },
  ),
});
