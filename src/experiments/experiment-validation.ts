// The rules of a well-formed experiment that a JSON schema cannot express. A definition that breaks
// one is refused with INVALID_EXPERIMENT (400) and a message naming the field, before anything is
// written: GrowthBook's SDKs would silently fall back (equal weights, a condition matching nobody),
// and an experiment must assign exactly what its definition says.
import { AppError } from '../platform/errors.js';
import { conditionProblem } from './engine/condition-validation.js';
import type { ExperimentDefinition } from './experiment.model.js';
import { metricByKey } from './metrics/metric-catalog.js';

/** The fields an admin sets; ids, status and timestamps are the service's. */
export type ExperimentSpec = Pick<
  ExperimentDefinition,
  | 'key'
  | 'name'
  | 'description'
  | 'variations'
  | 'weights'
  | 'coverage'
  | 'hashAttribute'
  | 'seed'
  | 'hashVersion'
  | 'condition'
  | 'namespace'
  | 'holdout'
  | 'forcedVariations'
  | 'metrics'
>;

/** Keys that would collide with the API's own paths under /v5/experiments. */
export const RESERVED_EXPERIMENT_KEYS: ReadonlySet<string> = new Set(['evaluate', 'analyze', 'results', 'metrics', 'exposures', 'sdk']);

const WEIGHT_TOLERANCE = 1e-3;
const MAX_VALUE_BYTES = 16 * 1024;
const MAX_CONDITION_BYTES = 16 * 1024;
const MAX_FORCED = 1000;

function invalid(message: string): AppError {
  return new AppError('INVALID_EXPERIMENT', `Invalid experiment: ${message}.`);
}

function jsonBytes(value: unknown): number {
  return Buffer.byteLength(JSON.stringify(value) ?? '', 'utf8');
}

export function validateSpec(spec: ExperimentSpec): void {
  if (RESERVED_EXPERIMENT_KEYS.has(spec.key)) throw invalid(`key "${spec.key}" is reserved`);

  const variationKeys = new Set<string>();
  for (const [index, variation] of spec.variations.entries()) {
    if (variationKeys.has(variation.key)) throw invalid(`variations[${index}].key "${variation.key}" is used twice`);
    variationKeys.add(variation.key);
    if (variation.value === undefined) throw invalid(`variations[${index}].value is required`);
    if (jsonBytes(variation.value) > MAX_VALUE_BYTES) throw invalid(`variations[${index}].value is larger than 16 KiB`);
  }

  if (spec.weights.length !== spec.variations.length) {
    throw invalid(`weights has ${spec.weights.length} entries for ${spec.variations.length} variations`);
  }
  const total = spec.weights.reduce((sum, weight) => sum + weight, 0);
  if (Math.abs(total - 1) > WEIGHT_TOLERANCE) throw invalid(`weights must add up to 1 (they add up to ${Number(total.toFixed(6))})`);

  if (spec.condition) {
    if (jsonBytes(spec.condition) > MAX_CONDITION_BYTES) throw invalid('condition is larger than 16 KiB');
    const problem = conditionProblem(spec.condition);
    if (problem) throw invalid(`condition: ${problem}`);
  }

  if (spec.namespace && !(spec.namespace.start < spec.namespace.end)) {
    throw invalid('namespace.start must be less than namespace.end');
  }

  if (spec.holdout?.experimentKey === spec.key) throw invalid('an experiment cannot be its own holdout');

  const forced = Object.entries(spec.forcedVariations);
  if (forced.length > MAX_FORCED) throw invalid(`forced_variations lists more than ${MAX_FORCED} users`);
  for (const [userId, index] of forced) {
    if (index >= spec.variations.length) throw invalid(`forced_variations["${userId}"] is ${index}, but there are ${spec.variations.length} variations`);
  }

  if (new Set(spec.metrics).size !== spec.metrics.length) throw invalid('metrics lists a metric twice');
  for (const [index, key] of spec.metrics.entries()) {
    if (!metricByKey(key)) throw invalid(`metrics[${index}] "${key}" is not a known metric (GET /v5/experiments/metrics lists them)`);
  }
}
