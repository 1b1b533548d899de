// Where stored timelines live: Redis sorted sets when REDIS_URL is set (redis-timeline-store.ts),
// otherwise tables in the database (database-timeline-store.ts). Both keep one rule that makes
// fan-out safe to skip: a timeline is either complete or absent. Deliveries only reach timelines
// that exist (or are being built), so a person who had none gets a full one rebuilt from the follow
// graph instead of a partial one holding whatever arrived since.
import type { TimelineEntry, TimelineReadOptions } from './timeline.js';

/** A page of a stored timeline. */
export interface StoredPage {
  entries: TimelineEntry[];
  /** The timeline is at its cap, so older entries may have been trimmed away. */
  full: boolean;
}

export interface TimelineStore {
  readonly kind: 'redis' | 'database';
  /** A page of the user's timeline, newest first; undefined when the user has no complete timeline. */
  read(userId: string, options: TimelineReadOptions): Promise<StoredPage | undefined>;
  /** Starts a rebuild: drops what the user had, and lets deliveries from now on reach the new one. */
  beginBuild(userId: string): Promise<void>;
  /** Completes a rebuild with `entries` (merged with deliveries made meanwhile), kept until `expiresAt`. */
  finishBuild(userId: string, entries: readonly TimelineEntry[], expiresAt: Date): Promise<void>;
  /** Adds the entries to each user's timeline that exists; returns how many users received them. */
  deliver(userIds: readonly string[], entries: readonly TimelineEntry[]): Promise<number>;
  /** Removes the pins from the users' timelines (a no-op where absent). */
  remove(userIds: readonly string[], pinIds: readonly string[]): Promise<void>;
  /** Every pin id in the user's timeline (empty when absent). */
  pinIds(userId: string): Promise<string[]>;
  /** Moves the expiry of an existing timeline (the user was active again). */
  keepAlive(userId: string, expiresAt: Date): Promise<void>;
  /** Deletes the user's timeline; the next read rebuilds it. */
  drop(userId: string): Promise<void>;
  /** Housekeeping the worker runs now and then (trimming, expiry); a no-op where the engine does it. */
  maintain(): Promise<void>;
  close(): Promise<void>;
}

/** How long a rebuild may take before deliveries stop counting on it. */
export const BUILD_WINDOW_MS = 60_000;
