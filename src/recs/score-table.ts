// A compact open-addressing hash table from node index (int >= 0) to a float score, in typed arrays:
// the walks count visits in it (the paper's visit counter) without allocating per step. Linear
// probing, power-of-two capacity, grows at half load; clear() touches only the used slots so one
// table serves many queries.

const EMPTY = -1;

export class ScoreTable {
  private keys: Int32Array;
  private values: Float64Array;
  /** Slots in use, in insertion order (for clear() and iteration). */
  private slots: Int32Array;
  private mask: number;
  size = 0;

  constructor(initialCapacity = 1024) {
    let capacity = 16;
    while (capacity < initialCapacity * 2) capacity *= 2;
    this.keys = new Int32Array(capacity).fill(EMPTY);
    this.values = new Float64Array(capacity);
    this.slots = new Int32Array(capacity >>> 1);
    this.mask = capacity - 1;
  }

  /** Adds `amount` to the key's score and returns the new score. */
  add(key: number, amount: number): number {
    let slot = Math.imul(key, 0x9e3779b1) & this.mask;
    const keys = this.keys;
    for (;;) {
      const found = keys[slot]!;
      if (found === key) return (this.values[slot]! += amount);
      if (found === EMPTY) break;
      slot = (slot + 1) & this.mask;
    }
    if (this.size >= this.slots.length) {
      this.grow();
      return this.add(key, amount);
    }
    keys[slot] = key;
    this.values[slot] = amount;
    this.slots[this.size++] = slot;
    return amount;
  }

  get(key: number): number {
    let slot = Math.imul(key, 0x9e3779b1) & this.mask;
    for (;;) {
      const found = this.keys[slot]!;
      if (found === key) return this.values[slot]!;
      if (found === EMPTY) return 0;
      slot = (slot + 1) & this.mask;
    }
  }

  /** The i-th key added since the last clear (0 <= i < size). */
  keyAt(i: number): number {
    return this.keys[this.slots[i]!]!;
  }

  valueAt(i: number): number {
    return this.values[this.slots[i]!]!;
  }

  clear(): void {
    for (let i = 0; i < this.size; i += 1) this.keys[this.slots[i]!] = EMPTY;
    this.size = 0;
  }

  private grow(): void {
    const oldKeys: number[] = [];
    const oldValues: number[] = [];
    for (let i = 0; i < this.size; i += 1) {
      oldKeys.push(this.keyAt(i));
      oldValues.push(this.valueAt(i));
    }
    const capacity = this.keys.length * 2;
    this.keys = new Int32Array(capacity).fill(EMPTY);
    this.values = new Float64Array(capacity);
    this.slots = new Int32Array(capacity >>> 1);
    this.mask = capacity - 1;
    this.size = 0;
    for (let i = 0; i < oldKeys.length; i += 1) this.add(oldKeys[i]!, oldValues[i]!);
  }
}
