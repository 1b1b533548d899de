// Engagement events: what clients report a person did with pins (saw one in a feed, opened its
// close-up, saved, clicked through, hid it). A batch is checked whole and stored in one statement,
// so it is stored entirely or not at all; an event carrying a client_event_id already stored for
// this person is skipped, which makes resending a batch safe even without an Idempotency-Key.
// Only pins the person may see can be reported: any other id answers 404 like a missing pin, so the
// endpoint tells nothing about secret pins.
import { AppError } from '../platform/errors.js';
import type { IdGenerator } from '../platform/ids.js';
import { isValidId } from '../platform/ids.js';
import type { EngagementKind } from '../platform/db/schema.js';
import type { Viewer } from '../platform/http/viewer.js';
import {
  CLOCK_SKEW_MS,
  ENGAGEMENT_KINDS,
  type EngagementCounts,
  type EngagementEventsRepository,
  type EngagementRecord,
  type NewEngagementEvent,
} from './engagement-events.repository.js';

export const MAX_EVENTS_PER_BATCH = 100;
/** Events older than this are refused: a client holding events for longer has lost track of them. */
export const MAX_EVENT_AGE_DAYS = 30;

export interface EngagementEventInput {
  kind: string;
  pin_id: string;
  surface?: string;
  client_event_id?: string;
  occurred_at?: string;
}

export type EventOutcome = 'processed' | 'duplicate';

export interface RecordedBatch {
  received: number;
  processed: number;
  /** One per event sent, in order. */
  outcomes: EventOutcome[];
}

export interface EngagementEventsDeps {
  events: EngagementEventsRepository;
  ids: IdGenerator;
  now?: () => Date;
}

export class EngagementEventsService {
  constructor(private readonly deps: EngagementEventsDeps) {}

  async record(viewer: Viewer, inputs: readonly EngagementEventInput[]): Promise<RecordedBatch> {
    if (inputs.length > MAX_EVENTS_PER_BATCH) {
      throw new AppError('EVENT_BATCH_TOO_LARGE', `At most ${MAX_EVENTS_PER_BATCH} events per request; got ${inputs.length}.`);
    }
    const now = this.deps.now?.() ?? new Date();
    const parsed = inputs.map((input, index) => this.parse(input, index, now));
    const visible = await this.deps.events.visiblePins(viewer, parsed.map((event) => event.pin_id));
    const hidden = parsed.findIndex((event) => !visible.has(event.pin_id));
    if (hidden >= 0) throw new AppError('PIN_NOT_FOUND', `Pin not found: events[${hidden}].pin_id.`);

    // The same client_event_id twice in one batch: the first one counts.
    const seen = new Set<string>();
    const rows: NewEngagementEvent[] = [];
    const rowOf: Array<NewEngagementEvent | undefined> = parsed.map((event) => {
      if (event.client_event_id !== null) {
        if (seen.has(event.client_event_id)) return undefined;
        seen.add(event.client_event_id);
      }
      const row = { ...event, id: this.deps.ids.next(), user_id: viewer.userId };
      rows.push(row);
      return row;
    });
    const stored = await this.deps.events.insert(rows);
    const outcomes = rowOf.map((row): EventOutcome => (row && stored.has(row.id) ? 'processed' : 'duplicate'));
    return { received: inputs.length, processed: stored.size, outcomes };
  }

  /** The user's newest events of these kinds since `since` (default: the last 30 days), newest first. */
  recentEngagements(
    userId: string,
    options: { kinds?: readonly EngagementKind[]; since?: Date; limit?: number } = {},
  ): Promise<EngagementRecord[]> {
    return this.deps.events.recentEngagements(
      userId,
      options.kinds ?? ['closeup', 'save'],
      options.since ?? daysAgo(MAX_EVENT_AGE_DAYS),
      options.limit ?? 200,
    );
  }

  /** Pins the user was shown (impressions) since `since`, most recently seen first. */
  seenPinIds(userId: string, since: Date, limit = 5000): Promise<string[]> {
    return this.deps.events.pinsWithKind(userId, 'impression', since, limit);
  }

  /** Pins the user hid since `since`, most recently hidden first. */
  hiddenPinIds(userId: string, since: Date = daysAgo(365), limit = 5000): Promise<string[]> {
    return this.deps.events.pinsWithKind(userId, 'hide', since, limit);
  }

  /** Per-user counts of each kind of event that occurred in [since, until) (all users, or these). */
  countsByUser(since: Date, until: Date, userIds?: readonly string[]): Promise<Map<string, EngagementCounts>> {
    return this.deps.events.countsByUser(since, until, userIds);
  }

  /** Per-pin counts of each kind of event since `since`. */
  countsByPin(pinIds: readonly string[], since: Date): Promise<Map<string, EngagementCounts>> {
    return this.deps.events.countsByPin(pinIds, since);
  }

  private parse(input: EngagementEventInput, index: number, now: Date): Omit<NewEngagementEvent, 'id' | 'user_id'> {
    if (!(ENGAGEMENT_KINDS as readonly string[]).includes(input.kind)) {
      throw new AppError('EVENT_KIND_UNKNOWN', `events[${index}].kind must be one of ${ENGAGEMENT_KINDS.join(', ')}.`);
    }
    if (!isValidId(input.pin_id)) throw new AppError('INVALID_ID', `events[${index}].pin_id is not a valid id.`);
    let occurredAt = now;
    if (input.occurred_at !== undefined) {
      occurredAt = new Date(input.occurred_at);
      const tooNew = occurredAt.getTime() > now.getTime() + CLOCK_SKEW_MS;
      const tooOld = occurredAt.getTime() < now.getTime() - MAX_EVENT_AGE_DAYS * 86_400_000;
      if (Number.isNaN(occurredAt.getTime()) || tooNew || tooOld) {
        throw new AppError(
          'EVENT_TIME_INVALID',
          `events[${index}].occurred_at must be a date-time within the last ${MAX_EVENT_AGE_DAYS} days and not in the future.`,
        );
      }
    }
    return {
      kind: input.kind as EngagementKind,
      pin_id: input.pin_id,
      surface: input.surface ?? null,
      client_event_id: input.client_event_id ?? null,
      occurred_at: occurredAt,
    };
  }
}

function daysAgo(days: number): Date {
  return new Date(Date.now() - days * 86_400_000);
}
