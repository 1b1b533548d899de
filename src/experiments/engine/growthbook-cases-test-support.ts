// GrowthBook's SDK conformance cases (test/fixtures/growthbook-sdk-cases.json, an unmodified copy;
// see test/fixtures/GROWTHBOOK.md), typed per section, and the cases this engine does not run, each
// with its reason. Every other case of the assignment sections must pass exactly.
import fs from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { Attributes, Condition, Experiment, Namespace, RunContext, SavedGroups, VariationRange } from './types.js';

export interface GrowthbookCases {
  specVersion: string;
  hash: [seed: string, value: string, version: number, expected: number | null][];
  getBucketRange: [name: string, args: [count: number, coverage: number, weights: number[] | null], expected: VariationRange[]][];
  chooseVariation: [name: string, n: number, ranges: VariationRange[], expected: number][];
  getEqualWeights: [count: number, expected: number[]][];
  inNamespace: [name: string, id: string, namespace: Namespace, expected: boolean][];
  evalCondition: [name: string, condition: Condition, attributes: Attributes, expected: boolean, savedGroups?: SavedGroups][];
  getQueryStringOverride: [name: string, key: string, url: string, count: number, expected: number | null][];
  run: [name: string, context: RunContext & { features?: unknown }, experiment: Experiment, value: unknown, inExperiment: boolean, hashUsed: boolean][];
}

const FIXTURE = fileURLToPath(new URL('../../../test/fixtures/growthbook-sdk-cases.json', import.meta.url));

export function loadGrowthbookCases(): GrowthbookCases {
  return JSON.parse(fs.readFileSync(FIXTURE, 'utf8')) as GrowthbookCases;
}

/** `run` cases out of scope, by name, with the reason. Everything else in `run` is asserted. */
export const SKIPPED_RUN_CASES: Readonly<Record<string, string>> = {
  'Prerequisite condition passes':
    'prerequisites (parentConditions) name GrowthBook feature flags, which Corkboard does not have; holdout experiments cover the product need',
  'Prerequisite condition fails':
    'prerequisites (parentConditions) name GrowthBook feature flags, which Corkboard does not have; holdout experiments cover the product need',
};

/** Rounds every number in a nested array, as GrowthBook's own tests do for these float sections. */
export function roundDeep(value: unknown, decimals: number): unknown {
  if (Array.isArray(value)) return value.map((item) => roundDeep(item, decimals));
  if (typeof value === 'number') return Number(value.toFixed(decimals));
  return value;
}
