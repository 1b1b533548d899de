// Request and response shapes of the experiment admin API (/v5/experiments, an extension of v5 in
// its snake_case style) and of POST /v5/experiments/evaluate, whose per-experiment results keep the
// field names of GrowthBook's Result (inExperiment, variationId, value, hashUsed, ...). Shapes and
// bounds are checked here; rules across fields (weights summing to 1, forced indexes in range,
// condition syntax) are checked by experiment-validation.ts.
import { Type, type Static } from 'typebox';
import { PageQuery } from '../platform/http/pagination.js';

export const EXPERIMENT_KEY_PATTERN = '^[a-z0-9][a-z0-9._-]{0,63}$';
const Key = Type.String({ pattern: EXPERIMENT_KEY_PATTERN, description: 'Lowercase letters, digits, ".", "_" and "-"; at most 64.' });
const Fraction = Type.Number({ minimum: 0, maximum: 1 });
const Nullable = <T extends import('typebox').TSchema>(schema: T) => Type.Union([Type.Null(), schema]);

const Status = Type.Enum(['draft', 'running', 'stopped'], { type: 'string' });

const VariationInput = Type.Object(
  {
    key: Key,
    name: Type.Optional(Type.String({ maxLength: 200 })),
    value: Type.Unknown({ description: 'Any JSON the product reads for this variation.' }),
  },
  { additionalProperties: false },
);

const NamespaceInput = Type.Object(
  {
    name: Type.String({ pattern: EXPERIMENT_KEY_PATTERN }),
    start: Fraction,
    end: Fraction,
  },
  { additionalProperties: false },
);

const HoldoutInput = Type.Object(
  {
    share: Type.Optional(Nullable(Type.Number({ minimum: 0, exclusiveMaximum: 1 }))),
    experiment_key: Type.Optional(Nullable(Key)),
  },
  { additionalProperties: false },
);

const ConditionInput = Nullable(Type.Record(Type.String(), Type.Unknown(), { description: 'A GrowthBook targeting condition.' }));
const ForcedVariationsInput = Type.Record(Type.String({ pattern: '^\\d{1,19}$' }), Type.Integer({ minimum: 0, maximum: 19 }), {
  description: 'User id -> variation index: QA accounts that always get that variation (no exposure is logged).',
});
const MetricsInput = Type.Array(Type.String({ pattern: '^[a-z0-9][a-z0-9._:-]{0,99}$' }), { maxItems: 50 });

const editableFields = {
  name: Type.String({ minLength: 1, maxLength: 200, pattern: '\\S' }),
  description: Type.String({ maxLength: 2000 }),
  variations: Type.Array(VariationInput, { minItems: 2, maxItems: 20 }),
  weights: Type.Array(Fraction, { minItems: 2, maxItems: 20 }),
  coverage: Fraction,
  hash_attribute: Type.String({ pattern: '^[A-Za-z_][A-Za-z0-9_.-]{0,63}$' }),
  seed: Type.String({ minLength: 1, maxLength: 200 }),
  hash_version: Type.Union([Type.Literal(1), Type.Literal(2)]),
  condition: ConditionInput,
  namespace: Nullable(NamespaceInput),
  holdout: Nullable(HoldoutInput),
  forced_variations: ForcedVariationsInput,
  metrics: MetricsInput,
};

export const ExperimentCreateBody = Type.Object(
  {
    key: Key,
    name: editableFields.name,
    description: Type.Optional(editableFields.description),
    variations: editableFields.variations,
    weights: Type.Optional(editableFields.weights),
    coverage: Type.Optional(editableFields.coverage),
    hash_attribute: Type.Optional(editableFields.hash_attribute),
    seed: Type.Optional(editableFields.seed),
    hash_version: Type.Optional(editableFields.hash_version),
    condition: Type.Optional(editableFields.condition),
    namespace: Type.Optional(editableFields.namespace),
    holdout: Type.Optional(editableFields.holdout),
    forced_variations: Type.Optional(editableFields.forced_variations),
    metrics: Type.Optional(editableFields.metrics),
  },
  { additionalProperties: false },
);
export type ExperimentCreateBody = Static<typeof ExperimentCreateBody>;

export const ExperimentUpdateBody = Type.Object(
  {
    name: Type.Optional(editableFields.name),
    description: Type.Optional(editableFields.description),
    variations: Type.Optional(editableFields.variations),
    weights: Type.Optional(editableFields.weights),
    coverage: Type.Optional(editableFields.coverage),
    hash_attribute: Type.Optional(editableFields.hash_attribute),
    seed: Type.Optional(editableFields.seed),
    hash_version: Type.Optional(editableFields.hash_version),
    condition: Type.Optional(editableFields.condition),
    namespace: Type.Optional(editableFields.namespace),
    holdout: Type.Optional(editableFields.holdout),
    forced_variations: Type.Optional(editableFields.forced_variations),
    metrics: Type.Optional(editableFields.metrics),
    expected_version: Type.Optional(
      Type.Integer({ minimum: 1, description: 'When given, the update applies only if the experiment is still at this version (else 409).' }),
    ),
  },
  { additionalProperties: false },
);
export type ExperimentUpdateBody = Static<typeof ExperimentUpdateBody>;

export const ExperimentParams = Type.Object({ experiment_key: Type.String({ maxLength: 200 }) });

export const ExperimentListQuery = Type.Object({
  ...PageQuery.properties,
  status: Type.Optional(Status),
  include_archived: Type.Optional(Type.Boolean({ default: false })),
});
export type ExperimentListQuery = Static<typeof ExperimentListQuery>;

const DateTime = Type.String({ format: 'date-time' });

export const ExperimentSchema = Type.Object(
  {
    id: Type.String({ pattern: '^\\d+$' }),
    key: Type.String(),
    name: Type.String(),
    description: Type.String(),
    status: Status,
    variations: Type.Array(Type.Object({ key: Type.String(), name: Type.String(), value: Type.Unknown() })),
    weights: Type.Array(Type.Number()),
    coverage: Type.Number(),
    hash_attribute: Type.String(),
    seed: Type.String(),
    hash_version: Type.Integer(),
    condition: Type.Unknown({ description: 'A GrowthBook targeting condition, or null.' }),
    namespace: Nullable(Type.Object({ name: Type.String(), start: Type.Number(), end: Type.Number() })),
    holdout: Nullable(Type.Object({ share: Nullable(Type.Number()), experiment_key: Nullable(Type.String()) })),
    forced_variations: Type.Unknown({ description: 'User id -> variation index.' }),
    metrics: Type.Array(Type.String()),
    phase_started_at: Nullable(DateTime),
    stopped_at: Nullable(DateTime),
    archived_at: Nullable(DateTime),
    version: Type.Integer(),
    created_at: DateTime,
    updated_at: DateTime,
  },
  { $id: 'Experiment' },
);
export type ExperimentBody = Static<typeof ExperimentSchema>;

export const EvaluateBody = Type.Object(
  {
    attributes: Type.Optional(
      Type.Record(Type.String(), Type.Unknown(), {
        description: "Attributes merged over the ones the server knows of the caller (id, username, account_type).",
      }),
    ),
  },
  { additionalProperties: false },
);
export type EvaluateBody = Static<typeof EvaluateBody>;

export const AssignmentSchema = Type.Object({
  key: Type.String({ description: "The variation's key." }),
  name: Type.Optional(Type.String()),
  inExperiment: Type.Boolean(),
  variationId: Type.Integer(),
  value: Type.Unknown(),
  hashUsed: Type.Boolean(),
  hashAttribute: Type.String(),
  hashValue: Type.Unknown(),
  bucket: Type.Optional(Type.Number()),
  featureId: Nullable(Type.String()),
  stickyBucketUsed: Type.Boolean(),
});

export const EvaluateResponse = Type.Object({
  attributes: Type.Unknown({ description: 'The attributes the experiments were evaluated with.' }),
  experiments: Type.Record(Type.String(), AssignmentSchema, { description: 'Experiment key -> result, for every running experiment.' }),
});

export const SdkPayloadSchema = Type.Object({
  experiments: Type.Array(Type.Unknown({ description: "A GrowthBook SDK Experiment (key, variations, weights, coverage, condition, namespace or filters, hashAttribute, seed, hashVersion, meta, status)." })),
  forced_variations: Type.Record(Type.String(), Type.Integer(), { description: "The caller's forced variations (QA), by experiment key." }),
});
