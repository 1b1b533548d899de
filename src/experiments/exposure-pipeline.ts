// Exposures through the background pipeline. The request path (BatchedExposureLog) appends an event
// to experiment_exposure_events and answers once it is committed; this durable log reader, run by
// the worker, turns the events into experiment_exposures rows (the first exposure per user and
// experiment, which the analysis reads). The reader's position is saved in the same transaction as
// the rows it writes, so a crash between the two steps loses nothing (the batch is read again) and a
// batch read twice, or the same exposure logged by several processes, adds nothing twice (the table's
// primary key; the earliest event in log order wins).
import type { Logger } from 'pino';
import type { Db } from '../platform/db/database.js';
import { DurableConsumer } from '../platform/changes/durable-consumer.js';
import type { LogRepository } from '../platform/changes/log.repository.js';
import { ExposureRepository, type ExposureEventRow } from './exposure.repository.js';

export const EXPOSURE_CONSUMER = 'experiment-exposures';

export function createExposureRecorder(deps: { db: Db; logs: LogRepository; idleMs: number; logger?: Pick<Logger, 'error' | 'warn'> }) {
  return new DurableConsumer<ExposureEventRow>(deps.db, deps.logs, {
    name: EXPOSURE_CONSUMER,
    table: 'experiment_exposure_events',
    // Every event ever logged counts: a new reader starts at the beginning of the log.
    startAt: 'start',
    idleMs: deps.idleMs,
    batchSize: 1000,
    logger: deps.logger,
    async handle(rows, tx) {
      await new ExposureRepository(tx).insertFirstExposures(
        rows.map((row) => ({
          experimentId: row.experiment_id,
          userId: row.user_id,
          variationIndex: row.variation_index,
          exposedAt: new Date(row.exposed_at),
        })),
      );
    },
  });
}
