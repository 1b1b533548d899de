// GrowthBook's conformance cases for running an experiment: every case of the run section except the
// ones listed, with their reason, in SKIPPED_RUN_CASES. Value, inExperiment and hashUsed must match.
import { describe, expect, it } from 'vitest';
import { runExperiment } from './run.js';
import { loadGrowthbookCases, SKIPPED_RUN_CASES } from './growthbook-cases-test-support.js';

const cases = loadGrowthbookCases();
const runnable = cases.run.filter(([name]) => !(name in SKIPPED_RUN_CASES));

describe('GrowthBook run cases', () => {
  it('skips only the listed cases, and each listed case exists', () => {
    const names = new Set(cases.run.map(([name]) => name));
    for (const name of Object.keys(SKIPPED_RUN_CASES)) expect(names.has(name)).toBe(true);
    expect(cases.run.length - runnable.length).toBe(Object.keys(SKIPPED_RUN_CASES).length);
    expect(runnable).toHaveLength(71);
  });

  it.each(runnable)('%s', (_name, context, experiment, value, inExperiment, hashUsed) => {
    const result = runExperiment(experiment, context);
    expect(result.value).toStrictEqual(value);
    expect(result.inExperiment).toBe(inExperiment);
    expect(result.hashUsed).toBe(hashUsed);
  });

  it('reports the bucket, the hash attribute and value, and the variation meta', () => {
    const result = runExperiment(
      { key: 'k', variations: ['a', 'b'], hashVersion: 2, meta: [{ key: 'control', name: 'Control' }, { key: 'treatment', name: 'T' }] },
      { attributes: { id: '1' } },
    );
    expect(result).toMatchObject({ hashAttribute: 'id', hashValue: '1', featureId: null, stickyBucketUsed: false });
    expect(result.bucket).toBeGreaterThanOrEqual(0);
    expect(result.key).toBe(result.variationId === 0 ? 'control' : 'treatment');
  });
});
