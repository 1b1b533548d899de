// Turns graph changes from the change log into fan-out jobs. It runs as a durable log reader in the
// worker: its position advances in the same transaction as the batch, and only when every job of
// the batch was enqueued, so a change whose jobs could not be queued (Redis down) is read again
// later, and a pin acknowledged to its creator always reaches its followers once things settle.
// With the embedded queue the jobs are written in that same transaction. Dedupe keys (the change's
// log id) keep a batch read twice from queueing its jobs twice.
import type { Logger } from 'pino';
import type { Db, Tx } from '../../platform/db/database.js';
import { changeFromRow, type LoggedChange } from '../../platform/changes/change.js';
import { DurableConsumer } from '../../platform/changes/durable-consumer.js';
import type { LogRepository, LogRow } from '../../platform/changes/log.repository.js';
import type { EnqueueOptions, JobName, JobPayloads, JobQueue } from '../../platform/jobs/job-queue.js';

export const FANOUT_CONSUMER = 'feed-fanout';

type ChangeRow = LogRow & { kind: string; payload: Record<string, unknown>; created_at: Date };

interface PlannedJob<N extends JobName = JobName> {
  name: N;
  payload: JobPayloads[N];
}

function job<N extends JobName>(name: N, payload: JobPayloads[N]): PlannedJob {
  return { name, payload };
}

/** The jobs one change needs. */
export function jobsFor(change: LoggedChange): PlannedJob[] {
  const key = `c${change.logId}`;
  switch (change.kind) {
    case 'pin.created':
      return [job('feed.fanout.pin', { key, pinId: change.pinId, authorId: change.ownerId, boardIds: [change.boardId], includeCelebrities: false })];
    case 'pin.deleted':
      return [job('feed.fanout.pin', { key, pinId: change.pinId, authorId: change.ownerId, boardIds: [change.boardId], includeCelebrities: true })];
    case 'pin.moved':
      return [
        job('feed.fanout.pin', {
          key,
          pinId: change.pinId,
          authorId: change.ownerId,
          boardIds: [change.fromBoardId, change.toBoardId],
          includeCelebrities: true,
        }),
      ];
    case 'board.privacy_changed':
      return [job('feed.board.privacy', { key, boardId: change.boardId, to: change.to })];
    case 'user.followed':
      return [job('feed.timeline.backfill', { userId: change.followerId, sourceUserId: change.followeeId })];
    case 'board.followed':
      return [job('feed.timeline.backfill', { userId: change.followerId, sourceBoardId: change.boardId })];
    case 'user.unfollowed':
    case 'board.unfollowed':
      return [job('feed.timeline.refilter', { userId: change.followerId })];
    default:
      // pin.updated changes no timeline; board.deleted arrives as its pins' pin.deleted and its
      // follows' board.unfollowed.
      return [];
  }
}

export function createFanoutRelay(deps: { db: Db; logs: LogRepository; jobs: JobQueue; idleMs: number; logger?: Pick<Logger, 'error' | 'warn'> }) {
  const { jobs } = deps;
  return new DurableConsumer<ChangeRow>(deps.db, deps.logs, {
    name: FANOUT_CONSUMER,
    table: 'change_log',
    startAt: 'tail',
    idleMs: deps.idleMs,
    batchSize: 200,
    logger: deps.logger,
    async handle(rows, tx: Tx) {
      for (const row of rows) {
        const change = changeFromRow(row);
        for (const [index, planned] of jobsFor(change).entries()) {
          const options: EnqueueOptions = { dedupeKey: `feed:c${change.logId}:job:${index}`, ...(jobs.kind === 'database' ? { tx } : {}) };
          await jobs.enqueue(planned.name, planned.payload, options);
        }
      }
    },
  });
}
