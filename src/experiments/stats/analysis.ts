// A whole experiment analysis from per-variation summary sums: every metric's per-variation
// statistics, each variation's absolute and relative lift over the control (variation 0) with its
// interval and p-value (fixed-horizon or sequential), multiple-comparison corrections across all of
// them, and the sample-ratio check. Pure: the same numbers in give the same analysis out, whether
// they come from Corkboard's own events or from a data scientist's warehouse.
import { adjustPValues, type Correction } from './corrections.js';
import { regressionAdjusted, regressionAdjustedRatio } from './cuped.js';
import { effectMoments, twoSidedTTest, type DifferenceType, type EffectError, type VariationStatistic } from './frequentist.js';
import { proportion, ratio, sampleMean, type MomentStatistic } from './moments.js';
import { DEFAULT_SEQUENTIAL_TUNING, sequentialTwoSidedTest } from './sequential.js';
import { SRM_THRESHOLD, sampleRatioMismatch, type SrmResult } from './srm.js';
import { validateAnalysisInput, type VariationSums } from './validation.js';

export type MetricType = 'mean' | 'proportion' | 'ratio';
export { AnalysisInputError, type VariationSums } from './validation.js';

export interface MetricInput {
  key: string;
  type: MetricType;
  /** One entry per variation, the control first. */
  variations: VariationSums[];
}

export interface AnalysisOptions {
  alpha?: number;
  sequential?: boolean;
  sequentialTuning?: number;
  correction?: Correction;
  /** The split the experiment asked for (default: equal). */
  srmWeights?: number[];
  /** Users exposed per variation for the sample-ratio check (default: the first metric's n). */
  variationUsers?: number[];
}

export interface Lift {
  estimate: number | null;
  standardError: number | null;
  ciLow: number | null;
  ciHigh: number | null;
  pValue: number | null;
  /** The p-value after the correction (equal to pValue without one). */
  adjustedPValue: number | null;
  significant: boolean;
  degreesOfFreedom: number | null;
  error: EffectError | null;
}

export interface VariationAnalysis {
  index: number;
  n: number;
  mean: number;
  variance: number;
  /** For CUPED: the mean after adjustment with this comparison's θ. */
  adjustedMean: number | null;
  theta: number | null;
  absolute: Lift | null;
  relative: Lift | null;
}

export interface MetricAnalysis {
  key: string;
  type: MetricType;
  cuped: boolean;
  variations: VariationAnalysis[];
}

export interface Analysis {
  alpha: number;
  sequential: { enabled: boolean; tuning: number };
  correction: Correction;
  srm: SrmResult & { users: number[]; weights: number[]; threshold: number };
  metrics: MetricAnalysis[];
}

function momentOf(type: MetricType, n: number, sum: number, sumSquares: number): MomentStatistic {
  return type === 'proportion' ? proportion(n, sum) : sampleMean({ n, sum, sumSquares });
}

/** The statistic the engine compares for one variation of a metric. */
export function variationStatistic(type: MetricType, sums: VariationSums): VariationStatistic {
  const main = momentOf(type, sums.n, sums.sum, sums.sumSquares ?? sums.sum);
  if (type !== 'ratio') {
    if (sums.covariateSum === undefined) return main;
    const pre = momentOf(type, sums.n, sums.covariateSum, sums.covariateSumSquares ?? sums.covariateSum);
    return regressionAdjusted(main, pre, sums.mainCovariateSumProduct ?? 0);
  }
  const denominator = sampleMean({ n: sums.n, sum: sums.denominatorSum!, sumSquares: sums.denominatorSumSquares! });
  if (sums.covariateSum === undefined) return ratio(main, denominator, sums.mainDenominatorSumProduct!);
  return regressionAdjustedRatio({
    numeratorPost: main,
    denominatorPost: denominator,
    numeratorPre: sampleMean({ n: sums.n, sum: sums.covariateSum, sumSquares: sums.covariateSumSquares! }),
    denominatorPre: sampleMean({ n: sums.n, sum: sums.denominatorPreSum!, sumSquares: sums.denominatorPreSumSquares! }),
    numeratorPostNumeratorPre: sums.mainCovariateSumProduct!,
    denominatorPostDenominatorPre: sums.denominatorPostDenominatorPreSumProduct!,
    numeratorPreDenominatorPre: sums.mainPreDenominatorPreSumProduct!,
    numeratorPostDenominatorPost: sums.mainDenominatorSumProduct!,
    numeratorPostDenominatorPre: sums.mainPostDenominatorPreSumProduct!,
    numeratorPreDenominatorPost: sums.mainPreDenominatorPostSumProduct!,
  });
}

interface ResolvedOptions {
  alpha: number;
  sequential: boolean;
  tuning: number;
  correction: Correction;
}

function compare(
  control: VariationStatistic,
  treatment: VariationStatistic,
  difference: DifferenceType,
  options: ResolvedOptions,
): { lift: Lift; theta: number | null; adjustedMean: number } {
  const moments = effectMoments(control, treatment, difference);
  if (moments.error) {
    const lift: Lift = {
      estimate: null,
      standardError: null,
      ciLow: null,
      ciHigh: null,
      pValue: null,
      adjustedPValue: null,
      significant: false,
      degreesOfFreedom: null,
      error: moments.error,
    };
    return { lift, theta: moments.theta, adjustedMean: moments.treatment.mean };
  }
  const test = options.sequential
    ? sequentialTwoSidedTest(moments, control.n + treatment.n, options.alpha, options.tuning)
    : twoSidedTTest(moments, options.alpha);
  const lift: Lift = {
    estimate: test.estimate,
    standardError: test.standardError,
    ciLow: test.ci[0],
    ciHigh: test.ci[1],
    pValue: test.pValue,
    adjustedPValue: test.pValue,
    significant: test.pValue < options.alpha,
    degreesOfFreedom: options.sequential ? null : moments.degreesOfFreedom,
    error: null,
  };
  return { lift, theta: moments.theta, adjustedMean: moments.treatment.mean };
}

/** Applies the correction to one family (all absolute lifts, or all relative lifts) in place. */
function correct(lifts: Lift[], correction: Correction, alpha: number): void {
  const tested = lifts.filter((lift) => lift.pValue !== null);
  const adjusted = adjustPValues(
    tested.map((lift) => lift.pValue!),
    correction,
  );
  tested.forEach((lift, i) => {
    lift.adjustedPValue = adjusted[i]!;
    lift.significant = adjusted[i]! < alpha;
  });
}

function analyzeMetric(metric: MetricInput, options: ResolvedOptions): MetricAnalysis {
  const statistics = metric.variations.map((sums) => variationStatistic(metric.type, sums));
  const control = statistics[0]!;
  const variations = statistics.map((statistic, index): VariationAnalysis => {
    const base = {
      index,
      n: statistic.n,
      mean: statistic.unadjustedMean,
      variance: statistic.kind === 'cuped' ? statistic.post.variance : statistic.variance,
    };
    if (index === 0) return { ...base, adjustedMean: null, theta: null, absolute: null, relative: null };
    const absolute = compare(control, statistic, 'absolute', options);
    const relative = compare(control, statistic, 'relative', options);
    const cuped = absolute.theta !== null;
    return {
      ...base,
      adjustedMean: cuped ? absolute.adjustedMean : null,
      theta: absolute.theta,
      absolute: absolute.lift,
      relative: relative.lift,
    };
  });
  if (statistics.some((s) => s.kind === 'cuped-ratio')) {
    // A ratio's per-unit variance without the adjustment, for display next to its mean.
    variations.forEach((v, i) => {
      const s = statistics[i]!;
      if (s.kind === 'cuped-ratio') v.variance = regressionAdjustedRatio(s.parts, 0).variance;
    });
  }
  return { key: metric.key, type: metric.type, cuped: statistics[0]!.kind.startsWith('cuped'), variations };
}

export function analyzeExperiment(metrics: MetricInput[], options: AnalysisOptions = {}): Analysis {
  const resolved: ResolvedOptions = {
    alpha: options.alpha ?? 0.05,
    sequential: options.sequential ?? false,
    tuning: options.sequentialTuning ?? DEFAULT_SEQUENTIAL_TUNING,
    correction: options.correction ?? 'none',
  };
  validateAnalysisInput(metrics, options);
  const analyses = metrics.map((metric) => analyzeMetric(metric, resolved));

  if (resolved.correction !== 'none') {
    for (const difference of ['absolute', 'relative'] as const) {
      const family = analyses.flatMap((m) => m.variations.flatMap((v) => (v[difference] ? [v[difference]] : [])));
      correct(family, resolved.correction, resolved.alpha);
    }
  }

  const variationCount = metrics[0]?.variations.length ?? 0;
  const users = options.variationUsers ?? metrics[0]?.variations.map((v) => v.n) ?? [];
  const weights = options.srmWeights ?? new Array<number>(variationCount).fill(1 / Math.max(variationCount, 1));
  const srm = sampleRatioMismatch(users, weights);
  return {
    alpha: resolved.alpha,
    sequential: { enabled: resolved.sequential, tuning: resolved.tuning },
    correction: resolved.correction,
    srm: { ...srm, users, weights, threshold: SRM_THRESHOLD },
    metrics: analyses,
  };
}
