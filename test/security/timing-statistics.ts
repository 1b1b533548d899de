// Whether an attacker could tell two kinds of answers apart by their timing. Two measures, both
// rank-based so a few stalls of a shared machine do not decide the outcome:
// - the Mann-Whitney U test: is one group systematically slower than the other?
// - the best accuracy of a threshold classifier at the pooled median: what an attacker guessing
//   "slower than usual, so it is kind A" would score (0.5 is a coin toss; the timing leak this guards
//   against classified 19 of 20 ids).
// Measurements must be interleaved (round-robin, shuffled each round), so load drift hits every group.

export type TimedGroup = number[];

export interface TimingComparison {
  /** Normal approximation of the U statistic (with ties), 0 when the groups rank alike. */
  z: number;
  /** Best accuracy of classifying a sample by comparing it with the pooled median. */
  accuracy: number;
  medians: [number, number];
  distinguishable: boolean;
  summary: string;
}

/** |z| above this is a difference (p below 6e-7, two-sided), far beyond chance across many runs. */
const MAX_Z = 5;
/** A classifier beyond this share of right guesses would be a usable leak. */
const MAX_ACCURACY = 0.62;

function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? (sorted[middle] as number) : ((sorted[middle - 1] as number) + (sorted[middle] as number)) / 2;
}

function mannWhitneyZ(a: readonly number[], b: readonly number[]): number {
  const pooled = [...a.map((value) => ({ value, fromA: true })), ...b.map((value) => ({ value, fromA: false }))].sort(
    (x, y) => x.value - y.value,
  );
  let rankSumA = 0;
  let tieTerm = 0;
  for (let i = 0; i < pooled.length; ) {
    let j = i;
    while (j + 1 < pooled.length && pooled[j + 1]!.value === pooled[i]!.value) j += 1;
    const rank = (i + j) / 2 + 1;
    const ties = j - i + 1;
    tieTerm += ties ** 3 - ties;
    for (let k = i; k <= j; k += 1) if (pooled[k]!.fromA) rankSumA += rank;
    i = j + 1;
  }
  const [n1, n2] = [a.length, b.length];
  const n = n1 + n2;
  const u = rankSumA - (n1 * (n1 + 1)) / 2;
  const mean = (n1 * n2) / 2;
  const variance = ((n1 * n2) / 12) * (n + 1 - tieTerm / (n * (n - 1)));
  return variance > 0 ? (u - mean) / Math.sqrt(variance) : 0;
}

export function compareTimings(a: TimedGroup, b: TimedGroup): TimingComparison {
  if (a.length < 30 || b.length < 30) throw new Error('too few samples to compare timings');
  const threshold = median([...a, ...b]);
  const aAbove = a.filter((value) => value > threshold).length;
  const bAbove = b.filter((value) => value > threshold).length;
  const correct = (aAbove + (b.length - bAbove)) / (a.length + b.length);
  const accuracy = Math.max(correct, 1 - correct);
  const z = mannWhitneyZ(a, b);
  const medians: [number, number] = [median(a), median(b)];
  const distinguishable = Math.abs(z) > MAX_Z || accuracy > MAX_ACCURACY;
  const summary =
    `medians ${medians[0].toFixed(3)} ms vs ${medians[1].toFixed(3)} ms, Mann-Whitney z ${z.toFixed(2)} (limit ${MAX_Z}), ` +
    `threshold classifier ${(accuracy * 100).toFixed(1)} % right (limit ${MAX_ACCURACY * 100} %), n ${a.length} + ${b.length}`;
  return { z, accuracy, medians, distinguishable, summary };
}
