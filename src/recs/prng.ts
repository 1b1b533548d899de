// The walks' only source of randomness: xoshiro128** (Blackman & Vigna) seeded through splitmix32.
// Written out because the walk loop calls it twice per step and must give the same numbers for the
// same seed on every machine (Math.random cannot be seeded).

export class WalkRng {
  private a = 0;
  private b = 0;
  private c = 0;
  private d = 0;

  constructor(seed: number) {
    this.reseed(seed);
  }

  reseed(seed: number): void {
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
    this.d = next() || 1;
  }

  /** A uniform 32-bit unsigned integer. */
  nextU32(): number {
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

  /**
   * A uniform integer in [0, n) for 1 <= n < 2^21 (node degrees): the high bits of a 32 x 21-bit
   * product, exact in a double. A remainder (%) would be a floating-point division on every step,
   * several times slower than the rest of the step.
   */
  below(n: number): number {
    return ((this.nextU32() * n) / 4294967296) | 0;
  }

  /** A uniform float in (0, 1]. */
  nextUnit(): number {
    return (this.nextU32() + 1) / 4294967296;
  }
}

function rotl(x: number, k: number): number {
  return (x << k) | (x >>> (32 - k));
}
