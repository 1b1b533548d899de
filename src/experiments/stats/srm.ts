// The sample-ratio-mismatch check: a chi-square goodness-of-fit test of the users each variation
// received against the split the experiment asked for (gbstats check_srm). A mismatch means the
// assignment or the exposure logging is broken, and the lifts cannot be trusted, so results flag it
// below p = 0.001 — strict, because the check runs on every experiment every day.
import { chiSquareSurvival } from './distributions.js';

export const SRM_THRESHOLD = 0.001;

export interface SrmResult {
  chiSquare: number;
  degreesOfFreedom: number;
  pValue: number;
  mismatch: boolean;
}

/**
 * χ² = Σ (observed - expected)² / expected over the variations with a positive weight, with
 * (variations - 1) degrees of freedom; no users at all gives p = 1.
 */
export function sampleRatioMismatch(users: readonly number[], weights: readonly number[], threshold = SRM_THRESHOLD): SrmResult {
  if (users.length !== weights.length) throw new RangeError('one weight per variation');
  const total = users.reduce((sum, value) => sum + value, 0);
  const totalWeight = weights.reduce((sum, value) => sum + value, 0);
  const degreesOfFreedom = users.length - 1;
  if (total === 0 || totalWeight <= 0 || degreesOfFreedom < 1) {
    return { chiSquare: 0, degreesOfFreedom, pValue: 1, mismatch: false };
  }
  let chiSquare = 0;
  users.forEach((observed, i) => {
    const weight = weights[i] ?? 0;
    if (weight <= 0) return;
    const expected = (weight / totalWeight) * total;
    chiSquare += (observed - expected) ** 2 / expected;
  });
  const pValue = chiSquareSurvival(chiSquare, degreesOfFreedom);
  return { chiSquare, degreesOfFreedom, pValue, mismatch: pValue < threshold };
}
