// SQL for engagement events (engagement_events, migration 2026-11-22T0500): storing a batch once,
// and the reads other features build on.
//
// Reads, for the home feed and experiments:
// - recentEngagements(userId, kinds, since, limit): the user's newest events of some kinds (such as
//   close-ups and saves, for interests), newest first;
// - pinsWithKind(userId, kind, since, limit): distinct pins the user had an event of one kind for
//   since a time (impressions: "already seen"; hides: "never show again");
// - countsByUser(since, until, userIds?): per-user counts of each kind, for experiment metrics;
// - countsByPin(pinIds, since): per-pin counts of each kind, for ranking by engagement.
// The user-scoped reads use (user_id, created_at); an event's created_at is never before its
// occurred_at by more than the five minutes of clock skew the API allows, so "since T" is
// `created_at >= T - 5 min AND occurred_at >= T`.
import { sql } from 'kysely';
import type { Queryable } from '../platform/db/database.js';
import type { EngagementKind } from '../platform/db/schema.js';
import type { Viewer } from '../platform/http/viewer.js';
import { boardReadableBy } from '../boards/board-visibility.sql.js';

export const ENGAGEMENT_KINDS: readonly EngagementKind[] = ['impression', 'closeup', 'save', 'click', 'hide'];
/** How far ahead of the server's clock a client's occurred_at may be. */
export const CLOCK_SKEW_MS = 5 * 60_000;

export interface NewEngagementEvent {
  id: string;
  user_id: string;
  pin_id: string;
  kind: EngagementKind;
  surface: string | null;
  client_event_id: string | null;
  occurred_at: Date;
}

export interface EngagementRecord {
  pinId: string;
  kind: EngagementKind;
  occurredAt: Date;
}

export type EngagementCounts = Record<EngagementKind, number>;

export function emptyCounts(): EngagementCounts {
  return { impression: 0, closeup: 0, save: 0, click: 0, hide: 0 };
}

export class EngagementEventsRepository {
  constructor(private readonly db: Queryable) {}

  /** Stores the events; one already stored under the same (user, client_event_id) is skipped. Returns the ids stored. */
  async insert(events: readonly NewEngagementEvent[]): Promise<Set<string>> {
    if (events.length === 0) return new Set();
    const rows = await this.db
      .insertInto('engagement_events')
      .values(events.map((event) => ({ ...event })))
      .onConflict((conflict) => conflict.doNothing())
      .returning('id')
      .execute();
    return new Set(rows.map((row) => row.id));
  }

  /** Which of the pins the viewer may see (the board access policy in SQL). */
  async visiblePins(viewer: Viewer, pinIds: readonly string[]): Promise<Set<string>> {
    if (pinIds.length === 0) return new Set();
    const rows = await this.db
      .selectFrom('pins')
      .innerJoin('boards', 'boards.id', 'pins.board_id')
      .select('pins.id')
      .where('pins.id', 'in', [...new Set(pinIds)])
      .where(boardReadableBy(viewer, 'pins', 'boards'))
      .execute();
    return new Set(rows.map((row) => row.id));
  }

  async recentEngagements(userId: string, kinds: readonly EngagementKind[], since: Date, limit: number): Promise<EngagementRecord[]> {
    if (kinds.length === 0 || limit <= 0) return [];
    const rows = await this.db
      .selectFrom('engagement_events')
      .select(['pin_id', 'kind', 'occurred_at'])
      .where('user_id', '=', userId)
      .where('created_at', '>=', new Date(since.getTime() - CLOCK_SKEW_MS))
      .where('occurred_at', '>=', since)
      .where('kind', 'in', [...kinds])
      .where('pin_id', 'is not', null)
      .orderBy('occurred_at', 'desc')
      .limit(limit)
      .execute();
    return rows.map((row) => ({ pinId: row.pin_id!, kind: row.kind, occurredAt: row.occurred_at }));
  }

  async pinsWithKind(userId: string, kind: EngagementKind, since: Date, limit: number): Promise<string[]> {
    const result = await sql<{ pin_id: string }>`
      SELECT pin_id FROM engagement_events
      WHERE user_id = ${userId} AND kind = ${kind} AND pin_id IS NOT NULL
        AND created_at >= ${new Date(since.getTime() - CLOCK_SKEW_MS)} AND occurred_at >= ${since}
      GROUP BY pin_id
      ORDER BY max(occurred_at) DESC
      LIMIT ${limit}
    `.execute(this.db);
    return result.rows.map((row) => row.pin_id);
  }

  async countsByUser(since: Date, until: Date, userIds?: readonly string[]): Promise<Map<string, EngagementCounts>> {
    const result = await sql<{ user_id: string; kind: EngagementKind; n: number }>`
      SELECT user_id, kind, count(*)::int AS n FROM engagement_events
      WHERE occurred_at >= ${since} AND occurred_at < ${until}
        ${userIds ? sql`AND user_id = ANY(${[...userIds]}::bigint[])` : sql``}
      GROUP BY user_id, kind
    `.execute(this.db);
    return group(result.rows.map((row) => ({ key: row.user_id, kind: row.kind, n: row.n })));
  }

  async countsByPin(pinIds: readonly string[], since: Date): Promise<Map<string, EngagementCounts>> {
    if (pinIds.length === 0) return new Map();
    const result = await sql<{ pin_id: string; kind: EngagementKind; n: number }>`
      SELECT pin_id, kind, count(*)::int AS n FROM engagement_events
      WHERE pin_id = ANY(${[...pinIds]}::bigint[]) AND occurred_at >= ${since}
      GROUP BY pin_id, kind
    `.execute(this.db);
    return group(result.rows.map((row) => ({ key: row.pin_id, kind: row.kind, n: row.n })));
  }
}

function group(rows: ReadonlyArray<{ key: string; kind: EngagementKind; n: number }>): Map<string, EngagementCounts> {
  const counts = new Map<string, EngagementCounts>();
  for (const { key, kind, n } of rows) {
    const entry = counts.get(key) ?? emptyCounts();
    entry[kind] = n;
    counts.set(key, entry);
  }
  return counts;
}
