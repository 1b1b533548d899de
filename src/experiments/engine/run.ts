// Running one experiment for one user, with GrowthBook's semantics and in GrowthBook's order
// (packages/sdk-js/src/core.ts, runExperiment): the same user attributes give the same variation,
// the same inExperiment and the same hashUsed as GrowthBook's SDK.
//
// Not done here, by design (see docs/experiments.md): sticky bucketing (and so fallbackAttribute),
// URL targeting (urlPatterns and the legacy `url` regex), prerequisite features (parentConditions:
// Corkboard has no feature flags), `include` callbacks, context overrides and contextual bandits.
// Tracking is not done here either: the caller decides whether a read is an exposure.
import { evalCondition } from './condition.js';
import { chooseVariation, getBucketRanges, getQueryStringOverride, hash, inNamespace, inRange } from './hashing.js';
import type { Attributes, Experiment, Filter, Result, RunContext } from './types.js';

const NO_ATTRIBUTES: Attributes = {};

/** The attribute an experiment hashes on (default "id") and its value ("" when missing or falsy). */
export function getHashAttribute(attributes: Attributes, attribute: string | undefined): { hashAttribute: string; hashValue: unknown } {
  const hashAttribute = attribute || 'id';
  const value = attributes[hashAttribute];
  return { hashAttribute, hashValue: value ? value : '' };
}

function isFilteredOut(filters: readonly Filter[], attributes: Attributes): boolean {
  return filters.some((filter) => {
    const { hashValue } = getHashAttribute(attributes, filter.attribute);
    if (!hashValue) return true;
    // eslint-disable-next-line @typescript-eslint/no-base-to-string -- GrowthBook stringifies any attribute value this way.
    const n = hash(filter.seed, String(hashValue), filter.hashVersion || 2);
    if (n === null) return true;
    return !filter.ranges.some((range) => inRange(n, range));
  });
}

function hasGroupOverlap(groups: readonly string[], context: RunContext): boolean {
  const known = context.groups || {};
  return groups.some((group) => known[group]);
}

export function getExperimentResult<T>(
  experiment: Experiment<T>,
  attributes: Attributes,
  variationIndex: number,
  hashUsed: boolean,
  bucket?: number,
): Result<T> {
  let variationId = variationIndex;
  let inExperiment = true;
  // An index outside the variations (a bad forced value, or -1) means "not in the experiment".
  if (variationId < 0 || variationId >= experiment.variations.length) {
    variationId = 0;
    inExperiment = false;
  }
  const { hashAttribute, hashValue } = getHashAttribute(attributes, experiment.hashAttribute);
  const meta = experiment.meta ? experiment.meta[variationId] : undefined;
  const result: Result<T> = {
    key: meta?.key || String(variationId),
    featureId: null,
    inExperiment,
    hashUsed,
    variationId,
    value: experiment.variations[variationId] as T,
    hashAttribute,
    hashValue,
    stickyBucketUsed: false,
  };
  if (meta?.name) result.name = meta.name;
  if (bucket !== undefined) result.bucket = bucket;
  if (meta?.passthrough) result.passthrough = meta.passthrough;
  return result;
}

export function runExperiment<T>(experiment: Experiment<T>, context: RunContext = {}): Result<T> {
  const attributes = context.attributes ?? NO_ATTRIBUTES;
  const out = (index: number) => getExperimentResult(experiment, attributes, index, false);
  const key = experiment.key;
  const variationCount = experiment.variations.length;

  // 1-2. Fewer than two variations, or evaluation switched off.
  if (variationCount < 2) return out(-1);
  if (context.enabled === false) return out(-1);

  // 3-4. QA overrides: the URL's query string, then forced variations.
  const fromQuery = getQueryStringOverride(key, context.url || '', variationCount);
  if (fromQuery !== null) return out(fromQuery);
  if (context.forcedVariations && key in context.forcedVariations) return out(context.forcedVariations[key]!);

  // 5. Drafts and inactive experiments assign nobody.
  if (experiment.status === 'draft' || experiment.active === false) return out(-1);

  // 6. Without a hash value there is nothing to bucket on.
  const { hashValue } = getHashAttribute(attributes, experiment.hashAttribute);
  if (!hashValue) return out(-1);
  // eslint-disable-next-line @typescript-eslint/no-base-to-string -- GrowthBook stringifies any attribute value this way.
  const hashText = String(hashValue);

  // 7. Filters (which replace namespaces when present), then the namespace.
  if (experiment.filters) {
    if (isFilteredOut(experiment.filters, attributes)) return out(-1);
  } else if (experiment.namespace && !inNamespace(hashText, experiment.namespace)) {
    return out(-1);
  }

  // 8. Targeting.
  if (experiment.condition && !evalCondition(attributes, experiment.condition, context.savedGroups || {})) return out(-1);
  if (experiment.groups && !hasGroupOverlap(experiment.groups, context)) return out(-1);

  // 9. Hash into a bucket and find the variation whose range holds it.
  const n = hash(experiment.seed || key, hashText, experiment.hashVersion || 1);
  if (n === null) return out(-1);
  const ranges = experiment.ranges || getBucketRanges(variationCount, experiment.coverage === undefined ? 1 : experiment.coverage, experiment.weights);
  const assigned = chooseVariation(n, ranges);

  // 10. Outside every range: excluded by coverage.
  if (assigned < 0) return out(-1);

  // 11. A variation forced on the experiment itself (after coverage, as GrowthBook does).
  if ('force' in experiment) return out(experiment.force === undefined ? -1 : experiment.force);

  // 12. QA mode and stopped experiments assign nobody by hash.
  if (context.qaMode) return out(-1);
  if (experiment.status === 'stopped') return out(-1);

  return getExperimentResult(experiment, attributes, assigned, true, n);
}
