// The fan-out jobs, their payloads and retry policy. All are idempotent reconciliations (see
// fanout.service.ts), so at-least-once delivery, retries after a crash and duplicates are harmless.
// A job that keeps failing (Redis gone for longer than its retries) ends in the dead-letter list
// (`npm run cli -- jobs`), from where an operator can retry it.
import type { JobQueue } from '../../platform/jobs/job-queue.js';
import type { BoardPrivacy } from '../../platform/db/schema.js';
import type { FanoutService, PinFanout } from './fanout.service.js';

declare module '../../platform/jobs/job-queue.js' {
  interface JobPayloads {
    /** A pin was created, deleted or moved: reconcile its recipients' timelines (chunked). */
    'feed.fanout.pin': PinFanout;
    /** One chunk of a large fan-out (deliverFirst: an addition of a PUBLIC pin, see reconcilePin). */
    'feed.fanout.deliver': { pinId: string; userIds: string[]; deliverFirst?: boolean };
    /** Someone unfollowed a person or a board. */
    'feed.timeline.refilter': { userId: string };
    /** Someone followed a person or a board. */
    'feed.timeline.backfill': { userId: string; sourceUserId?: string; sourceBoardId?: string };
    /** A board's privacy changed. */
    'feed.board.privacy': { key: string; boardId: string; to: BoardPrivacy };
    /** One chunk of the timelines a board that is no longer PUBLIC leaves. */
    'feed.board.retract': { boardId: string; userIds: string[] };
  }
}

/** Eight runs with a doubling delay from 1 s: about four minutes of an outage are ridden out. */
const RETRY = { attempts: 8, backoffMs: 1000 };

export function defineFanoutJobs(jobs: JobQueue, fanout: FanoutService): void {
  jobs.define({ name: 'feed.fanout.pin', ...RETRY, handle: (plan) => fanout.planPin(plan) });
  jobs.define({ name: 'feed.fanout.deliver', ...RETRY, handle: ({ pinId, userIds, deliverFirst }) => fanout.reconcilePin(pinId, userIds, { deliverFirst }) });
  jobs.define({ name: 'feed.timeline.refilter', ...RETRY, handle: ({ userId }) => fanout.refilter(userId) });
  jobs.define({
    name: 'feed.timeline.backfill',
    ...RETRY,
    handle: ({ userId, sourceUserId, sourceBoardId }) => fanout.backfill(userId, { userId: sourceUserId, boardId: sourceBoardId }),
  });
  jobs.define({ name: 'feed.board.privacy', ...RETRY, handle: ({ key, boardId, to }) => fanout.boardPrivacyChanged(key, boardId, to) });
  jobs.define({ name: 'feed.board.retract', ...RETRY, handle: ({ boardId, userIds }) => fanout.retractBoard(boardId, userIds) });
}
