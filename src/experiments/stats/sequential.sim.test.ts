// Peeking by simulation: an A/A experiment read after every batch of users and stopped at the first
// significant reading. A fixed-horizon t-test, read that way, calls far more than α of them
// significant; the sequential test keeps the rate at or below α, and still finds a real lift.
import { describe, expect, it } from 'vitest';
import { effectMoments, twoSidedTTest } from './frequentist.js';
import { sampleMean, type Sums } from './moments.js';
import { sequentialTwoSidedTest } from './sequential.js';
import { DEFAULT_MODEL, Rng, binomialBand, poisson } from './simulation-support.js';

const ALPHA = 0.05;
const PEEKS = 20;
const BATCH = 250;

function add(sums: Sums, value: number): void {
  sums.n += 1;
  sums.sum += value;
  sums.sumSquares += value * value;
}

/** Whether each procedure ever called the experiment significant over the peeks. */
function peekingRun(rng: Rng, lift: number): { naive: boolean; sequential: boolean } {
  const control: Sums = { n: 0, sum: 0, sumSquares: 0 };
  const treatment: Sums = { n: 0, sum: 0, sumSquares: 0 };
  const outcome = { naive: false, sequential: false };
  for (let peek = 0; peek < PEEKS; peek += 1) {
    for (let u = 0; u < BATCH; u += 1) {
      add(control, poisson(rng, rng.lognormal(DEFAULT_MODEL.medianRate, DEFAULT_MODEL.sigma)));
      add(treatment, poisson(rng, rng.lognormal(DEFAULT_MODEL.medianRate, DEFAULT_MODEL.sigma) * (1 + lift)));
    }
    const moments = effectMoments(sampleMean(control), sampleMean(treatment), 'relative');
    if (moments.error) continue;
    // Tuned to the sample size the experiment is planned to reach.
    const planned = 2 * PEEKS * BATCH;
    if (twoSidedTTest(moments, ALPHA).pValue < ALPHA) outcome.naive = true;
    if (sequentialTwoSidedTest(moments, control.n + treatment.n, ALPHA, planned).pValue < ALPHA) outcome.sequential = true;
  }
  return outcome;
}

describe('sequential testing under peeking', () => {
  it('keeps the A/A false-positive rate at or below α where naive peeking inflates it', () => {
    const simulations = 1000;
    const rng = Rng.stream('peeking', 'aa');
    let naive = 0;
    let sequential = 0;
    for (let s = 0; s < simulations; s += 1) {
      const run = peekingRun(rng, 0);
      naive += run.naive ? 1 : 0;
      sequential += run.sequential ? 1 : 0;
    }
    const [, high] = binomialBand(ALPHA, simulations);
    console.info(
      `A/A read ${PEEKS} times, stopped at the first significant reading, ${simulations} experiments: ` +
        `naive t-test ${(naive / simulations).toFixed(3)}, sequential ${(sequential / simulations).toFixed(3)} (α ${ALPHA})`,
    );
    expect(naive / simulations).toBeGreaterThan(2 * ALPHA);
    expect(sequential / simulations).toBeLessThanOrEqual(high);
  });

  it('still detects a real lift', () => {
    const simulations = 200;
    const rng = Rng.stream('peeking', 'ab');
    let detected = 0;
    for (let s = 0; s < simulations; s += 1) detected += peekingRun(rng, 0.2).sequential ? 1 : 0;
    console.info(`Sequential test detected a 20% lift in ${detected} of ${simulations} experiments`);
    expect(detected / simulations).toBeGreaterThan(0.8);
  });
});
