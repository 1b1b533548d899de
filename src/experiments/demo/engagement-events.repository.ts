// Writes engagement events straight into engagement_events, in bulk: for the demo experiments' seeded
// traffic and for test suites that need users to have engaged. Clients send events through the
// events API; this is not a second way in for them.
import type { Queryable } from '../../platform/db/database.js';
import type { EngagementKind } from '../../platform/db/schema.js';

export interface EngagementEventInput {
  userId: string;
  kind: EngagementKind;
  pinId?: string | null;
  surface?: string | null;
  /** Defaults to now. */
  occurredAt?: Date;
}

const BATCH = 1000;

export async function insertEngagementEvents(
  db: Queryable,
  ids: { next(): string },
  events: readonly EngagementEventInput[],
): Promise<void> {
  for (let start = 0; start < events.length; start += BATCH) {
    const rows = events.slice(start, start + BATCH).map((event) => ({
      id: ids.next(),
      user_id: event.userId,
      pin_id: event.pinId ?? null,
      kind: event.kind,
      surface: event.surface ?? null,
      occurred_at: event.occurredAt ?? new Date(),
    }));
    await db.insertInto('engagement_events').values(rows).execute();
  }
}
