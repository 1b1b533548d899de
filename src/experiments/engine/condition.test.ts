// GrowthBook's conformance cases for the condition language: every case of evalCondition (operators,
// version comparisons, saved groups, type coercions and malformed conditions).
import { describe, expect, it } from 'vitest';
import { evalCondition, paddedVersionString } from './condition.js';
import { loadGrowthbookCases } from './growthbook-cases-test-support.js';

const cases = loadGrowthbookCases();

describe('GrowthBook evalCondition cases', () => {
  it('runs all of them', () => {
    expect(cases.evalCondition).toHaveLength(248);
  });

  it.each(cases.evalCondition)('%s', (_name, condition, attributes, expected, savedGroups) => {
    expect(evalCondition(attributes, condition, savedGroups ?? {})).toBe(expected);
  });
});

describe('paddedVersionString', () => {
  it('orders releases after their pre-releases and numbers numerically', () => {
    expect(paddedVersionString('1.0.0') > paddedVersionString('1.0.0-beta')).toBe(true);
    expect(paddedVersionString('v1.10.0') > paddedVersionString('1.9.9')).toBe(true);
    expect(paddedVersionString(null)).toBe(paddedVersionString('0'));
  });
});
