// Our engine against GrowthBook's own JavaScript SDK (@growthbook/growthbook, a dev dependency), in
// the same process: the same experiments and users must give exactly the same results (variation,
// inExperiment, hashUsed, bucket compared with Object.is), and every condition of GrowthBook's
// conformance cases must agree on many attribute sets, not only the one each case was written for.
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { GrowthBookClient, evalCondition as gbEvalCondition, type Experiment as GbExperiment } from '@growthbook/growthbook';
import { evalCondition } from '../../src/experiments/engine/condition.js';
import { runExperiment } from '../../src/experiments/engine/run.js';
import { loadGrowthbookCases } from '../../src/experiments/engine/growthbook-cases-test-support.js';
import type { Attributes, Experiment } from '../../src/experiments/engine/types.js';
import { randomExperiments, randomUsers } from '../../src/experiments/engine/random-experiments-test-support.js';

const cases = loadGrowthbookCases();

describe('engine vs GrowthBook SDK', () => {
  beforeAll(() => {
    // GrowthBook's SDK reports unknown operators on the console; the cases include some.
    vi.spyOn(console, 'error').mockImplementation(() => undefined);
  });
  afterAll(() => vi.restoreAllMocks());

  it('evaluates every fixture condition like GrowthBook on every fixture attribute set', () => {
    const attributeSets = cases.evalCondition.map(([, , attributes]) => attributes);
    let compared = 0;
    for (const [name, condition, , , savedGroups] of cases.evalCondition) {
      for (const attributes of attributeSets) {
        const ours = evalCondition(attributes, condition, savedGroups ?? {});
        const theirs = gbEvalCondition(attributes, condition as never, (savedGroups ?? {}) as never);
        if (ours !== theirs) throw new Error(`${name}: ${JSON.stringify(attributes)} -> ours ${ours}, GrowthBook ${theirs}`);
        compared += 1;
      }
    }
    expect(compared).toBe(248 * 248);
  });

  it('runs random experiments for random users exactly like GrowthBook', () => {
    const client = new GrowthBookClient({});
    const experiments = randomExperiments(200, 7);
    const users = randomUsers(150, 11);
    let compared = 0;
    let inExperiment = 0;
    for (const experiment of experiments) {
      for (const attributes of users) {
        const ours = runExperiment(experiment, { attributes });
        const theirs = client.runInlineExperiment(experiment as GbExperiment<unknown>, { attributes });
        expectSame(ours, theirs, experiment, attributes);
        compared += 1;
        if (ours.inExperiment) inExperiment += 1;
      }
    }
    expect(compared).toBe(30_000);
    // The random experiments exercise both outcomes, not only exclusions.
    expect(inExperiment).toBeGreaterThan(compared * 0.2);
    expect(inExperiment).toBeLessThan(compared * 0.9);
  });

  it('agrees on forced variations, QA mode and stopped experiments', () => {
    const client = new GrowthBookClient({});
    for (const experiment of randomExperiments(50, 3)) {
      for (const attributes of randomUsers(20, 5)) {
        const variants: Array<{ forcedVariations?: Record<string, number>; qaMode?: boolean; status?: 'stopped' | 'draft' }> = [
          { forcedVariations: { [experiment.key]: 1 } },
          { qaMode: true },
          { status: 'stopped' },
          { status: 'draft' },
        ];
        for (const variant of variants) {
          const exp = variant.status ? { ...experiment, status: variant.status } : experiment;
          const user = { attributes, forcedVariations: variant.forcedVariations, qaMode: variant.qaMode };
          const ours = runExperiment(exp, user);
          const theirs = client.runInlineExperiment(exp as GbExperiment<unknown>, user);
          expectSame(ours, theirs, exp, attributes);
        }
      }
    }
  });
});

function expectSame(ours: object, theirs: object, experiment: Experiment, attributes: Attributes): void {
  const a = ours as Record<string, unknown>;
  const b = theirs as Record<string, unknown>;
  for (const field of ['inExperiment', 'hashUsed', 'variationId', 'bucket', 'key', 'name', 'hashAttribute', 'hashValue', 'stickyBucketUsed']) {
    if (!Object.is(a[field], b[field])) {
      throw new Error(
        `${field} differs for ${JSON.stringify(experiment)} and ${JSON.stringify(attributes)}: ours ${String(a[field])}, GrowthBook ${String(b[field])}`,
      );
    }
  }
  expect(a.value).toStrictEqual(b.value);
}
