// Multiple-comparison corrections across the metrics (and variations) of one analysis, as GrowthBook
// applies them: Holm–Bonferroni controls the family-wise error rate (the chance of any false
// positive), Benjamini–Hochberg the false discovery rate (the expected share of false positives
// among the significant results). Both answer adjusted p-values in the input order, compared to α
// as they are.

export type Correction = 'none' | 'holm' | 'bh';

function orderBy(pValues: readonly number[], direction: 1 | -1): number[] {
  return pValues
    .map((_, index) => index)
    .sort((i, j) => direction * (pValues[i]! - pValues[j]!) || i - j);
}

/** Holm's step-down: the k-th smallest (k from 0) times (m - k), made monotone upward, capped at 1. */
export function holmBonferroni(pValues: readonly number[]): number[] {
  const m = pValues.length;
  const adjusted = new Array<number>(m);
  let running = 0;
  orderBy(pValues, 1).forEach((index, k) => {
    running = Math.max(running, Math.min(1, pValues[index]! * (m - k)));
    adjusted[index] = running;
  });
  return adjusted;
}

/** Benjamini–Hochberg's step-up: p · m / rank, made monotone from the largest down, capped at 1. */
export function benjaminiHochberg(pValues: readonly number[]): number[] {
  const m = pValues.length;
  const adjusted = new Array<number>(m);
  let running = 1;
  orderBy(pValues, -1).forEach((index, k) => {
    const rank = m - k;
    running = Math.min(running, Math.min(1, (pValues[index]! * m) / rank));
    adjusted[index] = running;
  });
  return adjusted;
}

export function adjustPValues(pValues: readonly number[], correction: Correction): number[] {
  if (correction === 'holm') return holmBonferroni(pValues);
  if (correction === 'bh') return benjaminiHochberg(pValues);
  return [...pValues];
}
