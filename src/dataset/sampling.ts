// Sampling structures sized for millions of draws: weighted picks in O(1), a growable integer list for
// preferential-attachment urns, and a set of integer pairs in flat typed arrays (a JS Set tops out at
// 2^24 entries and costs ~40 bytes per entry; this one costs 8).
import { mix32, type Rng } from './prng.js';

/** Zipf weights 1/rank^s for ranks 1..n. */
export function zipfWeights(n: number, s: number): number[] {
  return Array.from({ length: n }, (_, i) => 1 / Math.pow(i + 1, s));
}

/** Walker's alias method: O(n) to build, O(1) per weighted draw of an index. */
export class AliasTable {
  private readonly probability: Float64Array;
  private readonly alias: Int32Array;
  readonly size: number;

  constructor(weights: ArrayLike<number>) {
    const n = weights.length;
    this.size = n;
    this.probability = new Float64Array(n);
    this.alias = new Int32Array(n);
    if (n === 0) return;
    let total = 0;
    for (let i = 0; i < n; i += 1) total += weights[i] as number;
    if (!(total > 0)) throw new RangeError('alias table needs a positive total weight');
    const scaled = new Float64Array(n);
    const small: number[] = [];
    const large: number[] = [];
    for (let i = 0; i < n; i += 1) {
      scaled[i] = ((weights[i] as number) * n) / total;
      ((scaled[i] as number) < 1 ? small : large).push(i);
    }
    while (small.length > 0 && large.length > 0) {
      const less = small.pop() as number;
      const more = large.pop() as number;
      this.probability[less] = scaled[less] as number;
      this.alias[less] = more;
      scaled[more] = (scaled[more] as number) + (scaled[less] as number) - 1;
      (scaled[more] < 1 ? small : large).push(more);
    }
    for (const i of large) this.probability[i] = 1;
    for (const i of small) this.probability[i] = 1;
  }

  sample(rng: Rng): number {
    const column = rng.int(this.size);
    return rng.float() < (this.probability[column] as number) ? column : (this.alias[column] as number);
  }
}

/** An append-only list of int32 values that grows by doubling. */
export class IntList {
  private data: Int32Array;
  length = 0;

  constructor(capacity = 16) {
    this.data = new Int32Array(Math.max(1, capacity));
  }

  push(value: number): void {
    if (this.length === this.data.length) {
      const grown = new Int32Array(this.data.length * 2);
      grown.set(this.data);
      this.data = grown;
    }
    this.data[this.length] = value;
    this.length += 1;
  }

  get(index: number): number {
    return this.data[index] as number;
  }

  toArray(): Int32Array {
    return this.data.slice(0, this.length);
  }
}

/**
 * A set of (a, b) pairs of non-negative integers below 2^26 each, in one open-addressing table.
 * Used to keep one save of a pin per board and one follow per pair.
 */
export class PairSet {
  private keys: Float64Array;
  private count = 0;

  constructor(expected = 1024) {
    this.keys = new Float64Array(PairSet.capacityFor(expected));
  }

  private static capacityFor(expected: number): number {
    let capacity = 1024;
    while (capacity < expected * 2) capacity *= 2;
    return capacity;
  }

  get size(): number {
    return this.count;
  }

  /** Adds the pair; false when it was already present. */
  add(a: number, b: number): boolean {
    if (this.count * 2 >= this.keys.length) this.grow();
    return this.insert(a * 67108864 + b + 1);
  }

  has(a: number, b: number): boolean {
    const key = a * 67108864 + b + 1;
    const mask = this.keys.length - 1;
    for (let slot = PairSet.slotOf(key) & mask; ; slot = (slot + 1) & mask) {
      const stored = this.keys[slot] as number;
      if (stored === 0) return false;
      if (stored === key) return true;
    }
  }

  private insert(key: number): boolean {
    const mask = this.keys.length - 1;
    for (let slot = PairSet.slotOf(key) & mask; ; slot = (slot + 1) & mask) {
      const stored = this.keys[slot] as number;
      if (stored === key) return false;
      if (stored === 0) {
        this.keys[slot] = key;
        this.count += 1;
        return true;
      }
    }
  }

  private grow(): void {
    const old = this.keys;
    this.keys = new Float64Array(old.length * 2);
    this.count = 0;
    for (const key of old) if (key !== 0) this.insert(key);
  }

  private static slotOf(key: number): number {
    // Mix both halves of the (up to 52-bit) key so sequential pairs spread over the table.
    const low = key % 4294967296;
    const high = Math.floor(key / 4294967296);
    return mix32(low ^ mix32(high));
  }
}
