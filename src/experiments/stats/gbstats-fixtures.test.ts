// Fixtures from GrowthBook's own stats engine tests, so this engine's numbers can be checked against
// gbstats: packages/stats/tests/frequentist/test_tests.py and packages/stats/tests/test_gbstats.py in
// github.com/growthbook/growthbook (MIT). gbstats rounds to 5 decimals there (9 for the SRM check);
// the same rounding is asserted here.
import { describe, expect, it } from 'vitest';
import { regressionAdjusted, regressionAdjustedRatio, type CupedRatioParts } from './cuped.js';
import { effectMoments, twoSidedTTest, type TestResult } from './frequentist.js';
import { proportion, sampleMean } from './moments.js';
import { sequentialTwoSidedTest } from './sequential.js';
import { sampleRatioMismatch } from './srm.js';
import { benjaminiHochberg, holmBonferroni } from './corrections.js';

const round = (value: number, decimals = 5) => Number(value.toFixed(decimals));

function expectResult(result: TestResult, expected: { estimate: number; ci: [number, number]; stddev: number; pValue: number }) {
  expect(round(result.estimate)).toBe(expected.estimate);
  expect(result.ci.map((x) => round(x))).toEqual(expected.ci);
  expect(round(result.standardError)).toBe(expected.stddev);
  expect(round(result.pValue)).toBe(expected.pValue);
}

const S = (n: number, sum: number, sumSquares: number) => sampleMean({ n, sum, sumSquares });

describe('gbstats TwoSidedTTest fixtures', () => {
  const a = S(3407, 1396.87, 52377.9767);
  const b = S(3461, 2422.7, 134698.29);

  it('test_two_sided_ttest (relative)', () => {
    expectResult(twoSidedTTest(effectMoments(a, b, 'relative'), 0.05), {
      estimate: 0.70732,
      ci: [-0.03526, 1.44989],
      stddev: 0.37879,
      pValue: 0.06191,
    });
  });

  it('test_two_sided_ttest_absolute', () => {
    expectResult(twoSidedTTest(effectMoments(a, b, 'absolute'), 0.05), {
      estimate: 0.29,
      ci: [0.04538, 0.53462],
      stddev: 0.12478,
      pValue: 0.02016,
    });
  });

  it('test_two_sided_ttest_binom (proportions)', () => {
    expectResult(twoSidedTTest(effectMoments(proportion(28, 14), proportion(30, 16), 'relative'), 0.05), {
      estimate: 0.06667,
      ci: [-0.47767, 0.61101],
      stddev: 0.2717,
      pValue: 0.80707,
    });
  });

  it('test_two_sided_ttest_missing_variance: n = 2 with these sums has no estimate', () => {
    expect(effectMoments(S(2, 1396.87, 52377.9767), b, 'relative').error).toBe('ZERO_VARIANCE');
  });
});

// Both variations of test_two_sided_ttest_test_runs_ratio_ra / test_sequential_test_runs_ratio_ra.
const ratioControl: CupedRatioParts = {
  numeratorPost: S(100, 485.112236689623, 2715.484666118136),
  denominatorPost: S(100, 679.9093275844917, 4939.424001640236),
  numeratorPre: S(100, 192.59138069991536, 460.076026390857),
  denominatorPre: S(100, 290.1398399750233, 920.9461385038898),
  numeratorPostNumeratorPre: 1113.6215759318352,
  denominatorPostDenominatorPre: 2130.9404074446747,
  numeratorPreDenominatorPre: 634.239482353647,
  numeratorPostDenominatorPost: 3602.146836776702,
  numeratorPostDenominatorPre: 1559.2878434944676,
  numeratorPreDenominatorPost: 1460.3181079276983,
};
const ratioTreatment: CupedRatioParts = {
  numeratorPost: S(100, 514.7757826608777, 2994.897482705013),
  denominatorPost: S(100, 705.4090874383759, 5291.36604146392),
  numeratorPre: S(100, 206.94157227402536, 514.2903702246757),
  denominatorPre: S(100, 302.54389139107326, 994.4506208125663),
  numeratorPostNumeratorPre: 1237.0953021125997,
  denominatorPostDenominatorPre: 2292.081739775257,
  numeratorPreDenominatorPre: 698.4173425817908,
  numeratorPostDenominatorPost: 3918.1561431600717,
  numeratorPostDenominatorPre: 1701.0287270040265,
  numeratorPreDenominatorPost: 1604.0759503266522,
};

describe('gbstats regression-adjusted ratio fixtures', () => {
  const moments = () => effectMoments(regressionAdjustedRatio(ratioControl), regressionAdjustedRatio(ratioTreatment), 'relative');

  it('test_two_sided_ttest_test_runs_ratio_ra', () => {
    expectResult(twoSidedTTest(moments(), 0.05), { estimate: -0.0007, ci: [-0.00841, 0.007], stddev: 0.00391, pValue: 0.85771 });
  });

  it('test_sequential_test_runs_ratio_ra', () => {
    expectResult(sequentialTwoSidedTest(moments(), 200, 0.05), {
      estimate: -0.0007,
      ci: [-0.02063, 0.01923],
      stddev: 0.00391,
      pValue: 1,
    });
  });
});

describe('gbstats SequentialTwoSidedTTest fixtures', () => {
  const a = S(3000, 1396.87, 52377.9767);
  const b = S(3461, 2422.7, 134698.29);

  it('test_sequential_test_runs (tuning 1000)', () => {
    expectResult(sequentialTwoSidedTest(effectMoments(a, b, 'relative'), 6461, 0.05, 1000), {
      estimate: 0.50336,
      ci: [-0.55844, 1.56516],
      stddev: 0.33341,
      pValue: 1,
    });
  });

  it('test_sequential_test_runs_prop', () => {
    expectResult(sequentialTwoSidedTest(effectMoments(proportion(3000, 1396), proportion(3461, 2422), 'relative'), 6461, 0.05), {
      estimate: 0.50386,
      ci: [0.40098, 0.60675],
      stddev: 0.03386,
      pValue: 0,
    });
  });

  it('test_sequential_test_runs_ra (CUPED, θ estimated)', () => {
    const ra = regressionAdjusted(a, S(3000, 16.87, 527.9767), 1);
    const rb = regressionAdjusted(b, S(3461, 22.7, 1348.29), 1);
    expectResult(sequentialTwoSidedTest(effectMoments(ra, rb, 'relative'), 6461, 0.05), {
      estimate: 0.50338,
      ci: [-0.50969, 1.51646],
      stddev: 0.33341,
      pValue: 1,
    });
  });

  it('test_sequential_test_tuning_as_expected: the interval is narrowest near the tuned n', () => {
    const width = (tuning: number) => {
      const { ci } = sequentialTwoSidedTest(effectMoments(a, b, 'relative'), 6461, 0.05, tuning);
      return ci[1] - ci[0];
    };
    expect(width(10)).toBeGreaterThan(width(10_000));
    expect(width(10_000)).toBeGreaterThan(width(6461));
  });
});

describe('gbstats check_srm and GrowthBook p-value corrections', () => {
  it('test_srm: check_srm([1000, 1200], [0.5, 0.5]) = 0.000020079', () => {
    const srm = sampleRatioMismatch([1000, 1200], [0.5, 0.5]);
    expect(round(srm.pValue, 9)).toBe(0.000020079);
    expect(srm.mismatch).toBe(true);
  });

  // packages/shared/test/experiments.test.ts, "pvalue correction method".
  it('does HB procedure correctly', () => {
    expect(holmBonferroni([0.01, 0.04, 0.03, 0.005, 0.55, 0.6]).map((p) => round(p, 8))).toEqual([
      0.05, 0.12, 0.12, 0.03, 1, 1,
    ]);
  });

  it('does BH procedure correctly', () => {
    expect(benjaminiHochberg([0.898, 0.138, 0.007, 0.964, 0.538, 0.006, 0.138]).map((p) => round(p, 8))).toEqual([
      0.964, 0.2415, 0.0245, 0.964, 0.7532, 0.0245, 0.2415,
    ]);
  });
});
