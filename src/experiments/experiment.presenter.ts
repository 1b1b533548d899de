// Experiment definitions in the REST shape (snake_case, like the rest of v5).
import type { ExperimentDefinition } from './experiment.model.js';
import type { ExperimentBody } from './experiment.schemas.js';

const iso = (date: Date | null) => (date ? date.toISOString() : null);

export function presentExperiment(definition: ExperimentDefinition): ExperimentBody {
  return {
    id: definition.id,
    key: definition.key,
    name: definition.name,
    description: definition.description,
    status: definition.status,
    variations: definition.variations.map((variation) => ({ key: variation.key, name: variation.name, value: variation.value })),
    weights: definition.weights,
    coverage: definition.coverage,
    hash_attribute: definition.hashAttribute,
    seed: definition.seed,
    hash_version: definition.hashVersion,
    condition: definition.condition,
    namespace: definition.namespace,
    holdout: definition.holdout ? { share: definition.holdout.share, experiment_key: definition.holdout.experimentKey } : null,
    forced_variations: definition.forcedVariations,
    metrics: definition.metrics,
    phase_started_at: iso(definition.phaseStartedAt),
    stopped_at: iso(definition.stoppedAt),
    archived_at: iso(definition.archivedAt),
    version: definition.version,
    created_at: definition.createdAt.toISOString(),
    updated_at: definition.updatedAt.toISOString(),
  };
}
