// An experiment as Corkboard stores it, and the GrowthBook-shaped experiment the engine (or
// GrowthBook's own SDK) evaluates for it. The translation is the contract that makes a definition
// assign the same users here as in a GrowthBook SDK given `toEngineExperiment`'s output.
import type { Condition, Experiment, Filter } from './engine/types.js';

export type ExperimentStatus = 'draft' | 'running' | 'stopped';

export interface ExperimentVariation {
  key: string;
  name: string;
  /** Any JSON the product surface reads (a number, a flag, an object of settings). */
  value: unknown;
}

export interface ExperimentNamespace {
  name: string;
  start: number;
  end: number;
}

export interface ExperimentHoldout {
  /** Share of users (by hash of the hash attribute) kept out of the experiment, seeing variation 0. */
  share: number | null;
  /** A holdout experiment: users it assigns to its variation 0 are kept out of this one. */
  experimentKey: string | null;
}

export interface ExperimentDefinition {
  id: string;
  key: string;
  name: string;
  description: string;
  status: ExperimentStatus;
  variations: ExperimentVariation[];
  weights: number[];
  coverage: number;
  hashAttribute: string;
  seed: string;
  hashVersion: 1 | 2;
  condition: Condition | null;
  namespace: ExperimentNamespace | null;
  holdout: ExperimentHoldout | null;
  /** User id -> variation index, for QA accounts. */
  forcedVariations: Record<string, number>;
  metrics: string[];
  phaseStartedAt: Date | null;
  stoppedAt: Date | null;
  archivedAt: Date | null;
  version: number;
  createdAt: Date;
  updatedAt: Date;
}

/** The seed of the holdout-share filter: distinct from the assignment seed, so holdout and variation are independent. */
export function holdoutSeed(key: string): string {
  return `holdout:${key}`;
}

/**
 * The definition as a GrowthBook Experiment. A holdout share becomes a GrowthBook filter (users
 * hashing below the share are filtered out); since GrowthBook ignores `namespace` when filters are
 * present, a namespace is then carried as the equivalent filter (seed "__<name>", hash version 1).
 * Forced variations are per user, so they travel in the run context instead (see ExperimentCatalog).
 */
export function toEngineExperiment(definition: ExperimentDefinition): Experiment<unknown> {
  const experiment: Experiment<unknown> = {
    key: definition.key,
    name: definition.name,
    variations: definition.variations.map((variation) => variation.value),
    meta: definition.variations.map((variation) => ({ key: variation.key, name: variation.name })),
    weights: definition.weights,
    coverage: definition.coverage,
    hashAttribute: definition.hashAttribute,
    seed: definition.seed,
    hashVersion: definition.hashVersion,
    status: definition.status,
  };
  if (definition.condition) experiment.condition = definition.condition;
  const namespace = definition.namespace;
  const share = definition.holdout?.share ?? 0;
  if (share > 0) {
    const filters: Filter[] = [{ seed: holdoutSeed(definition.key), ranges: [[share, 1]], hashVersion: 2, attribute: definition.hashAttribute }];
    if (namespace) {
      filters.push({ seed: `__${namespace.name}`, ranges: [[namespace.start, namespace.end]], hashVersion: 1, attribute: definition.hashAttribute });
    }
    experiment.filters = filters;
  } else if (namespace) {
    experiment.namespace = [namespace.name, namespace.start, namespace.end];
  }
  return experiment;
}
