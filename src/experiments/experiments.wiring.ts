// The experiment feature's objects, built once by the composition root (src/container.ts).
import type { Db } from '../platform/db/database.js';
import type { IdGenerator } from '../platform/ids.js';
import { ExperimentRepository } from './experiment.repository.js';
import { ExposureRepository } from './exposure.repository.js';
import { ExperimentCatalog, type CatalogLogger } from './experiment-catalog.js';
import { BatchedExposureLog } from './exposure-log.js';
import { ExperimentService } from './experiment.service.js';
import { ExperimentAdminService } from './experiment-admin.service.js';
import { ViewerAttributes, type AccountLookup } from './viewer-attributes.js';
import { MetricSummaryRepository } from './metrics/metric-summary.repository.js';
import { ExperimentResultsService } from './experiment-results.service.js';

export interface ExperimentWiringDeps {
  db: Db;
  ids: IdGenerator;
  accounts: AccountLookup & { findById(id: string): Promise<{ account_type: string; is_admin: boolean } | undefined> };
  adminUsernames: readonly string[];
  refreshMs: number;
  logger?: CatalogLogger;
}

export function wireExperiments(deps: ExperimentWiringDeps) {
  const repository = new ExperimentRepository(deps.db);
  const exposureRepository = new ExposureRepository(deps.db);
  const catalog = new ExperimentCatalog({ experiments: repository, refreshMs: deps.refreshMs, logger: deps.logger });
  const exposureLog = new BatchedExposureLog(exposureRepository);
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
    adminUsernames: deps.adminUsernames,
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
