// The demo's experiments: the two experiments the product reads, running, with a week of simulated
// traffic whose planted effect the results find (and no effect where none was planted), so that a
// newcomer's results pages show something real. The demo account administers them.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp, type TestUser } from '../support/test-app.js';
import { seedDemoExperiments, type DemoExperimentsSummary } from '../../src/experiments/demo/seed-demo-experiments.js';
import { V5_SCOPES } from '../../src/platform/http/viewer.js';
import { expectStatus } from './experiment-test-support.js';

let t: TestApp;
let demo: TestUser;
let summary: DemoExperimentsSummary;

beforeAll(async () => {
  t = await createTestApp();
  demo = await t.signUpAdmin('demo');
  summary = await seedDemoExperiments(t.container, { userId: demo.id, username: 'demo', scopes: new Set(V5_SCOPES), isAdmin: false }, []);
}, 120_000);
afterAll(async () => t.close());

interface ResultsJson {
  status: string;
  users: number[];
  srm: { mismatch: boolean };
  exposures_over_time: { unit: string; buckets: unknown[] };
  analysis: { metrics: Array<{ key: string; cuped: boolean; variations: Array<{ relative: { estimate: number; significant: boolean } | null }> }> };
}

async function results(key: string): Promise<ResultsJson> {
  return expectStatus(await t.request({ method: 'GET', url: `/v5/experiments/${key}/results`, as: demo }), 200).json<ResultsJson>();
}

describe('the demo experiments', () => {
  it('are the two product experiments, running, administered by the demo account', async () => {
    expect(summary.experiments).toEqual(['home-feed-blend-rate', 'related-pins-step-budget']);
    const evaluated = expectStatus(await t.request({ method: 'POST', url: '/v5/experiments/evaluate', as: demo, payload: {} }), 200);
    expect(Object.keys(evaluated.json<{ experiments: object }>().experiments).sort()).toEqual(summary.experiments);
  });

  it('show the planted lift on the blend rate, and none on the step budget', async () => {
    const blend = await results('home-feed-blend-rate');
    expect(blend.users.reduce((a, b) => a + b, 0)).toBe(summary.visitors);
    expect(blend.srm.mismatch).toBe(false);
    expect(blend.exposures_over_time.unit).toBe('day');
    const perImpression = blend.analysis.metrics.find((m) => m.key === 'saves_per_impression')!;
    expect(perImpression.variations[1]!.relative).toMatchObject({ significant: true });

    const steps = await results('related-pins-step-budget');
    expect(steps.srm.mismatch).toBe(false);
    const unaffected = steps.analysis.metrics.find((m) => m.key === 'saves_per_impression')!.variations[1]!.relative!;
    console.info(
      `Demo saves per impression: blend rate ${(perImpression.variations[1]!.relative!.estimate * 100).toFixed(1)}% (planted +40%), ` +
        `step budget ${(unaffected.estimate * 100).toFixed(1)}% (nothing planted, significant: ${unaffected.significant})`,
    );
    expect(unaffected.significant).toBe(false);
  });
});
