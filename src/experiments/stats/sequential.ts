// Sequential testing that stays valid under peeking: the asymptotic confidence sequences of
// Waudby-Smith, Arnold, Wu, Howard, Ramdas et al., "Time-uniform central limit theory and asymptotic
// confidence sequences" (arXiv 2103.06476, v7), as gbstats' SequentialTwoSidedTTest uses them. The
// interval holds at every sample size simultaneously with probability 1 - α, so reading the results
// daily and stopping at the first significant day keeps the false-positive rate at or below α. The
// tuning parameter is the total sample size at which the interval is tightest (gbstats' default 5000).
import type { EffectMoments, TestResult } from './frequentist.js';

export const DEFAULT_SEQUENTIAL_TUNING = 5000;

/** ρ of the normal mixture, chosen so the boundary is tightest at n = tuning (eq. 3.5 of the paper). */
export function sequentialRho(alpha: number, tuning: number): number {
  const l = -2 * Math.log(alpha);
  return Math.sqrt((l + Math.log(l + 1)) / tuning);
}

/** Half-width of the two-sided confidence sequence for per-unit variance s² after n units. */
export function sequentialHalfWidth(s2: number, n: number, alpha: number, rho: number): number {
  const nr2 = n * rho * rho;
  return Math.sqrt(s2) * Math.sqrt((2 * (nr2 + 1) * Math.log(Math.sqrt(nr2 + 1) / alpha)) / (n * rho) ** 2);
}

/**
 * Always-valid p-value: 1 / the mixture martingale's value (eq. 155), capped at 1. It falls below α
 * exactly when the confidence sequence excludes zero.
 */
export function sequentialPValue(estimate: number, standardError: number, n: number, rho: number): number {
  const st2 = (estimate * estimate * n) / (standardError * standardError);
  const nr2p1 = n * rho * rho + 1;
  const logE = (rho * rho * st2) / (2 * nr2p1) - 0.5 * Math.log(nr2p1);
  return Math.min(Math.exp(-logE), 1);
}

/**
 * The sequential two-sided test on the moments; n is both variations' units together and the
 * per-unit variance is the lift's variance times n, as gbstats defines them.
 */
export function sequentialTwoSidedTest(
  moments: EffectMoments,
  n: number,
  alpha: number,
  tuning: number = DEFAULT_SEQUENTIAL_TUNING,
): TestResult {
  const rho = sequentialRho(alpha, tuning);
  const { pointEstimate, standardError } = moments;
  const halfWidth = sequentialHalfWidth(standardError * standardError * n, n, alpha, rho);
  return {
    estimate: pointEstimate,
    standardError,
    ci: [pointEstimate - halfWidth, pointEstimate + halfWidth],
    pValue: sequentialPValue(pointEstimate, standardError, n, rho),
  };
}
