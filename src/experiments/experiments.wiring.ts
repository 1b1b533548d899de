// The experiment feature's objects, built once by the composition root (src/container.ts).
import type { Logger } from 'pino';
import type { Db } from '../platform/db/database.js';
import type { IdGenerator } from '../platform/ids.js';
import type { Background } from '../platform/background.js';
import { ExperimentRepository } from './experiment.repository.js';
import { ExposureRepository } from './exposure.repository.js';
import { ExperimentCatalog, type CatalogLogger } from './experiment-catalog.js';
import { BatchedExposureLog } from './exposure-log.js';
import { createExposureRecorder, EXPOSURE_CONSUMER } from './exposure-pipeline.js';
import { ExperimentService } from './experiment.service.js';
import { ExperimentAdminService } from './experiment-admin.service.js';
import { ViewerAttributes, type AccountLookup } from './viewer-attributes.js';
import { MetricSummaryRepository } from './metrics/metric-summary.repository.js';
import { ExperimentResultsService } from './experiment-results.service.js';

export interface ExperimentWiringDeps {
  db: Db;
  ids: IdGenerator;
  accounts: AccountLookup & { findById(id: string): Promise<{ account_type: string; is_admin: boolean } | undefined> };
  refreshMs: number;
  /** Runs the reader that turns exposure events into experiment_exposures (worker role). */
  background: Pick<Background, 'addConsumer' | 'addPeriodic' | 'logs'>;
  /** How often the reader polls an idle log, and how long read events are kept. */
  pipeline: { idleMs: number; retentionDays: number };
  logger?: CatalogLogger & Pick<Logger, 'error' | 'warn'>;
}

export function wireExperiments(deps: ExperimentWiringDeps) {
  const repository = new ExperimentRepository(deps.db);
  const exposureRepository = new ExposureRepository(deps.db);
  const catalog = new ExperimentCatalog({ experiments: repository, refreshMs: deps.refreshMs, logger: deps.logger });
  const exposureLog = new BatchedExposureLog(exposureRepository);
  deps.background.addConsumer(createExposureRecorder({ db: deps.db, logs: deps.background.logs, idleMs: deps.pipeline.idleMs, logger: deps.logger }));
  deps.background.addPeriodic('purge-exposure-events', 3600_000, async () => {
    await exposureRepository.purgeEvents(EXPOSURE_CONSUMER, deps.pipeline.retentionDays);
  });
  const experiments = new ExperimentService({
    catalog,
    exposures: exposureLog,
    attributes: new ViewerAttributes(deps.accounts),
    logger: deps.logger,
  });
  const admin = new ExperimentAdminService({
    experiments: repository,
    catalog,
    accounts: deps.accounts,
    ids: deps.ids,
  });
  const summaries = new MetricSummaryRepository(deps.db);
  const results = new ExperimentResultsService({ admin, summaries });
  return {
    repositories: { experiments: repository, exposures: exposureRepository, summaries },
    catalog,
    exposureLog,
    experiments,
    admin,
    results,
    /** Starts polling for changed definitions (every API process). */
    start() {
      catalog.start();
    },
    /** Stops polling and writes pending exposures. */
    async stop() {
      catalog.stop();
      await exposureLog.flush();
    },
  };
}

export type ExperimentParts = ReturnType<typeof wireExperiments>;
