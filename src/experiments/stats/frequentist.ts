// The frequentist comparison of one variation with the control, as gbstats' EffectMoments and
// TwoSidedTTest compute it: the lift (absolute B - A, or relative (B - A) / A), its standard error
// (delta method for the relative lift), Welch–Satterthwaite degrees of freedom, a two-sided p-value
// and a confidence interval from Student's t.
import {
  cupedRatioTheta,
  cupedTheta,
  regressionAdjusted,
  regressionAdjustedRatio,
  relativeVarianceCuped,
  relativeVarianceCupedRatio,
  unadjustedRatio,
} from './cuped.js';
import type { CupedRatioStatistic, CupedStatistic } from './cuped.js';
import { varianceOfRatio, type MomentStatistic, type RatioStatistic } from './moments.js';
import { studentTQuantile, studentTTwoSidedPValue } from './distributions.js';

export type VariationStatistic = MomentStatistic | RatioStatistic | CupedStatistic | CupedRatioStatistic;
export type DifferenceType = 'absolute' | 'relative';

/** Why a comparison has no estimate (gbstats answers its default output in these cases). */
export type EffectError = 'ZERO_VARIANCE' | 'BASELINE_MEAN_ZERO';

export interface EffectMoments {
  /** The statistics after CUPED's θ was applied (the inputs when there is no covariate). */
  control: VariationStatistic;
  treatment: VariationStatistic;
  theta: number | null;
  pointEstimate: number;
  standardError: number;
  degreesOfFreedom: number;
  error: EffectError | null;
}

/** Welch–Satterthwaite: (vB/nB + vA/nA)² / ((vB/nB)²/(nB-1) + (vA/nA)²/(nA-1)). */
export function welchDegreesOfFreedom(a: { n: number; variance: number }, b: { n: number; variance: number }): number {
  const sa = a.variance / a.n;
  const sb = b.variance / b.n;
  return (sb + sa) ** 2 / (sb ** 2 / (b.n - 1) + sa ** 2 / (a.n - 1));
}

/** Applies one θ, estimated from both variations, to a CUPED pair; plain statistics pass through. */
export function adjustPair(
  a: VariationStatistic,
  b: VariationStatistic,
): { control: VariationStatistic; treatment: VariationStatistic; theta: number | null } {
  if (a.kind === 'cuped' && b.kind === 'cuped') {
    const theta = cupedTheta(a, b);
    // gbstats reverts to the unadjusted metric when θ is 0 (no variance in a period).
    if (theta === 0) return { control: a.post, treatment: b.post, theta: 0 };
    return {
      control: regressionAdjusted(a.post, a.pre, a.postPreSumOfProducts, theta),
      treatment: regressionAdjusted(b.post, b.pre, b.postPreSumOfProducts, theta),
      theta,
    };
  }
  if (a.kind === 'cuped-ratio' && b.kind === 'cuped-ratio') {
    const theta = cupedRatioTheta(a, b);
    if (Math.abs(theta) < 1e-8) return { control: unadjustedRatio(a), treatment: unadjustedRatio(b), theta: 0 };
    return {
      control: regressionAdjustedRatio(a.parts, theta),
      treatment: regressionAdjustedRatio(b.parts, theta),
      theta,
    };
  }
  if (a.kind.startsWith('cuped') || b.kind.startsWith('cuped')) {
    throw new TypeError('both variations of a comparison need the same kind of statistic');
  }
  return { control: a, treatment: b, theta: null };
}

function lift(a: VariationStatistic, b: VariationStatistic, relative: boolean): number {
  return relative ? (b.mean - a.mean) / a.unadjustedMean : b.mean - a.mean;
}

function liftVariance(a: VariationStatistic, b: VariationStatistic, relative: boolean): number {
  if (!relative) return b.variance / b.n + a.variance / a.n;
  if (a.kind === 'cuped' && b.kind === 'cuped') return relativeVarianceCuped(a, b);
  if (a.kind === 'cuped-ratio' && b.kind === 'cuped-ratio') return relativeVarianceCupedRatio(a, b);
  // Var((B - A) / A) = Var(B / A) by the delta method with independent A and B.
  return varianceOfRatio(b.unadjustedMean, b.variance / b.n, a.unadjustedMean, a.variance / a.n, 0);
}

/** The moments of the lift of `treatment` over `control` (gbstats EffectMoments.compute_result). */
export function effectMoments(
  control: VariationStatistic,
  treatment: VariationStatistic,
  difference: DifferenceType,
): EffectMoments {
  const relative = difference === 'relative';
  const empty = (error: EffectError): EffectMoments => ({
    control,
    treatment,
    theta: null,
    pointEstimate: 0,
    standardError: 0,
    degreesOfFreedom: 0,
    error,
  });
  if (control.variance <= 0 || treatment.variance <= 0) return empty('ZERO_VARIANCE');
  // gbstats refuses a zero baseline for both difference types; only the relative lift divides by it.
  if (relative && (control.mean === 0 || control.unadjustedMean === 0)) return empty('BASELINE_MEAN_ZERO');
  const pair = adjustPair(control, treatment);
  const variance = liftVariance(pair.control, pair.treatment, relative);
  if (!(variance > 0)) return { ...empty('ZERO_VARIANCE'), ...pair };
  return {
    ...pair,
    pointEstimate: lift(pair.control, pair.treatment, relative),
    standardError: Math.sqrt(variance),
    degreesOfFreedom: welchDegreesOfFreedom(pair.control, pair.treatment),
    error: null,
  };
}

export interface TestResult {
  estimate: number;
  standardError: number;
  ci: [number, number];
  pValue: number;
}

/** Welch's two-sided t-test on the moments (gbstats TwoSidedTTest). */
export function twoSidedTTest(moments: EffectMoments, alpha: number): TestResult {
  const { pointEstimate, standardError, degreesOfFreedom } = moments;
  const halfWidth = studentTQuantile(1 - alpha / 2, degreesOfFreedom) * standardError;
  return {
    estimate: pointEstimate,
    standardError,
    ci: [pointEstimate - halfWidth, pointEstimate + halfWidth],
    pValue: studentTTwoSidedPValue(pointEstimate / standardError, degreesOfFreedom),
  };
}
