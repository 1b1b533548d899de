// The evaluation's figures on lists small enough to check by hand.
import { describe, expect, it } from 'vitest';
import { firstHitRank, pairedComparison, quality, wilsonInterval } from './metrics.js';

describe('offline quality figures', () => {
  const ranked = (hitAt: number) => Array.from({ length: 120 }, (_, i) => (i + 1 === hitAt ? 'held' : `other-${i}`));

  it('finds the rank of the first held-out pin within the depth', () => {
    expect(firstHitRank(['a', 'b', 'c'], new Set(['c', 'b']), 100)).toBe(2);
    expect(firstHitRank(ranked(101), new Set(['held']), 100)).toBe(0);
  });

  it('counts hit rates at 10 and 100 over all users, and MRR over the top 100', () => {
    const held = new Set(['held']);
    const figures = quality([
      { ranked: ranked(1), heldOut: held },
      { ranked: ranked(10), heldOut: held },
      { ranked: ranked(11), heldOut: held },
      { ranked: ranked(101), heldOut: held },
      { ranked: [], heldOut: held },
    ]);
    expect(figures).toMatchObject({ users: 5, hitRateAt10: 2 / 5, hitRateAt100: 3 / 5, empty: 1 });
    expect(figures.mrr).toBeCloseTo((1 + 1 / 10 + 1 / 11) / 5, 10);
  });

  it('compares two methods on the same users with a sign test over the users only one of them hits', () => {
    const a = new Set(['u1', 'u2', 'u3', 'u4', 'u5', 'u6', 'u7', 'u8', 'u9', 'u10', 'shared']);
    const b = new Set(['shared']);
    expect(pairedComparison(a, b)).toEqual({ onlyFirst: 10, onlySecond: 0, pValue: 2 / 1024 });
    expect(pairedComparison(new Set(['x']), new Set(['y'])).pValue).toBe(1);
    expect(pairedComparison(new Set(), new Set()).pValue).toBe(1);
  });

  it('gives a Wilson interval around a rate that narrows with more users', () => {
    const [low, high] = wilsonInterval(0.2, 100);
    expect(low).toBeLessThan(0.2);
    expect(high).toBeGreaterThan(0.2);
    const [narrowLow, narrowHigh] = wilsonInterval(0.2, 10_000);
    expect(narrowHigh - narrowLow).toBeLessThan((high - low) / 5);
  });
});
