// Reads a person's following timeline: the stored one (Redis or the database) when it exists, a
// rebuild from the follow graph when it does not, the database alone while the store is
// unreachable; then the newest pins of followed celebrities (not fanned out) merged in, and, past
// the end of the stored timeline (it keeps only FEED_TIMELINE_MAX entries), older pins from the
// database. See timeline.ts for the contract.
import type { Logger } from 'pino';
import type { Cache } from '../../platform/cache/cache.js';
import type { ActivityRepository } from '../activity/activity.repository.js';
import { ACTIVITY_WRITE_INTERVAL_MS } from '../activity/activity-tracker.js';
import { timelineScore, type FollowingTimeline, type TimelineEntry, type TimelineReadOptions } from './timeline.js';
import type { TimelineMetrics } from './timeline-metrics.js';
import type { FollowedSources, TimelineRepository } from './timeline.repository.js';
import type { StoredPage, TimelineStore } from './timeline-store.js';

export const SOURCES_CACHE = 'feed-sources';
/** A stored timeline ends this long before its owner's activity window does, so clocks may differ a little. */
const EXPIRY_MARGIN_MS = 10 * 60_000;

export interface TimelineSettings {
  activeDays: number;
  celebrityFollowers: number;
  maxItems: number;
}

export interface FollowingTimelineDeps {
  store: TimelineStore;
  timelines: TimelineRepository;
  activity: ActivityRepository;
  settings: TimelineSettings;
  /** Caches each person's followed sources; invalidated when they follow or unfollow. */
  cache?: Cache;
  metrics?: TimelineMetrics;
  logger?: Pick<Logger, 'warn'>;
}

export class FollowingTimelineService implements FollowingTimeline {
  constructor(private readonly deps: FollowingTimelineDeps) {}

  async read(userId: string, { limit, beforeScore }: TimelineReadOptions): Promise<TimelineEntry[]> {
    if (limit <= 0) return [];
    const sources = await this.sources(userId);
    const fannedOut = { users: sources.users, boards: sources.boards };
    let entries: TimelineEntry[];
    let full: boolean;
    try {
      const stored = await this.deps.store.read(userId, { limit, beforeScore });
      this.deps.metrics?.read(stored ? 'store' : 'rebuild');
      ({ entries, full } = stored ?? (await this.rebuild(userId, sources, limit, beforeScore)));
    } catch (error) {
      this.deps.logger?.warn({ err: error, userId }, 'timeline store unreachable; reading the database');
      this.deps.metrics?.read('database_fallback');
      entries = await this.fromDatabase(userId, fannedOut, limit, beforeScore);
      full = false;
    }
    if (entries.length < limit && full) {
      // Past the end of a timeline at its cap: older entries were trimmed away, the database has them.
      const after = entries.length > 0 ? entries[entries.length - 1]!.score : beforeScore;
      entries = merge(entries, await this.fromDatabase(userId, fannedOut, limit - entries.length, after), limit);
    }
    if (sources.celebrityUsers.length > 0 || sources.celebrityBoards.length > 0) {
      const celebrity = await this.fromDatabase(userId, { users: sources.celebrityUsers, boards: sources.celebrityBoards }, limit, beforeScore);
      entries = merge(entries, celebrity, limit);
    }
    return entries;
  }

  /** Forgets the cached sources of these people (they followed or unfollowed someone). */
  async sourcesChanged(userIds: readonly string[]): Promise<void> {
    await this.deps.cache?.invalidate(SOURCES_CACHE, userIds);
  }

  /**
   * Builds and stores the user's timeline from the follow graph; returns the requested page. Opening
   * one's timeline counts as activity, so fan-out keeps the rebuilt timeline complete from now on.
   */
  async rebuild(userId: string, sources: FollowedSources, limit: number, beforeScore?: number): Promise<StoredPage> {
    const { store, timelines, settings } = this.deps;
    const lastActive =
      (await this.deps.activity.touch(userId, ACTIVITY_WRITE_INTERVAL_MS)) ?? (await this.deps.activity.lastActive(userId)) ?? new Date();
    await store.beginBuild(userId);
    const pinIds = await timelines.newestPins(userId, { users: sources.users, boards: sources.boards }, settings.maxItems);
    const entries = pinIds.map((pinId) => ({ pinId, score: timelineScore(pinId) }));
    await store.finishBuild(userId, entries, this.expiryFor(lastActive));
    // A removal that ran between the query and the store missed these entries: check them again.
    const reachable = await timelines.reachablePins(userId, pinIds, settings.celebrityFollowers);
    const gone = pinIds.filter((pinId) => !reachable.has(pinId));
    if (gone.length > 0) await store.remove([userId], gone);
    const page = entries
      .filter((entry) => reachable.has(entry.pinId) && (beforeScore === undefined || entry.score < beforeScore))
      .slice(0, limit);
    return { entries: page, full: pinIds.length >= settings.maxItems };
  }

  /** When a timeline stored for someone last active at `lastActive` must go. */
  expiryFor(lastActive: Date): Date {
    return new Date(lastActive.getTime() + this.deps.settings.activeDays * 86_400_000 - EXPIRY_MARGIN_MS);
  }

  private async fromDatabase(
    userId: string,
    sources: { users: readonly string[]; boards: readonly string[] },
    limit: number,
    beforeScore: number | undefined,
  ): Promise<TimelineEntry[]> {
    const pinIds = await this.deps.timelines.newestPins(userId, sources, limit, beforeScore);
    return pinIds.map((pinId) => ({ pinId, score: timelineScore(pinId) }));
  }

  private async sources(userId: string): Promise<FollowedSources> {
    const load = () => this.deps.timelines.followedSources(userId, this.deps.settings.celebrityFollowers);
    if (!this.deps.cache) return load();
    return (await this.deps.cache.get(SOURCES_CACHE, userId, load)) ?? (await load());
  }
}

/** Both lists as one, newest first, each pin once, at most `limit`. */
function merge(a: readonly TimelineEntry[], b: readonly TimelineEntry[], limit: number): TimelineEntry[] {
  if (b.length === 0) return a.slice(0, limit);
  const byPin = new Map<string, TimelineEntry>();
  for (const entry of [...a, ...b]) byPin.set(entry.pinId, entry);
  return [...byPin.values()].sort((x, y) => y.score - x.score || compareIds(y.pinId, x.pinId)).slice(0, limit);
}

function compareIds(a: string, b: string): number {
  return a.length - b.length || (a < b ? -1 : a > b ? 1 : 0);
}
