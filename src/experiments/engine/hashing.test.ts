// GrowthBook's conformance cases for hashing and bucketing: every case of the hash, getBucketRange,
// chooseVariation, getEqualWeights, inNamespace and getQueryStringOverride sections.
import { describe, expect, it } from 'vitest';
import { chooseVariation, getBucketRanges, getEqualWeights, getQueryStringOverride, hash, inNamespace } from './hashing.js';
import { loadGrowthbookCases, roundDeep } from './growthbook-cases-test-support.js';

const cases = loadGrowthbookCases();

describe('GrowthBook hash cases', () => {
  it('has the fixture this suite was written against', () => {
    expect(cases.specVersion).toBe('0.8.0');
    expect(cases.hash).toHaveLength(15);
  });

  it.each(cases.hash)('hash(%j, %j, v%i) = %j', (seed, value, version, expected) => {
    // Exact: the fixture holds the values with all their digits (3 for v1, 4 for v2).
    expect(hash(seed, value, version)).toBe(expected);
  });
});

describe('GrowthBook getBucketRange cases', () => {
  it.each(cases.getBucketRange)('%s', (_name, [count, coverage, weights], expected) => {
    // The fixture rounds (0.2 * 0.2 is 0.04000000000000001 in IEEE doubles), so compare at 6
    // decimals as GrowthBook's own test does; test/experiments compares to GrowthBook's SDK exactly.
    expect(roundDeep(getBucketRanges(count, coverage, weights), 6)).toEqual(roundDeep(expected, 6));
  });
});

describe('GrowthBook chooseVariation cases', () => {
  it.each(cases.chooseVariation)('%s', (_name, n, ranges, expected) => {
    expect(chooseVariation(n, ranges)).toBe(expected);
  });
});

describe('GrowthBook getEqualWeights cases', () => {
  it.each(cases.getEqualWeights)('getEqualWeights(%i)', (count, expected) => {
    // The fixture writes 1/3 with 8 decimals.
    expect(roundDeep(getEqualWeights(count), 8)).toEqual(expected);
  });
});

describe('GrowthBook inNamespace cases', () => {
  it.each(cases.inNamespace)('%s', (_name, id, namespace, expected) => {
    expect(inNamespace(id, namespace)).toBe(expected);
  });
});

describe('GrowthBook getQueryStringOverride cases', () => {
  it.each(cases.getQueryStringOverride)('%s', (_name, key, url, count, expected) => {
    expect(getQueryStringOverride(key, url, count)).toBe(expected);
  });
});
