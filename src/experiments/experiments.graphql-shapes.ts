// Experiments, assignments, analyses and results in the shape of the GraphQL types (camelCase fields,
// upper-case enums), and GraphQL input turned into the REST bodies the services and schemas take.
import type { Result } from './engine/types.js';
import type { ExperimentDefinition } from './experiment.model.js';
import type { ExperimentResults } from './experiment-results.service.js';
import type { MetricDefinition } from './metrics/metric-catalog.js';
import type { Analysis, Lift } from './stats/analysis.js';
import type { SrmResult } from './stats/srm.js';

const finite = (value: number | null) => (value !== null && Number.isFinite(value) ? value : null);
const iso = (date: Date | null) => (date ? date.toISOString() : null);

/** Input fields whose values are data (attribute names, user ids, any JSON), never renamed. */
const OPAQUE = new Set(['value', 'condition', 'forcedVariations', 'attributes']);

/** camelCase keys to snake_case, recursively, leaving the values of data fields as they are. */
export function snakeKeys(input: unknown, opaque: readonly string[] = []): unknown {
  if (Array.isArray(input)) return input.map((item) => snakeKeys(item, opaque));
  if (input === null || typeof input !== 'object') return input;
  return Object.fromEntries(
    Object.entries(input).map(([key, value]) => [
      key.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`),
      OPAQUE.has(key) || opaque.includes(key) ? value : snakeKeys(value, opaque),
    ]),
  );
}

export function graphqlExperiment(definition: ExperimentDefinition) {
  return {
    definition,
    entityId: definition.id,
    key: definition.key,
    name: definition.name,
    description: definition.description,
    status: definition.status.toUpperCase(),
    variations: definition.variations,
    weights: definition.weights,
    coverage: definition.coverage,
    hashAttribute: definition.hashAttribute,
    seed: definition.seed,
    hashVersion: definition.hashVersion,
    condition: definition.condition,
    namespace: definition.namespace,
    holdout: definition.holdout,
    forcedVariations: definition.forcedVariations,
    metrics: definition.metrics,
    phaseStartedAt: iso(definition.phaseStartedAt),
    stoppedAt: iso(definition.stoppedAt),
    archivedAt: iso(definition.archivedAt),
    version: definition.version,
    createdAt: definition.createdAt.toISOString(),
    updatedAt: definition.updatedAt.toISOString(),
  };
}

export function graphqlAssignment(experimentKey: string, result: Result<unknown>) {
  return {
    experimentKey,
    variationKey: result.key,
    name: result.name ?? null,
    inExperiment: result.inExperiment,
    variationId: result.variationId,
    value: result.value,
    hashUsed: result.hashUsed,
    hashAttribute: result.hashAttribute,
    hashValue: result.hashValue,
    bucket: result.bucket ?? null,
  };
}

export function graphqlMetric(metric: MetricDefinition) {
  return {
    key: metric.key,
    name: metric.name,
    description: metric.description,
    type: metric.type.toUpperCase(),
    kind: metric.kind,
    denominatorKind: metric.denominatorKind ?? null,
    higherIsBetter: metric.higherIsBetter,
  };
}

function graphqlLift(lift: Lift | null) {
  if (!lift) return null;
  return {
    estimate: finite(lift.estimate),
    standardError: finite(lift.standardError),
    ciLow: finite(lift.ciLow),
    ciHigh: finite(lift.ciHigh),
    pValue: finite(lift.pValue),
    adjustedPValue: finite(lift.adjustedPValue),
    significant: lift.significant,
    degreesOfFreedom: finite(lift.degreesOfFreedom),
    error: lift.error,
  };
}

function graphqlSrm(srm: SrmResult & { users: number[]; weights: number[]; threshold: number }) {
  return { ...srm };
}

export function graphqlAnalysis(analysis: Analysis) {
  return {
    alpha: analysis.alpha,
    sequential: analysis.sequential.enabled,
    sequentialTuning: analysis.sequential.tuning,
    correction: analysis.correction.toUpperCase(),
    srm: graphqlSrm(analysis.srm),
    metrics: analysis.metrics.map((metric) => ({
      key: metric.key,
      type: metric.type.toUpperCase(),
      cuped: metric.cuped,
      variations: metric.variations.map((variation) => ({
        index: variation.index,
        n: variation.n,
        mean: finite(variation.mean) ?? 0,
        variance: finite(variation.variance) ?? 0,
        adjustedMean: finite(variation.adjustedMean),
        theta: finite(variation.theta),
        absolute: graphqlLift(variation.absolute),
        relative: graphqlLift(variation.relative),
      })),
    })),
  };
}

export function graphqlResults(results: ExperimentResults) {
  return {
    computedAt: results.computedAt.toISOString(),
    windowStart: iso(results.window.start),
    windowEnd: results.window.end.toISOString(),
    prePeriodDays: results.window.prePeriodDays,
    metrics: results.metrics.map(graphqlMetric),
    users: results.users,
    srm: graphqlSrm(results.srm),
    analysis: results.analysis ? graphqlAnalysis(results.analysis) : null,
    note: results.note,
    exposureUnit: results.exposuresOverTime.unit.toUpperCase(),
    exposuresOverTime: results.exposuresOverTime.buckets.map((bucket) => ({ start: bucket.start.toISOString(), counts: bucket.counts })),
  };
}
