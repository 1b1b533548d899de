// Notes that a person is using Corkboard: every authenticated request counts, written to the
// database at most once every few minutes per person (a process remembers whom it recorded lately,
// and the statement itself refuses a write that is too recent, for several processes). "Active"
// then means: made an authenticated request within FEED_ACTIVE_DAYS.
import type { FastifyInstance } from 'fastify';
import { LRUCache } from 'lru-cache';
import type { Logger } from 'pino';
import type { ActivityRepository } from './activity.repository.js';

/** How often one person's activity is written at most. */
export const ACTIVITY_WRITE_INTERVAL_MS = 5 * 60_000;

export interface ActivityTrackerDeps {
  activity: ActivityRepository;
  /** Called after a write, with the new last-active time (the timeline store extends its expiry). */
  onRecorded?: (userId: string, lastActiveAt: Date) => Promise<void>;
  logger?: Pick<Logger, 'warn'>;
  intervalMs?: number;
}

export class ActivityTracker {
  private readonly recent: LRUCache<string, number>;
  private readonly intervalMs: number;

  constructor(private readonly deps: ActivityTrackerDeps) {
    this.intervalMs = deps.intervalMs ?? ACTIVITY_WRITE_INTERVAL_MS;
    this.recent = new LRUCache({ max: 100_000 });
  }

  /** Records activity unless it was recorded lately; never fails the caller. */
  async seen(userId: string): Promise<void> {
    const now = Date.now();
    const last = this.recent.get(userId);
    if (last !== undefined && now - last < this.intervalMs) return;
    this.recent.set(userId, now);
    try {
      const at = await this.deps.activity.touch(userId, this.intervalMs);
      if (at) await this.deps.onRecorded?.(userId, at);
    } catch (error) {
      // Activity is a hint for fan-out: a failed write must not fail the request. Try again next time.
      this.recent.delete(userId);
      this.deps.logger?.warn({ err: error, userId }, 'could not record activity');
    }
  }

  /** Forgets what this process recorded (tests that move time). */
  forget(): void {
    this.recent.clear();
  }
}

/** Records activity for every request that carries a valid token (after the auth hook ran). */
export function registerActivityTracking(app: FastifyInstance, tracker: ActivityTracker): void {
  app.addHook('onRequest', async (request) => {
    if (request.viewer) await tracker.seen(request.viewer.userId);
  });
}
