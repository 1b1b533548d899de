// Analyses, results and metric definitions in the REST shape (snake_case), and posted sums in the
// stats engine's shape. Numbers that are not finite (which validated input does not produce) are
// answered as null rather than as invalid JSON.
import type { AnalyzeBody, AnalysisBody, ResultsBody } from './experiment-analysis.schemas.js';
import type { ExperimentResults } from './experiment-results.service.js';
import type { MetricDefinition } from './metrics/metric-catalog.js';
import type { Analysis, AnalysisOptions, Lift, MetricInput, VariationSums } from './stats/analysis.js';

const finite = (value: number | null) => (value !== null && Number.isFinite(value) ? value : null);

function camel(field: string): string {
  return field.replace(/_([a-z])/g, (_, letter: string) => letter.toUpperCase());
}

export function sumsFromWire(variation: AnalyzeBody['metrics'][number]['variations'][number]): VariationSums {
  const sums: Record<string, number> = {};
  for (const [field, value] of Object.entries(variation)) if (value !== undefined) sums[camel(field)] = value;
  return sums as unknown as VariationSums;
}

export function analysisRequestFromWire(body: AnalyzeBody): { metrics: MetricInput[]; options: AnalysisOptions } {
  return {
    metrics: body.metrics.map((metric) => ({ key: metric.key, type: metric.type, variations: metric.variations.map(sumsFromWire) })),
    options: {
      alpha: body.alpha,
      sequential: body.sequential,
      sequentialTuning: body.sequential_tuning,
      correction: body.correction,
      srmWeights: body.srm_weights,
      variationUsers: body.variation_users,
    },
  };
}

function presentLift(lift: Lift | null) {
  if (!lift) return null;
  return {
    estimate: finite(lift.estimate),
    standard_error: finite(lift.standardError),
    ci_low: finite(lift.ciLow),
    ci_high: finite(lift.ciHigh),
    p_value: finite(lift.pValue),
    adjusted_p_value: finite(lift.adjustedPValue),
    significant: lift.significant,
    degrees_of_freedom: finite(lift.degreesOfFreedom),
    error: lift.error,
  };
}

export function presentSrm(srm: Analysis['srm']): AnalysisBody['srm'] {
  return {
    chi_square: srm.chiSquare,
    degrees_of_freedom: srm.degreesOfFreedom,
    p_value: srm.pValue,
    mismatch: srm.mismatch,
    users: srm.users,
    weights: srm.weights,
    threshold: srm.threshold,
  };
}

export function presentAnalysis(analysis: Analysis): AnalysisBody {
  return {
    alpha: analysis.alpha,
    sequential: analysis.sequential,
    correction: analysis.correction,
    srm: presentSrm(analysis.srm),
    metrics: analysis.metrics.map((metric) => ({
      key: metric.key,
      type: metric.type,
      cuped: metric.cuped,
      variations: metric.variations.map((variation) => ({
        index: variation.index,
        n: variation.n,
        mean: finite(variation.mean) ?? 0,
        variance: finite(variation.variance) ?? 0,
        adjusted_mean: finite(variation.adjustedMean),
        theta: finite(variation.theta),
        absolute: presentLift(variation.absolute),
        relative: presentLift(variation.relative),
      })),
    })),
  };
}

export function presentMetric(metric: MetricDefinition) {
  return {
    key: metric.key,
    name: metric.name,
    description: metric.description,
    type: metric.type,
    kind: metric.kind,
    denominator_kind: metric.denominatorKind ?? null,
    higher_is_better: metric.higherIsBetter,
  };
}

export function presentResults(results: ExperimentResults): ResultsBody {
  const { experiment } = results;
  return {
    experiment_key: experiment.key,
    status: experiment.status,
    variations: experiment.variations.map((variation) => ({ key: variation.key, name: variation.name })),
    computed_at: results.computedAt.toISOString(),
    window: {
      start: results.window.start?.toISOString() ?? null,
      end: results.window.end.toISOString(),
      pre_period_days: results.window.prePeriodDays,
    },
    metrics: results.metrics.map(presentMetric),
    users: results.users,
    srm: presentSrm(results.srm),
    analysis: results.analysis ? presentAnalysis(results.analysis) : null,
    note: results.note,
    exposures_over_time: {
      unit: results.exposuresOverTime.unit,
      buckets: results.exposuresOverTime.buckets.map((bucket) => ({ start: bucket.start.toISOString(), counts: bucket.counts })),
    },
  };
}
