// CUPED: regression adjustment with a pre-exposure covariate (Deng et al. 2013), as gbstats'
// RegressionAdjustedStatistic and RegressionAdjustedRatioStatistic do it. Each unit's metric Y is
// replaced by Y - θ·X, X being the same metric measured before the unit was exposed. Randomization
// makes X's mean equal across variations in expectation, so the lift is unbiased, and its variance
// falls by the share of Y's variance X explains. θ is estimated once per comparison from both
// variations pooled, as gbstats compute_theta does.
import { covariance, pooled, ratio, type MomentStatistic, type RatioStatistic, type Statistic } from './moments.js';

export interface CupedStatistic extends Statistic {
  readonly kind: 'cuped';
  readonly post: MomentStatistic;
  readonly pre: MomentStatistic;
  readonly postPreSumOfProducts: number;
  readonly theta: number;
  /** Cov(Y, X) per unit. */
  readonly postPreCovariance: number;
}

export function regressionAdjusted(
  post: MomentStatistic,
  pre: MomentStatistic,
  postPreSumOfProducts: number,
  theta = 0,
): CupedStatistic {
  const n = post.n;
  const cov = covariance(n, post, pre, postPreSumOfProducts);
  const variance = n <= 1 ? 0 : post.variance + theta ** 2 * pre.variance - 2 * theta * cov;
  return {
    kind: 'cuped',
    n,
    mean: post.mean - theta * pre.mean,
    variance,
    unadjustedMean: post.mean,
    post,
    pre,
    postPreSumOfProducts,
    theta,
    postPreCovariance: cov,
  };
}

/** θ = Cov(Y, X) / Var(X) over both variations' units pooled (0 when either has no variance). */
export function cupedTheta(a: CupedStatistic, b: CupedStatistic): number {
  const n = a.n + b.n;
  const post = pooled(a.post, b.post);
  const pre = pooled(a.pre, b.pre);
  if (pre.variance === 0 || post.variance === 0) return 0;
  return covariance(n, post, pre, a.postPreSumOfProducts + b.postPreSumOfProducts) / pre.variance;
}

/**
 * Delta-method variance of the relative lift (μB' - μA') / μA, μ' adjusted and μA the control's
 * unadjusted mean (gbstats frequentist_variance_relative_cuped).
 */
export function relativeVarianceCuped(a: CupedStatistic, b: CupedStatistic): number {
  const baseline2 = a.unadjustedMean ** 2;
  const denominatorTreatment = b.n * baseline2;
  const denominatorControl = a.n * baseline2;
  if (denominatorTreatment === 0 || denominatorControl === 0) return 0;
  const theta = a.theta;
  const treatment = b.variance / denominatorTreatment;
  const c = -b.post.mean;
  const control =
    (a.post.variance * c ** 2) / a.post.mean ** 2 +
    (2 * theta * a.postPreCovariance * c) / a.post.mean +
    theta ** 2 * a.pre.variance;
  return treatment + control / denominatorControl;
}

/** The pre-period sums and cross products a CUPED ratio metric needs besides its own. */
export interface CupedRatioParts {
  numeratorPost: MomentStatistic;
  denominatorPost: MomentStatistic;
  numeratorPre: MomentStatistic;
  denominatorPre: MomentStatistic;
  numeratorPostNumeratorPre: number;
  denominatorPostDenominatorPre: number;
  numeratorPreDenominatorPre: number;
  numeratorPostDenominatorPost: number;
  numeratorPostDenominatorPre: number;
  numeratorPreDenominatorPost: number;
}

type Vector4 = [number, number, number, number];
type Matrix4 = [Vector4, Vector4, Vector4, Vector4];

export interface CupedRatioStatistic extends Statistic {
  readonly kind: 'cuped-ratio';
  readonly parts: CupedRatioParts;
  readonly theta: number;
  /** Covariance matrix of (numerator post, denominator post, numerator pre, denominator pre) per unit. */
  readonly lambda: Matrix4;
  /** Gradient of (M/D)post - θ (M/D)pre with respect to those four means. */
  readonly nabla: Vector4;
  readonly numeratorPostMean: number;
  readonly denominatorPostMean: number;
}

function gradient(p: CupedRatioParts, theta: number): Vector4 {
  const [mPost, dPost, mPre, dPre] = [p.numeratorPost.mean, p.denominatorPost.mean, p.numeratorPre.mean, p.denominatorPre.mean];
  // A period without any denominator (no impressions before exposure, typically new users) has no
  // ratio: it contributes nothing, so an empty pre-period leaves the plain ratio rather than no answer.
  const post: [number, number] = dPost === 0 ? [0, 0] : [1 / dPost, -mPost / dPost ** 2];
  const pre: [number, number] = dPre === 0 ? [0, 0] : [-theta / dPre, (theta * mPre) / dPre ** 2];
  return [...post, ...pre];
}

function lambdaMatrix(p: CupedRatioParts): Matrix4 {
  const n = p.numeratorPost.n;
  const mPostDPost = covariance(n, p.numeratorPost, p.denominatorPost, p.numeratorPostDenominatorPost);
  const mPostMPre = covariance(n, p.numeratorPost, p.numeratorPre, p.numeratorPostNumeratorPre);
  const mPostDPre = covariance(n, p.numeratorPost, p.denominatorPre, p.numeratorPostDenominatorPre);
  const dPostMPre = covariance(n, p.denominatorPost, p.numeratorPre, p.numeratorPreDenominatorPost);
  const dPostDPre = covariance(n, p.denominatorPost, p.denominatorPre, p.denominatorPostDenominatorPre);
  const mPreDPre = covariance(n, p.numeratorPre, p.denominatorPre, p.numeratorPreDenominatorPre);
  return [
    [p.numeratorPost.variance, mPostDPost, mPostMPre, mPostDPre],
    [mPostDPost, p.denominatorPost.variance, dPostMPre, dPostDPre],
    [mPostMPre, dPostMPre, p.numeratorPre.variance, mPreDPre],
    [mPostDPre, dPostDPre, mPreDPre, p.denominatorPre.variance],
  ];
}

/** uᵀ M v over the index ranges [rows) of u and [columns) of v. */
function bilinear(u: Vector4, m: Matrix4, v: Vector4, rows: [number, number], columns: [number, number]): number {
  let total = 0;
  for (let i = rows[0]; i < rows[1]; i += 1) {
    for (let j = columns[0]; j < columns[1]; j += 1) total += u[i]! * m[i]![j]! * v[j]!;
  }
  return total;
}

export function regressionAdjustedRatio(parts: CupedRatioParts, theta = 0): CupedRatioStatistic {
  const n = parts.numeratorPost.n;
  const lambda = lambdaMatrix(parts);
  const nabla = gradient(parts, theta);
  const ratioOf = (m: MomentStatistic, d: MomentStatistic) => (d.sum === 0 ? 0 : m.sum / d.sum);
  const post = ratioOf(parts.numeratorPost, parts.denominatorPost);
  const pre = ratioOf(parts.numeratorPre, parts.denominatorPre);
  // ratioOf answers 0 for a period without denominator, so an empty pre-period adjusts nothing.
  const mean = post - theta * pre;
  return {
    kind: 'cuped-ratio',
    n,
    mean,
    variance: bilinear(nabla, lambda, nabla, [0, 4], [0, 4]),
    unadjustedMean: post,
    parts,
    theta,
    lambda,
    nabla,
    numeratorPostMean: parts.numeratorPost.mean,
    denominatorPostMean: parts.denominatorPost.mean,
  };
}

/** The same ratio without its pre-period: what a CUPED ratio falls back to when θ is 0. */
export function unadjustedRatio(statistic: CupedRatioStatistic): RatioStatistic {
  const p = statistic.parts;
  return ratio(p.numeratorPost, p.denominatorPost, p.numeratorPostDenominatorPost);
}

/** θ for a ratio metric (gbstats compute_theta_regression_adjusted_ratio). */
export function cupedRatioTheta(a: CupedRatioStatistic, b: CupedRatioStatistic): number {
  // With θ = 1 the gradient's pre half is -∇(pre ratio), so these give -Cov(post, pre) and Var(pre).
  const parts = (s: CupedRatioStatistic) => {
    const nabla = gradient(s.parts, 1);
    return {
      covariance: bilinear(nabla, s.lambda, nabla, [2, 4], [0, 2]),
      preVariance: bilinear(nabla, s.lambda, nabla, [2, 4], [2, 4]),
    };
  };
  const pa = parts(a);
  const pb = parts(b);
  if (pa.preVariance + pb.preVariance === 0) return 0;
  return -(pa.covariance + pb.covariance) / (pa.preVariance + pb.preVariance);
}

/** Delta-method variance of the relative lift of a CUPED ratio (gbstats frequentist_variance_relative_cuped_ratio). */
export function relativeVarianceCupedRatio(a: CupedRatioStatistic, b: CupedRatioStatistic): number {
  if (a.unadjustedMean === 0 || a.denominatorPostMean === 0) return 0;
  const absolute = b.mean - a.mean;
  const baseline = Math.abs(a.unadjustedMean);
  const dPost = a.denominatorPostMean;
  const mPost = a.numeratorPostMean;
  const nablaA: Vector4 = [
    -(baseline + absolute) / dPost / baseline ** 2,
    ((mPost * baseline) / dPost ** 2 + (mPost * absolute) / dPost ** 2) / baseline ** 2,
    -a.nabla[2] / baseline,
    -a.nabla[3] / baseline,
  ];
  const nablaB = b.nabla.map((value) => value / baseline) as Vector4;
  return (
    bilinear(nablaA, a.lambda, nablaA, [0, 4], [0, 4]) / a.n + bilinear(nablaB, b.lambda, nablaB, [0, 4], [0, 4]) / b.n
  );
}
