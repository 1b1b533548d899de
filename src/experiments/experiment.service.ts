// Assignment for product code and clients: which variation of each running experiment a user gets.
//
// - evaluateAll / peek: "get group": pure reads, no side effect (POST /v5/experiments/evaluate).
// - variationFor / numberFor: "activate": the same answer, and the user's first exposure to the
//   experiment is logged (deduplicated per user and experiment) before it resolves.
//
// Results are GrowthBook Results. Users outside an experiment (not targeted, outside coverage or
// the namespace slice, held out) get variation 0's value with inExperiment false and log nothing;
// QA accounts with a forced variation get it with hashUsed false and log nothing either.
import { AppError } from '../platform/errors.js';
import { getExperimentResult, runExperiment } from './engine/run.js';
import type { Attributes, Experiment, Result, RunContext } from './engine/types.js';
import type { CatalogSnapshot, CompiledExperiment, ExperimentCatalog } from './experiment-catalog.js';
import type { Exposure, ExposureLog } from './exposure-log.js';
import type { ExperimentViewer, ViewerAttributes } from './viewer-attributes.js';

export type { ExperimentViewer } from './viewer-attributes.js';

export interface ExperimentServiceDeps {
  catalog: Pick<ExperimentCatalog, 'current'>;
  exposures: ExposureLog;
  attributes: Pick<ViewerAttributes, 'of'>;
  logger?: { warn(object: object, message: string): void };
}

export interface SdkPayload {
  experiments: Array<Experiment<unknown> & { holdoutExperimentKey?: string }>;
  forcedVariations: Record<string, number>;
}

export interface Evaluation {
  attributes: Attributes;
  experiments: Record<string, Result<unknown>>;
}

const MAX_ATTRIBUTE_BYTES = 8 * 1024;

interface Assigned {
  result: Result<unknown>;
  exposures: Exposure[];
}

export class ExperimentService {
  constructor(private readonly deps: ExperimentServiceDeps) {}

  /** Every running experiment's result for the viewer; logs nothing. */
  async evaluateAll(viewer: ExperimentViewer, attributes?: Attributes): Promise<Evaluation> {
    checkAttributes(attributes);
    const [snapshot, merged] = await Promise.all([this.deps.catalog.current(), this.deps.attributes.of(viewer, attributes)]);
    const experiments: Record<string, Result<unknown>> = {};
    for (const compiled of snapshot.list) {
      experiments[compiled.definition.key] = assign(compiled, snapshot, viewer.userId, merged).result;
    }
    return { attributes: merged, experiments };
  }

  /**
   * The running experiments as GrowthBook SDK experiments, for a client that evaluates them with
   * GrowthBook's own SDK, and the viewer's own forced variations (QA) for the SDK's context. An
   * experiment with a holdout experiment carries its key as `holdoutExperimentKey` (GrowthBook has no
   * such field and ignores it): run that one first, and keep the user out on its variation 0.
   */
  async sdkPayload(viewer: ExperimentViewer): Promise<SdkPayload> {
    const snapshot = await this.deps.catalog.current();
    return {
      experiments: snapshot.list.map(({ definition, engine }) =>
        definition.holdout?.experimentKey ? { ...engine, holdoutExperimentKey: definition.holdout.experimentKey } : engine,
      ),
      forcedVariations: { ...(snapshot.forcedByUser.get(viewer.userId) ?? {}) },
    };
  }

  /** One experiment's result for the viewer without logging an exposure; null when it is not running. */
  async peek(viewer: ExperimentViewer, experimentKey: string, attributes?: Attributes): Promise<Result<unknown> | null> {
    return (await this.assignOne(viewer, experimentKey, attributes))?.result ?? null;
  }

  /**
   * One experiment's result for the viewer, logging the exposure when the user is in it; null when
   * the experiment is not running. An exposure that cannot be stored is logged as a warning and
   * retried on the next read; the product still gets its variation.
   */
  async variationFor(viewer: ExperimentViewer, experimentKey: string, attributes?: Attributes): Promise<Result<unknown> | null> {
    const assigned = await this.assignOne(viewer, experimentKey, attributes);
    if (!assigned) return null;
    if (assigned.exposures.length > 0) {
      try {
        await Promise.all(assigned.exposures.map((exposure) => this.deps.exposures.record(exposure)));
      } catch (error) {
        this.deps.logger?.warn({ err: error, experimentKey }, 'experiments: exposure not stored');
      }
    }
    return assigned.result;
  }

  /**
   * The numeric value of the viewer's variation (logging the exposure): `fallback` when the
   * experiment is not running or the value is not a number. Users outside the experiment get
   * variation 0's value, as with GrowthBook, so give variation 0 the current behaviour's value.
   */
  async numberFor(viewer: ExperimentViewer, experimentKey: string, fallback: number, attributes?: Attributes): Promise<number> {
    const result = await this.variationFor(viewer, experimentKey, attributes);
    return typeof result?.value === 'number' && Number.isFinite(result.value) ? result.value : fallback;
  }

  private async assignOne(viewer: ExperimentViewer, experimentKey: string, attributes?: Attributes): Promise<Assigned | null> {
    checkAttributes(attributes);
    const snapshot = await this.deps.catalog.current();
    const compiled = snapshot.byKey.get(experimentKey);
    if (!compiled) return null;
    return assign(compiled, snapshot, viewer.userId, await this.deps.attributes.of(viewer, attributes));
  }
}

function checkAttributes(attributes: Attributes | undefined): void {
  if (attributes && Buffer.byteLength(JSON.stringify(attributes), 'utf8') > MAX_ATTRIBUTE_BYTES) {
    throw new AppError('INVALID_PARAMETERS', 'Invalid parameters: attributes are larger than 8 KiB.');
  }
}

function exposureOf(compiled: CompiledExperiment, userId: string, result: Result<unknown>): Exposure[] {
  // Only a hash assignment is an exposure: forced (QA) and excluded users are not part of the test.
  return result.inExperiment && result.hashUsed ? [{ experimentId: compiled.definition.id, userId, variationIndex: result.variationId }] : [];
}

/**
 * Runs one experiment for one user. A holdout experiment named by the definition runs first (when it
 * is running): users it assigns to its variation 0 are kept out of this one, and their exposure is
 * the holdout experiment's.
 */
export function assign(compiled: CompiledExperiment, snapshot: CatalogSnapshot, userId: string, attributes: Attributes): Assigned {
  const forced = snapshot.forcedByUser.get(userId);
  const context: RunContext = forced ? { attributes, forcedVariations: forced } : { attributes };
  const exposures: Exposure[] = [];
  const holdoutKey = compiled.definition.holdout?.experimentKey;
  const holdout = holdoutKey ? snapshot.byKey.get(holdoutKey) : undefined;
  if (holdout && !(forced && compiled.definition.key in forced)) {
    const held = runExperiment(holdout.engine, context);
    exposures.push(...exposureOf(holdout, userId, held));
    if (held.inExperiment && held.variationId === 0) {
      return { result: getExperimentResult(compiled.engine, attributes, -1, false), exposures };
    }
  }
  const result = runExperiment(compiled.engine, context);
  exposures.push(...exposureOf(compiled, userId, result));
  return { result, exposures };
}
