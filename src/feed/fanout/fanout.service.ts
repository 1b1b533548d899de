// Fan-out on write: the work behind the jobs the change relay enqueues. Every job is a
// reconciliation rather than a blind write - it reads who reaches a pin now, adds it to those
// timelines and removes it from the others - so running a job twice, late, or out of order with
// another leaves the same result (sorted-set adds and removes are idempotent). After adding, a job
// checks once more and takes back what a concurrent unfollow, delete or privacy change made
// unreachable meanwhile: that change's own job may have run between our read and our write.
//
// A new pin (or one whose board became PUBLIC) on a board everyone may read goes the short way:
// its recipients were just read as the people who reach it, so each chunk delivers first and reads
// reachability once, after its write, taking back what no longer reaches (a change committed after
// that read queues its own job, which runs after our write). One query and one Redis round trip
// per chunk instead of a read before and after. A pin that is not PUBLIC when planned is never
// written first; removals (delete, move) read first, as before.
import type { Logger } from 'pino';
import type { JobQueue } from '../../platform/jobs/job-queue.js';
import type { BoardPrivacy } from '../../platform/db/schema.js';
import { readableByEveryone } from '../../boards/board-access.js';
import { timelineScore } from '../timeline/timeline.js';
import type { TimelineMetrics } from '../timeline/timeline-metrics.js';
import type { TimelineRepository } from '../timeline/timeline.repository.js';
import type { TimelineStore } from '../timeline/timeline-store.js';
import type { FanoutRepository } from './fanout.repository.js';

/** How many of a newly followed source's pins are added to the follower's timeline. */
export const BACKFILL_PINS = 50;
/** How many of a board's newest pins are fanned out when it becomes PUBLIC. */
export const PUBLISHED_BOARD_PINS = 100;

export interface FanoutSettings {
  activeDays: number;
  celebrityFollowers: number;
  chunkSize: number;
}

export interface FanoutDeps {
  store: TimelineStore;
  timelines: TimelineRepository;
  fanout: FanoutRepository;
  jobs: JobQueue;
  settings: FanoutSettings;
  metrics?: TimelineMetrics;
  logger?: Pick<Logger, 'info' | 'warn'>;
}

export interface PinFanout {
  /** Identifies this fan-out (the change it comes from), for the dedupe keys of its chunks. */
  key: string;
  pinId: string;
  authorId: string;
  /** The pin's board, or both boards of a move. */
  boardIds: string[];
  /** Removals reach followers of celebrities too (their timelines may hold the pin from before). */
  includeCelebrities: boolean;
}

export class FanoutService {
  constructor(private readonly deps: FanoutDeps) {}

  /** Finds the recipients of a pin change and reconciles their timelines, in chunks. */
  async planPin(plan: PinFanout): Promise<void> {
    const { settings } = this.deps;
    // Additions only (a new pin, a board made PUBLIC): recipients read now reach the pin if it is PUBLIC.
    const deliverFirst = !plan.includeCelebrities && (await this.deps.fanout.pinReadableByEveryone(plan.pinId));
    if (!plan.includeCelebrities && !deliverFirst) return;
    const recipients = await this.deps.fanout.recipients({
      authorId: plan.authorId,
      boardIds: plan.boardIds,
      activeDays: settings.activeDays,
      celebrityFollowers: plan.includeCelebrities ? undefined : settings.celebrityFollowers,
    });
    if (recipients.length <= settings.chunkSize) {
      await this.reconcilePin(plan.pinId, recipients, { deliverFirst });
      return;
    }
    // Queued together (BullMQ pipelines them). A retry of this job queues them again: chunks still
    // pending are not added twice, and one that already ran runs again harmlessly.
    await Promise.all(
      chunk(recipients, settings.chunkSize).map((userIds, index) =>
        this.deps.jobs.enqueue(
          'feed.fanout.deliver',
          { pinId: plan.pinId, userIds, ...(deliverFirst ? { deliverFirst } : {}) },
          { dedupeKey: `feed:${plan.key}:deliver:${index}` },
        ),
      ),
    );
  }

  /**
   * Puts the pin in the timelines of the users who reach it and takes it out of the others'. With
   * `deliverFirst` (the users were found reaching a PUBLIC pin when it was planned), it delivers to
   * all of them and then takes it back from those who no longer reach it.
   */
  async reconcilePin(pinId: string, userIds: readonly string[], options: { deliverFirst?: boolean } = {}): Promise<void> {
    if (userIds.length === 0) return;
    const { store, timelines, settings } = this.deps;
    if (options.deliverFirst) {
      const delivered = await store.deliver(userIds, [{ pinId, score: timelineScore(pinId) }]);
      this.deps.metrics?.deliveries.inc(delivered);
      const still = await timelines.usersReaching(pinId, userIds, settings.celebrityFollowers);
      const lost = userIds.filter((userId) => !still.has(userId));
      if (lost.length > 0) {
        await store.remove(lost, [pinId]);
        this.deps.metrics?.removals.inc(lost.length);
      }
      return;
    }
    const reaching = await timelines.usersReaching(pinId, userIds, settings.celebrityFollowers);
    const add = userIds.filter((userId) => reaching.has(userId));
    const drop = userIds.filter((userId) => !reaching.has(userId));
    if (drop.length > 0) {
      await store.remove(drop, [pinId]);
      this.deps.metrics?.removals.inc(drop.length);
    }
    if (add.length === 0) return;
    const delivered = await store.deliver(add, [{ pinId, score: timelineScore(pinId) }]);
    this.deps.metrics?.deliveries.inc(delivered);
    const still = await timelines.usersReaching(pinId, add, settings.celebrityFollowers);
    const lost = add.filter((userId) => !still.has(userId));
    if (lost.length > 0) await store.remove(lost, [pinId]);
  }

  /** After an unfollow: drops what the user no longer reaches from their timeline. */
  async refilter(userId: string): Promise<void> {
    const { store, timelines, settings } = this.deps;
    const pinIds = await store.pinIds(userId);
    if (pinIds.length === 0) return;
    const reachable = await timelines.reachablePins(userId, pinIds, settings.celebrityFollowers);
    const gone = pinIds.filter((pinId) => !reachable.has(pinId));
    if (gone.length > 0) {
      await store.remove([userId], gone);
      this.deps.metrics?.removals.inc();
    }
  }

  /** After a follow: adds the source's newest pins to the follower's timeline (if they have one). */
  async backfill(userId: string, source: { userId?: string; boardId?: string }): Promise<void> {
    const { store, timelines, settings } = this.deps;
    const candidates = await timelines.newestPins(
      userId,
      { users: source.userId ? [source.userId] : [], boards: source.boardId ? [source.boardId] : [] },
      BACKFILL_PINS,
    );
    const reachable = await timelines.reachablePins(userId, candidates, settings.celebrityFollowers);
    const entries = candidates.filter((pinId) => reachable.has(pinId)).map((pinId) => ({ pinId, score: timelineScore(pinId) }));
    if (entries.length === 0) return;
    const delivered = await store.deliver([userId], entries);
    if (delivered === 0) return;
    this.deps.metrics?.deliveries.inc(entries.length);
    const still = await timelines.reachablePins(userId, entries.map((entry) => entry.pinId), settings.celebrityFollowers);
    const lost = entries.filter((entry) => !still.has(entry.pinId)).map((entry) => entry.pinId);
    if (lost.length > 0) await store.remove([userId], lost);
  }

  /**
   * A board's privacy changed. Becoming PUBLIC: its newest pins are fanned out like new ones.
   * Leaving PUBLIC: its pins leave the timelines of everyone who may hold them (active followers of
   * the board and of everyone who pinned on it), in chunks.
   */
  async boardPrivacyChanged(key: string, boardId: string, to: BoardPrivacy): Promise<void> {
    const { fanout, settings, jobs } = this.deps;
    if (readableByEveryone(to)) {
      for (const { pinId, ownerId } of await fanout.newestOnBoard(boardId, PUBLISHED_BOARD_PINS)) {
        await jobs.enqueue(
          'feed.fanout.pin',
          { key: `${key}:publish:${pinId}`, pinId, authorId: ownerId, boardIds: [boardId], includeCelebrities: false },
          { dedupeKey: `feed:${key}:publish:${pinId}` },
        );
      }
      return;
    }
    const authors = await fanout.authorsOnBoard(boardId);
    const holders = await fanout.activeFollowersOf(authors, [boardId], settings.activeDays);
    for (const [index, userIds] of chunk(holders, settings.chunkSize).entries()) {
      await jobs.enqueue('feed.board.retract', { boardId, userIds }, { dedupeKey: `feed:${key}:retract:${index}` });
    }
  }

  /** Removes the board's pins from these users' timelines, unless everyone may read the board again. */
  async retractBoard(boardId: string, userIds: readonly string[]): Promise<void> {
    const { store, fanout } = this.deps;
    if (await fanout.boardReadableByEveryone(boardId)) return;
    const held = new Set<string>();
    for (const group of chunk(userIds, 50)) {
      for (const pinIds of await Promise.all(group.map((userId) => store.pinIds(userId)))) for (const pinId of pinIds) held.add(pinId);
    }
    const onBoard = await fanout.pinsOnBoard(boardId, [...held]);
    if (onBoard.length === 0) return;
    await store.remove(userIds, onBoard);
    this.deps.metrics?.removals.inc(userIds.length);
  }
}

function chunk<T>(items: readonly T[], size: number): T[][] {
  const chunks: T[][] = [];
  for (let start = 0; start < items.length; start += size) chunks.push(items.slice(start, start + size));
  return chunks;
}
