// The generator's only source of randomness. xoshiro128** (Blackman & Vigna) seeded through
// splitmix32: a published, well-studied generator that fits in a dozen lines, so it is written here
// rather than taken from a package. The same seed must give the same dataset on every machine and in
// every future version, which a dependency's minor release (or Math.random) cannot promise.
//
// Each phase draws from its own named stream (`Rng.stream(seed, 'follows')`), so changing how one
// phase draws leaves the others' data unchanged.

import { hashString, mix32 } from '../platform/hash.js';

export { hashString, mix32 };

const TWO_POW_32 = 4294967296;

function rotl(x: number, k: number): number {
  return (x << k) | (x >>> (32 - k));
}

/** Combines two 32-bit values into one well-mixed 32-bit value (for per-row streams). */
export function combine(a: number, b: number): number {
  return mix32((a ^ Math.imul(b + 0x9e3779b9, 0x85ebca6b)) >>> 0);
}

export class Rng {
  private a: number;
  private b: number;
  private c: number;
  private d: number;

  constructor(seed: number) {
    // splitmix32 expands one 32-bit seed into the 128-bit state (never all zero).
    let s = seed >>> 0;
    const next = () => {
      s = (s + 0x9e3779b9) | 0;
      let t = s ^ (s >>> 16);
      t = Math.imul(t, 0x21f0aaad);
      t ^= t >>> 15;
      t = Math.imul(t, 0x735a2d97);
      return (t ^ (t >>> 15)) >>> 0;
    };
    this.a = next();
    this.b = next();
    this.c = next();
    this.d = next();
  }

  /** An independent stream for one phase of generation. */
  static stream(seed: string, label: string): Rng {
    return new Rng(hashString(`${seed}\u0000${label}`));
  }

  uint32(): number {
    const result = Math.imul(rotl(Math.imul(this.b, 5), 7), 9) >>> 0;
    const t = this.b << 9;
    this.c ^= this.a;
    this.d ^= this.b;
    this.b ^= this.c;
    this.a ^= this.d;
    this.c ^= t;
    this.d = rotl(this.d, 11);
    return result;
  }

  /** Uniform in [0, 1). */
  float(): number {
    return this.uint32() / TWO_POW_32;
  }

  /** Uniform integer in [0, n). */
  int(n: number): number {
    return Math.floor(this.float() * n);
  }

  /** Uniform integer in [min, max]. */
  between(min: number, max: number): number {
    return min + this.int(max - min + 1);
  }

  chance(probability: number): boolean {
    return this.float() < probability;
  }

  pick<T>(items: readonly T[]): T {
    if (items.length === 0) throw new RangeError('pick from an empty list');
    return items[this.int(items.length)] as T;
  }

  /** Standard normal (Box-Muller). */
  normal(): number {
    const u = 1 - this.float();
    return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * this.float());
  }

  /** Lognormal with the given median and log-space standard deviation. */
  lognormal(median: number, sigma: number): number {
    return median * Math.exp(sigma * this.normal());
  }

  /** Pareto (power law) with scale xm and tail exponent alpha: P(X > x) = (xm / x)^alpha. */
  pareto(xm: number, alpha: number): number {
    return xm * Math.pow(1 - this.float(), -1 / alpha);
  }
}
