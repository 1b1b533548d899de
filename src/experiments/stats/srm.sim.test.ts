// The sample-ratio check by simulation: a balanced split is flagged at about its threshold rate
// (0.1%), and a split that loses 5% of one variation's users is flagged nearly always.
import { describe, expect, it } from 'vitest';
import { Rng } from './simulation-support.js';
import { SRM_THRESHOLD, sampleRatioMismatch } from './srm.js';

/** Users landing in each variation when each of `users` goes to variation i with probability weights[i]. */
function split(rng: Rng, users: number, weights: number[]): number[] {
  const counts = weights.map(() => 0);
  for (let u = 0; u < users; u += 1) {
    let x = rng.float();
    let i = 0;
    while (i < weights.length - 1 && x >= weights[i]!) {
      x -= weights[i]!;
      i += 1;
    }
    counts[i]! += 1;
  }
  return counts;
}

describe('sample-ratio mismatch', () => {
  it('is not flagged on a balanced split beyond its 0.1% false-alarm rate', () => {
    const rng = Rng.stream('srm', 'balanced');
    const simulations = 4000;
    let flagged = 0;
    for (let s = 0; s < simulations; s += 1) {
      const weights = s % 2 === 0 ? [0.5, 0.5] : [0.2, 0.3, 0.5];
      if (sampleRatioMismatch(split(rng, 2000, weights), weights).mismatch) flagged += 1;
    }
    console.info(`SRM flagged on ${flagged} of ${simulations} balanced splits (expected ${simulations * SRM_THRESHOLD})`);
    // Poisson(4): P(X >= 13) < 0.001.
    expect(flagged).toBeLessThan(13);
  });

  it('is flagged when 5% of one variation is lost', () => {
    const rng = Rng.stream('srm', 'injected');
    const simulations = 200;
    let flagged = 0;
    for (let s = 0; s < simulations; s += 1) {
      const [control, treatment] = split(rng, 40_000, [0.5, 0.5]) as [number, number];
      // The treatment's exposures fail to log for 5% of its users.
      const logged = [control, Math.round(treatment * 0.95)];
      if (sampleRatioMismatch(logged, [0.5, 0.5]).mismatch) flagged += 1;
    }
    console.info(`SRM flagged on ${flagged} of ${simulations} splits missing 5% of one variation`);
    expect(flagged / simulations).toBeGreaterThan(0.95);
  });

  it('honours unequal weights and ignores zero-weight variations', () => {
    expect(sampleRatioMismatch([2000, 8000], [0.2, 0.8]).mismatch).toBe(false);
    expect(sampleRatioMismatch([5000, 5000], [0.2, 0.8]).mismatch).toBe(true);
    // As gbstats: a zero-weight variation adds nothing to χ² but still counts in the degrees of freedom.
    expect(sampleRatioMismatch([5000, 5000, 3], [0.5, 0.5, 0]).pValue).toBeGreaterThan(0.99);
    expect(sampleRatioMismatch([0, 0], [0.5, 0.5]).pValue).toBe(1);
  });
});
