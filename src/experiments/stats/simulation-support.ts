// Synthetic users for the simulation tests: each user has a latent activity level (lognormal, so a
// few users do most of the engagement, as on a real site), draws Poisson counts of impressions and
// saves from it in a pre-exposure window and again after exposure, and the treatment multiplies the
// post-exposure save rate by (1 + lift). Everything is seeded, so every run sees the same
// experiments and the asserted rates are reproducible.
import { Rng } from '../../dataset/prng.js';
import type { VariationSums } from './validation.js';

export { Rng };

/** Poisson(λ): Knuth's product of uniforms below λ = 30, a rounded normal above (rare here). */
export function poisson(rng: Rng, lambda: number): number {
  if (lambda <= 0) return 0;
  if (lambda > 30) return Math.max(0, Math.round(lambda + Math.sqrt(lambda) * rng.normal()));
  const limit = Math.exp(-lambda);
  let k = 0;
  let product = rng.float();
  while (product > limit) {
    k += 1;
    product *= rng.float();
  }
  return k;
}

export interface PopulationModel {
  /** Median of the per-user save rate. */
  medianRate: number;
  /** Log-space standard deviation of the per-user rate (heterogeneity). */
  sigma: number;
  /** Impressions per save opportunity, for the ratio metric. */
  impressionsPerRate: number;
  /** Whether the pre-exposure window shares the user's rate (a correlated covariate) or not. */
  correlatedPre: boolean;
}

export const DEFAULT_MODEL: PopulationModel = { medianRate: 1.2, sigma: 1, impressionsPerRate: 8, correlatedPre: true };

/** The population mean of saves per user, E[λ] = median · e^(σ²/2). */
export function populationMeanSaves(model: PopulationModel): number {
  return model.medianRate * Math.exp((model.sigma * model.sigma) / 2);
}

/**
 * Correlation of a user's pre-period and post-period saves under the model without a lift:
 * Var λ / (Var λ + E λ), Poisson noise on top of the shared rate. CUPED should shrink an interval's
 * width by about √(1 - ρ²).
 */
export function prePostCorrelation(model: PopulationModel): number {
  if (!model.correlatedPre) return 0;
  const mean = populationMeanSaves(model);
  const variance = mean * mean * (Math.exp(model.sigma * model.sigma) - 1);
  return variance / (variance + mean);
}

/** Running sums for one variation, for every metric the simulations analyse. */
export class VariationAccumulator {
  n = 0;
  saves = { sum: 0, sumSquares: 0 };
  savedOnce = 0;
  impressions = { sum: 0, sumSquares: 0 };
  savesImpressions = 0;
  preSaves = { sum: 0, sumSquares: 0 };
  savesPreSaves = 0;
  preSavedOnce = 0;
  savedOncePreSavedOnce = 0;

  add(user: { saves: number; impressions: number; preSaves: number }): void {
    this.n += 1;
    this.saves.sum += user.saves;
    this.saves.sumSquares += user.saves * user.saves;
    const saved = user.saves > 0 ? 1 : 0;
    const preSaved = user.preSaves > 0 ? 1 : 0;
    this.savedOnce += saved;
    this.impressions.sum += user.impressions;
    this.impressions.sumSquares += user.impressions * user.impressions;
    this.savesImpressions += user.saves * user.impressions;
    this.preSaves.sum += user.preSaves;
    this.preSaves.sumSquares += user.preSaves * user.preSaves;
    this.savesPreSaves += user.saves * user.preSaves;
    this.preSavedOnce += preSaved;
    this.savedOncePreSavedOnce += saved * preSaved;
  }

  /** saves per user. */
  mean(cuped = false): VariationSums {
    const base = { n: this.n, sum: this.saves.sum, sumSquares: this.saves.sumSquares };
    if (!cuped) return base;
    return {
      ...base,
      covariateSum: this.preSaves.sum,
      covariateSumSquares: this.preSaves.sumSquares,
      mainCovariateSumProduct: this.savesPreSaves,
    };
  }

  /** saved at least once. */
  proportion(cuped = false): VariationSums {
    const base = { n: this.n, sum: this.savedOnce };
    if (!cuped) return base;
    return { ...base, covariateSum: this.preSavedOnce, mainCovariateSumProduct: this.savedOncePreSavedOnce };
  }

  /** saves per impression. */
  ratio(): VariationSums {
    return {
      n: this.n,
      sum: this.saves.sum,
      sumSquares: this.saves.sumSquares,
      denominatorSum: this.impressions.sum,
      denominatorSumSquares: this.impressions.sumSquares,
      mainDenominatorSumProduct: this.savesImpressions,
    };
  }
}

/** One synthetic user's counts; `lift` multiplies the post-exposure save rate. */
export function drawUser(rng: Rng, model: PopulationModel, lift: number) {
  const rate = rng.lognormal(model.medianRate, model.sigma);
  const preRate = model.correlatedPre ? rate : rng.lognormal(model.medianRate, model.sigma);
  const impressions = poisson(rng, rate * model.impressionsPerRate);
  return {
    saves: poisson(rng, rate * (1 + lift)),
    impressions,
    preSaves: poisson(rng, preRate),
  };
}

/** An experiment of `usersPerArm` users in each of control and treatment. */
export function simulateExperiment(
  rng: Rng,
  usersPerArm: number,
  lift: number,
  model: PopulationModel = DEFAULT_MODEL,
): [VariationAccumulator, VariationAccumulator] {
  const control = new VariationAccumulator();
  const treatment = new VariationAccumulator();
  for (let i = 0; i < usersPerArm; i += 1) {
    control.add(drawUser(rng, model, 0));
    treatment.add(drawUser(rng, model, lift));
  }
  return [control, treatment];
}

/**
 * The two-sided 99.9% band for the count of successes in `trials` Bernoulli(p) trials (normal
 * approximation): a rate outside it means the procedure is miscalibrated, not unlucky.
 */
export function binomialBand(p: number, trials: number, z = 3.29): [number, number] {
  const sd = Math.sqrt((p * (1 - p)) / trials);
  return [p - z * sd, p + z * sd];
}
