// Experiment definitions for the assignment benchmark, as an administrator would store them: the
// seeded random experiments of the engine's GrowthBook comparison (2-4 variations, uneven weights,
// partial coverage, targeting conditions, namespaces, holdout shares), turned into Corkboard
// definitions. toEngineExperiment() of each gives back an equivalent GrowthBook experiment.
import { getEqualWeights } from '../src/experiments/engine/hashing.js';
import { randomExperiments } from '../src/experiments/engine/random-experiments-test-support.js';
import type { ExperimentDefinition } from '../src/experiments/experiment.model.js';

export function randomDefinitions(count: number, seed: number): ExperimentDefinition[] {
  const now = new Date();
  return randomExperiments(count, seed).map((experiment, index) => {
    const share = experiment.filters?.[0]?.ranges[0]?.[0] ?? 0;
    const namespace = experiment.namespace;
    return {
      id: String(1_000_000 + index),
      key: experiment.key,
      name: `Benchmark experiment ${index}`,
      description: '',
      status: 'running',
      variations: experiment.variations.map((value, v) => ({ key: experiment.meta?.[v]?.key ?? String(v), name: experiment.meta?.[v]?.name ?? String(v), value })),
      weights: [...(experiment.weights ?? getEqualWeights(experiment.variations.length))],
      coverage: experiment.coverage ?? 1,
      hashAttribute: experiment.hashAttribute ?? 'id',
      seed: experiment.seed ?? experiment.key,
      hashVersion: experiment.hashVersion === 1 ? 1 : 2,
      condition: experiment.condition ?? null,
      namespace: namespace ? { name: namespace[0], start: namespace[1], end: namespace[2] } : null,
      holdout: share > 0 ? { share, experimentKey: null } : null,
      forcedVariations: {},
      metrics: [],
      phaseStartedAt: now,
      stoppedAt: null,
      archivedAt: null,
      version: 1,
      createdAt: now,
      updatedAt: now,
    };
  });
}
