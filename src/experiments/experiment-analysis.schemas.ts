// Request and response shapes of the analysis routes: POST /v5/experiments/analyze (summary sums in,
// analysis out), GET /v5/experiments/{key}/results and GET /v5/experiments/metrics. Field names
// follow gbstats' column names in v5's snake_case (sum_squares, main_denominator_sum_product,
// covariate_sum...), so sums from a GrowthBook data source can be posted as they are.
import { Type, type Static, type TSchema } from 'typebox';

const Nullable = <T extends TSchema>(schema: T) => Type.Union([Type.Null(), schema]);
const Sum = (description: string) => Type.Optional(Type.Number({ description }));

export const VariationSumsInput = Type.Object(
  {
    n: Type.Integer({ minimum: 0, description: 'Units (users) in the variation.' }),
    sum: Type.Number({ description: 'Σx of the metric (for a ratio, of its numerator; for a proportion, the units with a 1).' }),
    sum_squares: Sum('Σx² (means and ratios; a proportion\'s is its sum).'),
    denominator_sum: Sum('Ratio: Σ of the denominator.'),
    denominator_sum_squares: Sum('Ratio: Σ of the denominator squared.'),
    main_denominator_sum_product: Sum('Ratio: Σ numerator × denominator.'),
    covariate_sum: Sum('CUPED: Σ of the metric (a ratio\'s numerator) over the pre-exposure period.'),
    covariate_sum_squares: Sum('CUPED: Σ of its squares.'),
    main_covariate_sum_product: Sum('CUPED: Σ metric × pre-period metric.'),
    denominator_pre_sum: Sum('CUPED ratio: Σ of the pre-period denominator.'),
    denominator_pre_sum_squares: Sum('CUPED ratio: Σ of its squares.'),
    main_pre_denominator_pre_sum_product: Sum('CUPED ratio: Σ pre numerator × pre denominator.'),
    main_post_denominator_pre_sum_product: Sum('CUPED ratio: Σ numerator × pre denominator.'),
    main_pre_denominator_post_sum_product: Sum('CUPED ratio: Σ pre numerator × denominator.'),
    denominator_post_denominator_pre_sum_product: Sum('CUPED ratio: Σ denominator × pre denominator.'),
  },
  { additionalProperties: false },
);

const MetricType = Type.Enum(['mean', 'proportion', 'ratio'], { type: 'string' });
const Correction = Type.Enum(['none', 'holm', 'bh'], {
  type: 'string',
  description: 'Across all metrics and variations: none, holm (Holm–Bonferroni, family-wise error) or bh (Benjamini–Hochberg, false discovery rate).',
});

const analysisOptions = {
  alpha: Type.Optional(Type.Number({ exclusiveMinimum: 0, maximum: 0.5, default: 0.05, description: 'Significance level; intervals are 1 - alpha.' })),
  sequential: Type.Optional(Type.Boolean({ default: false, description: 'Confidence sequences that stay valid when results are read repeatedly.' })),
  sequential_tuning: Type.Optional(
    Type.Integer({ minimum: 1, maximum: 1_000_000_000, default: 5000, description: 'Sequential tests: the total units at which the interval is tightest.' }),
  ),
  correction: Type.Optional(Correction),
};

export const AnalyzeBody = Type.Object(
  {
    metrics: Type.Array(
      Type.Object(
        {
          key: Type.String({ minLength: 1, maxLength: 100 }),
          type: MetricType,
          variations: Type.Array(VariationSumsInput, { minItems: 2, maxItems: 20, description: 'The control (variation 0) first.' }),
        },
        { additionalProperties: false },
      ),
      { minItems: 1, maxItems: 100 },
    ),
    ...analysisOptions,
    srm_weights: Type.Optional(Type.Array(Type.Number({ minimum: 0 }), { maxItems: 20, description: 'The split asked for (default: equal).' })),
    variation_users: Type.Optional(
      Type.Array(Type.Integer({ minimum: 0 }), { maxItems: 20, description: 'Users per variation for the sample-ratio check (default: the first metric\'s n).' }),
    ),
  },
  { additionalProperties: false },
);
export type AnalyzeBody = Static<typeof AnalyzeBody>;

export const ResultsQuery = Type.Object(
  {
    ...analysisOptions,
    pre_period_days: Type.Optional(
      Type.Integer({ minimum: 0, maximum: 90, default: 14, description: 'CUPED: days before each user\'s first exposure used as the covariate; 0 turns CUPED off.' }),
    ),
  },
  { additionalProperties: false },
);
export type ResultsQuery = Static<typeof ResultsQuery>;

const Num = Nullable(Type.Number());

const LiftSchema = Type.Object({
  estimate: Num,
  standard_error: Num,
  ci_low: Num,
  ci_high: Num,
  p_value: Num,
  adjusted_p_value: Nullable(Type.Number({ description: 'After the correction; equal to p_value without one.' })),
  significant: Type.Boolean(),
  degrees_of_freedom: Nullable(Type.Number({ description: 'Welch–Satterthwaite; null for sequential tests.' })),
  error: Nullable(Type.String({ description: 'Why there is no estimate: ZERO_VARIANCE or BASELINE_MEAN_ZERO.' })),
});

const VariationAnalysisSchema = Type.Object({
  index: Type.Integer(),
  n: Type.Integer(),
  mean: Type.Number(),
  variance: Type.Number(),
  adjusted_mean: Nullable(Type.Number({ description: 'CUPED: the mean after regression adjustment.' })),
  theta: Nullable(Type.Number({ description: 'CUPED: the θ of this comparison.' })),
  absolute: Nullable(LiftSchema),
  relative: Nullable(LiftSchema),
});

export const SrmSchema = Type.Object({
  chi_square: Type.Number(),
  degrees_of_freedom: Type.Integer(),
  p_value: Type.Number(),
  mismatch: Type.Boolean({ description: 'p_value below threshold: the split is not what was asked for.' }),
  users: Type.Array(Type.Integer()),
  weights: Type.Array(Type.Number()),
  threshold: Type.Number(),
});

export const AnalysisSchema = Type.Object(
  {
    alpha: Type.Number(),
    sequential: Type.Object({ enabled: Type.Boolean(), tuning: Type.Number() }),
    correction: Type.String(),
    srm: SrmSchema,
    metrics: Type.Array(
      Type.Object({
        key: Type.String(),
        type: Type.String(),
        cuped: Type.Boolean(),
        variations: Type.Array(VariationAnalysisSchema),
      }),
    ),
  },
);
export type AnalysisBody = Static<typeof AnalysisSchema>;

export const MetricDefinitionSchema = Type.Object({
  key: Type.String(),
  name: Type.String(),
  description: Type.String(),
  type: MetricType,
  kind: Type.String({ description: 'The engagement event kind counted (a ratio\'s numerator).' }),
  denominator_kind: Nullable(Type.String()),
  higher_is_better: Type.Boolean(),
});

export const MetricListSchema = Type.Object({ items: Type.Array(MetricDefinitionSchema) });

const DateTime = Type.String({ format: 'date-time' });

export const ResultsSchema = Type.Object({
  experiment_key: Type.String(),
  status: Type.String(),
  variations: Type.Array(Type.Object({ key: Type.String(), name: Type.String() })),
  computed_at: DateTime,
  window: Type.Object({ start: Nullable(DateTime), end: DateTime, pre_period_days: Type.Integer() }),
  metrics: Type.Array(MetricDefinitionSchema),
  users: Type.Array(Type.Integer({ description: 'Exposed users per variation.' })),
  srm: SrmSchema,
  analysis: Nullable(AnalysisSchema),
  note: Nullable(Type.String({ description: 'Why there is no analysis yet.' })),
  exposures_over_time: Type.Object({
    unit: Type.Enum(['hour', 'day'], { type: 'string' }),
    buckets: Type.Array(Type.Object({ start: DateTime, counts: Type.Array(Type.Integer()) })),
  }),
});
export type ResultsBody = Static<typeof ResultsSchema>;
