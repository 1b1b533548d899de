// Multiple-comparison corrections by simulation: ten metrics per experiment. With every metric null,
// uncorrected p-values find "something" in about 40% of experiments; Holm keeps that family-wise
// rate at α. With three real lifts among the ten, Benjamini–Hochberg keeps the share of false
// discoveries among the discoveries at or below α.
import { describe, expect, it } from 'vitest';
import { analyzeExperiment, type MetricInput } from './analysis.js';
import { DEFAULT_MODEL, Rng, binomialBand, simulateExperiment } from './simulation-support.js';

const ALPHA = 0.05;
const METRICS = 10;
// Corrections act on the extreme tail of each p-value (α/10 for Holm), so these metrics are kept
// light-tailed: with few users and heavy tails the t-test's own tail is the thing being measured.
const MODEL = { ...DEFAULT_MODEL, medianRate: 2, sigma: 0.3 };

function experiment(rng: Rng, lifts: number[]): MetricInput[] {
  return lifts.map((lift, i) => {
    const [control, treatment] = simulateExperiment(rng, 300, lift, MODEL);
    return { key: `metric_${i}`, type: 'mean', variations: [control.mean(), treatment.mean()] };
  });
}

describe('corrections across metrics', () => {
  it('Holm keeps the family-wise error rate at α where uncorrected tests do not', () => {
    const simulations = 1500;
    const rng = Rng.stream('corrections', 'holm');
    let anyRaw = 0;
    let anyHolm = 0;
    for (let s = 0; s < simulations; s += 1) {
      const analysis = analyzeExperiment(experiment(rng, new Array<number>(METRICS).fill(0)), { correction: 'holm' });
      const lifts = analysis.metrics.map((m) => m.variations[1]!.relative!);
      if (lifts.some((l) => l.pValue! < ALPHA)) anyRaw += 1;
      if (lifts.some((l) => l.significant)) anyHolm += 1;
    }
    const [, high] = binomialBand(ALPHA, simulations);
    console.info(`Family-wise error over ${METRICS} null metrics: uncorrected ${(anyRaw / simulations).toFixed(3)}, Holm ${(anyHolm / simulations).toFixed(3)}`);
    expect(anyRaw / simulations).toBeGreaterThan(0.3);
    expect(anyHolm / simulations).toBeLessThanOrEqual(high);
  });

  it('Benjamini–Hochberg keeps the false discovery rate at or below α', () => {
    const simulations = 300;
    const rng = Rng.stream('corrections', 'bh');
    const lifts = [0.3, 0.3, 0.3, 0, 0, 0, 0, 0, 0, 0];
    let falseDiscoveryProportion = 0;
    let trueDiscoveries = 0;
    for (let s = 0; s < simulations; s += 1) {
      const analysis = analyzeExperiment(experiment(rng, lifts), { correction: 'bh' });
      const significant = analysis.metrics.map((m) => m.variations[1]!.relative!.significant);
      const discoveries = significant.filter(Boolean).length;
      const falseOnes = significant.filter((hit, i) => hit && lifts[i] === 0).length;
      falseDiscoveryProportion += discoveries === 0 ? 0 : falseOnes / discoveries;
      trueDiscoveries += significant.filter((hit, i) => hit && lifts[i]! > 0).length;
    }
    const fdr = falseDiscoveryProportion / simulations;
    console.info(`Benjamini–Hochberg FDR ${fdr.toFixed(4)}, true discoveries ${(trueDiscoveries / (3 * simulations)).toFixed(3)} of real lifts`);
    expect(fdr).toBeLessThanOrEqual(ALPHA);
    expect(trueDiscoveries / (3 * simulations)).toBeGreaterThan(0.8);
  });
});
