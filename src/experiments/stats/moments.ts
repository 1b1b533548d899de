// Per-variation statistics from summary sums, as GrowthBook's gbstats defines them
// (gbstats/models/statistics.py): SampleMeanStatistic, ProportionStatistic and RatioStatistic. A
// statistic is what a test needs of one variation: its unit count n, the mean it compares, the
// per-unit variance of that mean's estimator, and the mean before any regression adjustment.

/** n, Σx and Σx² of one quantity over the units (users) of a variation. */
export interface Sums {
  n: number;
  sum: number;
  sumSquares: number;
}

export interface Statistic {
  readonly kind: 'mean' | 'proportion' | 'ratio' | 'cuped' | 'cuped-ratio';
  readonly n: number;
  /** The estimate compared between variations (adjusted, for CUPED). */
  readonly mean: number;
  /** Per-unit variance: the variance of the estimate is variance / n. */
  readonly variance: number;
  /** The mean without regression adjustment (relative lifts divide by the control's). */
  readonly unadjustedMean: number;
}

/** A quantity summed per unit: a per-user mean or a 0/1 proportion. */
export interface MomentStatistic extends Statistic {
  readonly kind: 'mean' | 'proportion';
  readonly sum: number;
  readonly sumSquares: number;
}

/** gbstats SampleMeanStatistic: sample variance with n - 1. */
export function sampleMean({ n, sum, sumSquares }: Sums): MomentStatistic {
  const mean = n === 0 ? 0 : sum / n;
  const variance = n <= 1 ? 0 : (sumSquares - (sum * sum) / n) / (n - 1);
  return { kind: 'mean', n, sum, sumSquares, mean, variance, unadjustedMean: mean };
}

/** gbstats ProportionStatistic: p(1 - p) (no n - 1), and Σx² = Σx for 0/1 values. */
export function proportion(n: number, sum: number): MomentStatistic {
  const mean = n === 0 ? 0 : sum / n;
  return { kind: 'proportion', n, sum, sumSquares: sum, mean, variance: mean * (1 - mean), unadjustedMean: mean };
}

/** The same kind of statistic over the union of two groups of units (pooled, for CUPED's theta). */
export function pooled(a: MomentStatistic, b: MomentStatistic): MomentStatistic {
  const n = a.n + b.n;
  return a.kind === 'proportion' && b.kind === 'proportion'
    ? proportion(n, a.sum + b.sum)
    : sampleMean({ n, sum: a.sum + b.sum, sumSquares: a.sumSquares + b.sumSquares });
}

/**
 * Covariance of two quantities measured on the same n units, from Σxy (gbstats compute_covariance):
 * the population form for two proportions, the sample form (n - 1) otherwise.
 */
export function covariance(n: number, a: MomentStatistic, b: MomentStatistic, sumOfProducts: number): number {
  if (n <= 1) return 0;
  if (a.kind === 'proportion' && b.kind === 'proportion') return sumOfProducts / n - (a.sum * b.sum) / (n * n);
  return (sumOfProducts - (a.sum * b.sum) / n) / (n - 1);
}

/**
 * Delta-method variance of M / D for numerator M (mean, variance) and denominator D with covariance
 * cov: Var(M/D) ≈ Var M / μD² + Var D · μM² / μD⁴ - 2 Cov(M, D) · μM / μD³ (gbstats variance_of_ratios).
 */
export function varianceOfRatio(
  meanM: number,
  varianceM: number,
  meanD: number,
  varianceD: number,
  covarianceMD: number,
): number {
  return (
    varianceM / meanD ** 2 + (varianceD * meanM ** 2) / meanD ** 4 - (2 * covarianceMD * meanM) / meanD ** 3
  );
}

export interface RatioStatistic extends Statistic {
  readonly kind: 'ratio';
  readonly numerator: MomentStatistic;
  readonly denominator: MomentStatistic;
  readonly numeratorDenominatorCovariance: number;
}

/**
 * gbstats RatioStatistic: Σ numerator / Σ denominator over the variation's units (e.g. saves per
 * impression), with the per-unit variance of the ratio by the delta method.
 */
export function ratio(numerator: MomentStatistic, denominator: MomentStatistic, sumOfProducts: number): RatioStatistic {
  const n = numerator.n;
  const mean = denominator.sum === 0 ? 0 : numerator.sum / denominator.sum;
  const cov = covariance(n, numerator, denominator, sumOfProducts);
  const variance =
    denominator.mean === 0 || n <= 1
      ? 0
      : varianceOfRatio(numerator.mean, numerator.variance, denominator.mean, denominator.variance, cov);
  return {
    kind: 'ratio',
    n,
    mean,
    variance,
    unadjustedMean: mean,
    numerator,
    denominator,
    numeratorDenominatorCovariance: cov,
  };
}
