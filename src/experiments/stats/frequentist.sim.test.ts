// Calibration by simulation: A/A experiments on synthetic users must be "significant" at about the
// rate α, and A/B experiments with a planted lift must produce intervals that cover the true lift at
// about 1 - α. Each rate is checked against the 99.9% binomial band around its nominal value.
import { describe, expect, it } from 'vitest';
import { analyzeExperiment, type MetricInput } from './analysis.js';
import {
  DEFAULT_MODEL,
  Rng,
  binomialBand,
  populationMeanSaves,
  simulateExperiment,
  type VariationAccumulator,
} from './simulation-support.js';

const ALPHA = 0.05;

function metricsOf([control, treatment]: [VariationAccumulator, VariationAccumulator]): MetricInput[] {
  return [
    { key: 'saves_per_user', type: 'mean', variations: [control.mean(), treatment.mean()] },
    { key: 'saved_at_least_once', type: 'proportion', variations: [control.proportion(), treatment.proportion()] },
    { key: 'saves_per_impression', type: 'ratio', variations: [control.ratio(), treatment.ratio()] },
  ];
}

describe('A/A experiments', () => {
  it('are significant at about α for mean, proportion and ratio metrics, absolute and relative', () => {
    const simulations = 2000;
    const rng = Rng.stream('aa', 'frequentist');
    const hits = new Map<string, number>();
    for (let s = 0; s < simulations; s += 1) {
      const analysis = analyzeExperiment(metricsOf(simulateExperiment(rng, 400, 0)), { alpha: ALPHA });
      for (const metric of analysis.metrics) {
        const v = metric.variations[1]!;
        for (const [name, lift] of [['absolute', v.absolute], ['relative', v.relative]] as const) {
          const key = `${metric.key}/${name}`;
          hits.set(key, (hits.get(key) ?? 0) + (lift!.significant ? 1 : 0));
        }
      }
    }
    const [low, high] = binomialBand(ALPHA, simulations);
    const rates = Object.fromEntries([...hits].map(([key, count]) => [key, count / simulations]));
    console.info(`A/A false-positive rates over ${simulations} experiments (band ${low.toFixed(4)}..${high.toFixed(4)}):`, rates);
    for (const rate of Object.values(rates)) {
      expect(rate).toBeGreaterThanOrEqual(low);
      expect(rate).toBeLessThanOrEqual(high);
    }
  });
});

describe('A/B experiments with a planted lift', () => {
  it('give intervals that cover the true lift at about 1 - α', () => {
    const simulations = 2000;
    const lift = 0.08;
    const rng = Rng.stream('coverage', 'frequentist');
    const trueAbsolute = lift * populationMeanSaves(DEFAULT_MODEL);
    const covered = { meanAbsolute: 0, meanRelative: 0, ratioRelative: 0 };
    let detected = 0;
    for (let s = 0; s < simulations; s += 1) {
      const analysis = analyzeExperiment(metricsOf(simulateExperiment(rng, 400, lift)), { alpha: ALPHA });
      const mean = analysis.metrics[0]!.variations[1]!;
      const ratio = analysis.metrics[2]!.variations[1]!;
      const inside = (l: typeof mean.absolute, truth: number) => (l!.ciLow! <= truth && truth <= l!.ciHigh! ? 1 : 0);
      covered.meanAbsolute += inside(mean.absolute, trueAbsolute);
      covered.meanRelative += inside(mean.relative, lift);
      covered.ratioRelative += inside(ratio.relative, lift);
      detected += mean.relative!.significant ? 1 : 0;
    }
    const [low, high] = binomialBand(1 - ALPHA, simulations);
    const rates = Object.fromEntries(Object.entries(covered).map(([key, count]) => [key, count / simulations]));
    console.info(`Coverage of a planted ${lift * 100}% lift over ${simulations} experiments (band ${low.toFixed(4)}..${high.toFixed(4)}):`, rates, `power ${(detected / simulations).toFixed(3)}`);
    for (const rate of Object.values(rates)) {
      expect(rate).toBeGreaterThanOrEqual(low);
      expect(rate).toBeLessThanOrEqual(high);
    }
  });
});
