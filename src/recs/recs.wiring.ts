// Wires related pins for the composition root: the repository, the graph (with its walk workers and
// metrics) and the service. The graph is built and followed only in processes that serve the API
// (start()); a worker-only process holds no graph and starts no walk thread.
import type { Logger } from 'pino';
import type { Registry } from 'prom-client';
import type { Config } from '../config.js';
import type { Queryable } from '../platform/db/database.js';
import type { ChangeStream } from '../platform/changes/change-stream.js';
import type { ExperimentService } from '../experiments/experiment.service.js';
import type { PinService } from '../pins/pin.service.js';
import { RecsRepository } from './recs.repository.js';
import { RelatedGraph } from './related-graph.js';
import { PinBoardGraphMetrics } from './related-pins.metrics.js';
import { RelatedPinsService } from './related-pins.service.js';

export interface RelatedPinsWiringDeps {
  db: Queryable;
  settings: Config['relatedPins'];
  pins: PinService;
  experiments: Pick<ExperimentService, 'numberFor'>;
  registry: Registry;
  logger?: Logger;
}

/** A fixed seed for the sampling of popular pins' edges, so a rebuild of the same data gives the same graph. */
const PRUNE_SEED = 0x5eed;

export function wireRelatedPins(deps: RelatedPinsWiringDeps) {
  const { settings } = deps;
  const repository = new RecsRepository(deps.db);
  const metrics = new PinBoardGraphMetrics(deps.registry);
  const graph = new RelatedGraph(repository, {
    prune: { maxBoardPins: settings.maxBoardPins, maxPinDegree: settings.maxPinDegree, seed: PRUNE_SEED },
    workers: settings.workers,
    rebuildMs: settings.rebuildMinutes * 60_000,
    logger: deps.logger,
    metrics,
  });
  const service = new RelatedPinsService({ graph, pins: deps.pins, recs: repository, experiments: deps.experiments, settings });
  return {
    repository,
    graph,
    metrics,
    service,
    /** Builds the graph in the background and follows `changes` (call after the change stream started). */
    start(changes: ChangeStream): void {
      graph.start(changes);
    },
    async stop(): Promise<void> {
      await graph.stop();
    },
  };
}

export type RelatedPinsParts = ReturnType<typeof wireRelatedPins>;
