// Hashing and bucketing, exactly as GrowthBook's SDKs do them (packages/sdk-js/src/util.ts), so the
// same user gets the same bucket here, in a browser and in a mobile app.
import type { Namespace, VariationRange } from './types.js';

/**
 * 32-bit FNV-1a over UTF-16 code units. The shift-and-add form and the JavaScript number
 * arithmetic (the running value is not truncated between steps, only the shifts are) are
 * GrowthBook's, and change the result for long strings: keep them as they are.
 */
export function fnv1a32(text: string): number {
  let hval = 0x811c9dc5;
  const length = text.length;
  for (let i = 0; i < length; i++) {
    hval ^= text.charCodeAt(i);
    hval += (hval << 1) + (hval << 4) + (hval << 7) + (hval << 8) + (hval << 24);
  }
  return hval >>> 0;
}

/**
 * A number in [0, 1) from a seed and a value. Version 2 is GrowthBook's unbiased hash (double FNV,
 * 4 decimals); version 1 the original (value then seed, 3 decimals), kept because old experiments
 * use it. Any other version answers null.
 */
export function hash(seed: string, value: string, version: number): number | null {
  if (version === 2) return (fnv1a32(String(fnv1a32(seed + value))) % 10000) / 10000;
  if (version === 1) return (fnv1a32(value + seed) % 1000) / 1000;
  return null;
}

export function getEqualWeights(count: number): number[] {
  if (count <= 0) return [];
  return new Array<number>(count).fill(1 / count);
}

export function inRange(n: number, range: VariationRange): boolean {
  return n >= range[0] && n < range[1];
}

/** Namespaces always hash with version 1 and the seed "__<name>", as GrowthBook does. */
export function inNamespace(hashValue: string, namespace: Namespace): boolean {
  const n = hash(`__${namespace[0]}`, hashValue, 1);
  if (n === null) return false;
  return n >= namespace[1] && n < namespace[2];
}

export function chooseVariation(n: number, ranges: readonly VariationRange[]): number {
  for (let i = 0; i < ranges.length; i++) {
    if (inRange(n, ranges[i]!)) return i;
  }
  return -1;
}

/**
 * Each variation's slice of [0, 1): weights laid end to end, each slice shortened to `coverage` of
 * its weight. Out-of-bounds coverage is clamped; weights of the wrong length or not summing to
 * 1 +- 0.01 fall back to equal weights (GrowthBook logs and carries on; callers that store
 * definitions validate before this point).
 */
export function getBucketRanges(
  variationCount: number,
  coverage: number | undefined,
  weights?: readonly number[] | null,
): VariationRange[] {
  let cover = coverage === undefined ? 1 : coverage;
  if (cover < 0) cover = 0;
  else if (cover > 1) cover = 1;

  const equal = getEqualWeights(variationCount);
  let chosen: readonly number[] = weights || equal;
  if (chosen.length !== variationCount) chosen = equal;
  const total = chosen.reduce((sum, w) => sum + w, 0);
  if (total < 0.99 || total > 1.01) chosen = equal;

  let cumulative = 0;
  return chosen.map((w) => {
    const start = cumulative;
    cumulative += w;
    return [start, start + cover * w] as const;
  });
}

/** GrowthBook's QA override: `?<experiment key>=<variation index>` in the URL forces a variation. */
export function getQueryStringOverride(key: string, url: string, variationCount: number): number | null {
  if (!url) return null;
  const search = url.split('?')[1];
  if (!search) return null;
  const match = search
    .replace(/#.*/, '')
    .split('&')
    .map((pair) => pair.split('=', 2))
    .filter(([name]) => name === key)
    .map(([, value]) => parseInt(value as string));
  const first = match[0];
  if (first !== undefined && first >= 0 && first < variationCount) return first;
  return null;
}
