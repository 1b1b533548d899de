// The analysis of a ratio metric with CUPED when the pre-exposure period has no denominator (users
// new to the product: no impressions before exposure). The covariate carries no information, so the
// answer is the plain ratio's, rather than no answer at all.
import { describe, expect, it } from 'vitest';
import { analyzeExperiment, type VariationSums } from './analysis.js';

const control: VariationSums = { n: 1000, sum: 1200, sumSquares: 4000, denominatorSum: 9000, denominatorSumSquares: 120000, mainDenominatorSumProduct: 17000 };
const treatment: VariationSums = { n: 1000, sum: 1400, sumSquares: 4800, denominatorSum: 9100, denominatorSumSquares: 121000, mainDenominatorSumProduct: 19500 };
const emptyPrePeriod = {
  covariateSum: 0,
  covariateSumSquares: 0,
  mainCovariateSumProduct: 0,
  denominatorPreSum: 0,
  denominatorPreSumSquares: 0,
  mainPreDenominatorPreSumProduct: 0,
  mainPostDenominatorPreSumProduct: 0,
  mainPreDenominatorPostSumProduct: 0,
  denominatorPostDenominatorPreSumProduct: 0,
};

describe('a CUPED ratio metric without a pre-period', () => {
  it('answers the plain ratio analysis', () => {
    const plain = analyzeExperiment([{ key: 'saves_per_impression', type: 'ratio', variations: [control, treatment] }]);
    const cuped = analyzeExperiment([
      { key: 'saves_per_impression', type: 'ratio', variations: [{ ...control, ...emptyPrePeriod }, { ...treatment, ...emptyPrePeriod }] },
    ]);
    const expected = plain.metrics[0]!.variations[1]!.relative!;
    const actual = cuped.metrics[0]!.variations[1]!.relative!;
    expect(actual.error).toBeNull();
    expect(actual.estimate).toBeCloseTo(expected.estimate!, 12);
    expect(actual.ciLow).toBeCloseTo(expected.ciLow!, 12);
    expect(actual.ciHigh).toBeCloseTo(expected.ciHigh!, 12);
    expect(cuped.metrics[0]!.variations[0]!.variance).toBeCloseTo(plain.metrics[0]!.variations[0]!.variance, 12);
  });
});
