// Checks that posted summary sums describe real data before any statistic is computed, so a bad
// request is refused with a reason rather than answered with NaN: at least two units per variation,
// sums of squares no smaller than the sums imply (a variance cannot be negative), proportions within
// [0, n], the same number of variations everywhere, and every field a metric type needs.

export interface VariationSums {
  n: number;
  sum: number;
  sumSquares?: number;
  denominatorSum?: number;
  denominatorSumSquares?: number;
  mainDenominatorSumProduct?: number;
  /** CUPED: the metric (for ratios, the numerator) over the pre-exposure window. */
  covariateSum?: number;
  covariateSumSquares?: number;
  mainCovariateSumProduct?: number;
  /** CUPED for ratio metrics: the denominator's pre-exposure sums and the remaining cross products. */
  denominatorPreSum?: number;
  denominatorPreSumSquares?: number;
  mainPreDenominatorPreSumProduct?: number;
  mainPostDenominatorPreSumProduct?: number;
  mainPreDenominatorPostSumProduct?: number;
  denominatorPostDenominatorPreSumProduct?: number;
}

export type AnalysisInputProblem = 'SAMPLE_TOO_SMALL' | 'NEGATIVE_VARIANCE' | 'MISMATCH' | 'INVALID_WEIGHTS';

export class AnalysisInputError extends Error {
  constructor(
    readonly problem: AnalysisInputProblem,
    message: string,
  ) {
    super(message);
    this.name = 'AnalysisInputError';
  }
}

const RATIO_FIELDS = ['denominatorSum', 'denominatorSumSquares', 'mainDenominatorSumProduct'] as const;
const CUPED_FIELDS = ['covariateSum', 'covariateSumSquares', 'mainCovariateSumProduct'] as const;
const CUPED_RATIO_FIELDS = [
  'denominatorPreSum',
  'denominatorPreSumSquares',
  'mainPreDenominatorPreSumProduct',
  'mainPostDenominatorPreSumProduct',
  'mainPreDenominatorPostSumProduct',
  'denominatorPostDenominatorPreSumProduct',
] as const;

/** snake_case, as clients send the fields. */
function wire(field: string): string {
  return field.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`);
}

function checkVariance(where: string, label: string, n: number, sum: number, sumSquares: number): void {
  const centred = sumSquares - (sum * sum) / n;
  if (centred < -1e-9 * Math.max(Math.abs(sumSquares), 1)) {
    throw new AnalysisInputError(
      'NEGATIVE_VARIANCE',
      `${where}: ${label}_sum_squares (${sumSquares}) is smaller than ${label === 'main' ? '' : `${label}_`}sum²/n, so the variance would be negative.`,
    );
  }
}

function checkProportion(where: string, field: string, n: number, sum: number): void {
  if (sum < 0 || sum > n) {
    throw new AnalysisInputError('NEGATIVE_VARIANCE', `${where}: a proportion's ${field} must lie between 0 and n (${n}).`);
  }
}

type MetricShape = { key: string; type: 'mean' | 'proportion' | 'ratio'; variations: VariationSums[] };

function checkVariation(metric: MetricShape, index: number, v: VariationSums, cuped: boolean): void {
  const where = `metric "${metric.key}", variation ${index}`;
  if (!Number.isInteger(v.n) || v.n < 2) {
    throw new AnalysisInputError('SAMPLE_TOO_SMALL', `${where}: n must be at least 2 (got ${v.n}).`);
  }
  const required: string[] = [];
  if (metric.type !== 'proportion') required.push('sumSquares');
  if (metric.type === 'ratio') required.push(...RATIO_FIELDS);
  if (cuped) {
    required.push(...CUPED_FIELDS.filter((f) => metric.type !== 'proportion' || f !== 'covariateSumSquares'));
    if (metric.type === 'ratio') required.push(...CUPED_RATIO_FIELDS);
  }
  const missing = required.filter((field) => v[field as keyof VariationSums] === undefined);
  if (missing.length > 0) {
    throw new AnalysisInputError('MISMATCH', `${where}: a ${metric.type} metric${cuped ? ' with CUPED' : ''} needs ${missing.map(wire).join(', ')}.`);
  }
  if (metric.type === 'proportion') {
    checkProportion(where, 'sum', v.n, v.sum);
    if (cuped) checkProportion(where, 'covariate_sum', v.n, v.covariateSum!);
  } else {
    checkVariance(where, 'main', v.n, v.sum, v.sumSquares!);
    if (cuped) checkVariance(where, 'covariate', v.n, v.covariateSum!, v.covariateSumSquares!);
  }
  if (metric.type === 'ratio') {
    checkVariance(where, 'denominator', v.n, v.denominatorSum!, v.denominatorSumSquares!);
    if (cuped) checkVariance(where, 'denominator_pre', v.n, v.denominatorPreSum!, v.denominatorPreSumSquares!);
  }
}

/** Throws an AnalysisInputError naming the first problem found. */
export function validateAnalysisInput(
  metrics: MetricShape[],
  options: { srmWeights?: number[]; variationUsers?: number[] },
): void {
  const count = metrics[0]?.variations.length ?? 0;
  if (metrics.length === 0) throw new AnalysisInputError('MISMATCH', 'At least one metric is needed.');
  const keys = new Set<string>();
  for (const metric of metrics) {
    if (keys.has(metric.key)) throw new AnalysisInputError('MISMATCH', `Metric "${metric.key}" appears twice.`);
    keys.add(metric.key);
    if (metric.variations.length < 2) {
      throw new AnalysisInputError('MISMATCH', `Metric "${metric.key}" needs a control and at least one variation.`);
    }
    if (metric.variations.length !== count) {
      throw new AnalysisInputError(
        'MISMATCH',
        `Metric "${metric.key}" has ${metric.variations.length} variations where "${metrics[0]!.key}" has ${count}.`,
      );
    }
    // CUPED is all or nothing across a metric's variations: θ pools them.
    const cuped = metric.variations.some((v) => v.covariateSum !== undefined);
    metric.variations.forEach((v, i) => checkVariation(metric, i, v, cuped));
  }
  for (const [name, values] of [
    ['srm_weights', options.srmWeights],
    ['variation_users', options.variationUsers],
  ] as const) {
    if (values && values.length !== count) {
      throw new AnalysisInputError('MISMATCH', `${name} has ${values.length} entries for ${count} variations.`);
    }
  }
  if (options.srmWeights) {
    if (options.srmWeights.some((w) => !(w >= 0)) || !options.srmWeights.some((w) => w > 0)) {
      throw new AnalysisInputError('INVALID_WEIGHTS', 'srm_weights must be non-negative with at least one positive.');
    }
  }
}
