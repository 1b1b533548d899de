// POST /v5/experiments/analyze: summary sums in, the full analysis out, with the numbers GrowthBook's
// gbstats gives for the same sums (its own test fixtures), ratio metrics, CUPED, sequential tests,
// corrections and the sample-ratio check; and impossible input refused with a code naming the problem.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TestUser } from '../support/test-app.js';
import { createExperimentWorld, expectStatus, type ExperimentWorld } from './experiment-test-support.js';

let world: ExperimentWorld;
let analyst: TestUser;

beforeAll(async () => {
  world = await createExperimentWorld();
  analyst = await world.t.signUp('analyst');
});
afterAll(async () => world.t.close());

interface LiftJson {
  estimate: number | null;
  ci_low: number | null;
  ci_high: number | null;
  standard_error: number | null;
  p_value: number | null;
  adjusted_p_value: number | null;
  significant: boolean;
  error: string | null;
}
interface AnalysisJson {
  srm: { p_value: number; mismatch: boolean; users: number[] };
  metrics: Array<{ key: string; cuped: boolean; variations: Array<{ n: number; mean: number; theta: number | null; absolute: LiftJson | null; relative: LiftJson | null }> }>;
}

async function analyze(body: Record<string, unknown>) {
  return world.t.request({ method: 'POST', url: '/v5/experiments/analyze', as: analyst, payload: body });
}

const round = (value: number | null, decimals = 5) => (value === null ? null : Number(value.toFixed(decimals)));

// gbstats test_tests.py: SampleMeanStatistic(n=3407, sum=1396.87, sum_squares=52377.9767) vs (3461, 2422.7, 134698.29).
const GB_CONTROL = { n: 3407, sum: 1396.87, sum_squares: 52377.9767 };
const GB_TREATMENT = { n: 3461, sum: 2422.7, sum_squares: 134698.29 };

describe('POST /v5/experiments/analyze', () => {
  it('answers gbstats\' numbers for a mean metric (relative and absolute lift)', async () => {
    const analysis = expectStatus(await analyze({ metrics: [{ key: 'revenue', type: 'mean', variations: [GB_CONTROL, GB_TREATMENT] }] }), 200).json<AnalysisJson>();
    const treatment = analysis.metrics[0]!.variations[1]!;
    expect([round(treatment.relative!.estimate), round(treatment.relative!.ci_low), round(treatment.relative!.ci_high), round(treatment.relative!.p_value)]).toEqual([
      0.70732, -0.03526, 1.44989, 0.06191,
    ]);
    expect([round(treatment.absolute!.estimate), round(treatment.absolute!.ci_low), round(treatment.absolute!.ci_high), round(treatment.absolute!.p_value)]).toEqual([
      0.29, 0.04538, 0.53462, 0.02016,
    ]);
    expect(treatment.absolute!.significant).toBe(true);
    expect(treatment.relative!.significant).toBe(false);
  });

  it('answers proportions, ratios and CUPED, sequential intervals and corrections', async () => {
    const body = {
      metrics: [
        { key: 'converted', type: 'proportion', variations: [{ n: 3000, sum: 1396 }, { n: 3461, sum: 2422 }] },
        {
          key: 'saves_per_impression',
          type: 'ratio',
          variations: [
            { n: 1000, sum: 1200, sum_squares: 4000, denominator_sum: 9000, denominator_sum_squares: 120000, main_denominator_sum_product: 17000 },
            { n: 1000, sum: 1400, sum_squares: 4800, denominator_sum: 9100, denominator_sum_squares: 121000, main_denominator_sum_product: 19500 },
          ],
        },
        {
          key: 'cuped_mean',
          type: 'mean',
          variations: [
            { ...GB_CONTROL, n: 3000, covariate_sum: 16.87, covariate_sum_squares: 527.9767, main_covariate_sum_product: 1 },
            { ...GB_TREATMENT, covariate_sum: 22.7, covariate_sum_squares: 1348.29, main_covariate_sum_product: 1 },
          ],
        },
      ],
      sequential: true,
      correction: 'holm',
      srm_weights: [0.5, 0.5],
    };
    const analysis = expectStatus(await analyze(body), 200).json<AnalysisJson>();
    const [proportion, ratio, cuped] = analysis.metrics.map((m) => m.variations[1]!);
    // gbstats test_sequential_test_runs_prop (tuning 5000): 0.50386 [0.40098, 0.60675].
    expect([round(proportion!.relative!.estimate), round(proportion!.relative!.ci_low), round(proportion!.relative!.ci_high)]).toEqual([0.50386, 0.40098, 0.60675]);
    expect(ratio!.relative!.estimate).toBeCloseTo(1400 / 9100 / (1200 / 9000) - 1, 10);
    // gbstats test_sequential_test_runs_ra: 0.50338 [-0.50969, 1.51646].
    expect(analysis.metrics[2]!.cuped).toBe(true);
    expect(cuped!.theta).not.toBeNull();
    expect([round(cuped!.relative!.estimate), round(cuped!.relative!.ci_low), round(cuped!.relative!.ci_high)]).toEqual([0.50338, -0.50969, 1.51646]);
    // Holm over the three relative lifts: adjusted p-values are at least the raw ones.
    for (const v of [proportion, ratio, cuped]) expect(v!.relative!.adjusted_p_value!).toBeGreaterThanOrEqual(v!.relative!.p_value!);
    // The sample-ratio check uses the first metric's n: 3000 vs 3461 is a mismatch.
    expect(analysis.srm).toMatchObject({ users: [3000, 3461], mismatch: true });
  });

  it('refuses impossible input with a code naming the problem', async () => {
    const mean = (variations: unknown[]) => ({ metrics: [{ key: 'm', type: 'mean', variations }] });
    const cases: Array<[Record<string, unknown>, number, RegExp]> = [
      [mean([{ n: 1, sum: 1, sum_squares: 1 }, GB_TREATMENT]), 4210, /variation 0: n must be at least 2/],
      [mean([{ n: 10, sum: 10, sum_squares: 1 }, GB_TREATMENT]), 4211, /sum_squares .* smaller than sum²\/n/],
      [{ metrics: [{ key: 'p', type: 'proportion', variations: [{ n: 10, sum: 11 }, { n: 10, sum: 1 }] }] }, 4211, /between 0 and n/],
      [mean([{ n: 10, sum: 10 }, GB_TREATMENT]), 4212, /needs sum_squares/],
      [{ metrics: [{ key: 'r', type: 'ratio', variations: [GB_CONTROL, GB_TREATMENT] }] }, 4212, /needs denominator_sum/],
      [{ metrics: [{ key: 'a', type: 'mean', variations: [GB_CONTROL, GB_TREATMENT] }, { key: 'b', type: 'mean', variations: [GB_CONTROL, GB_TREATMENT, GB_TREATMENT] }] }, 4212, /has 3 variations/],
      [{ ...mean([GB_CONTROL, GB_TREATMENT]), srm_weights: [0, 0] }, 4213, /srm_weights/],
      [{ ...mean([GB_CONTROL, GB_TREATMENT]), alpha: 0.9 }, 1, /alpha/],
      [{ ...mean([GB_CONTROL, GB_TREATMENT]), correction: 'bonferroni' }, 1, /correction/],
      [mean([{ ...GB_CONTROL, mystery: 1 }, GB_TREATMENT]), 1, /mystery|additional/],
    ];
    for (const [body, code, message] of cases) {
      const res = await analyze(body);
      expect(res.statusCode, JSON.stringify(body)).toBe(400);
      expect(res.json<{ code: number }>().code, res.body).toBe(code);
      expect(res.json<{ message: string }>().message).toMatch(message);
    }
  });

  it('needs a token', async () => {
    const res = await world.t.request({ method: 'POST', url: '/v5/experiments/analyze', as: null, payload: { metrics: [] } });
    expect(res.statusCode).toBe(401);
  });

  it('lists the metrics experiments can report', async () => {
    const res = expectStatus(await world.t.request({ method: 'GET', url: '/v5/experiments/metrics', as: analyst }), 200);
    const keys = res.json<{ items: Array<{ key: string; type: string }> }>().items.map((m) => `${m.key}:${m.type}`);
    expect(keys).toEqual(expect.arrayContaining(['saves_per_user:mean', 'saved_at_least_once:proportion', 'saves_per_impression:ratio']));
  });
});
