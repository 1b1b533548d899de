// Dense node numbers for 64-bit decimal ids (pins, boards), without a JavaScript object per id: an id
// is split into high and low decimal halves (id = high * 1e9 + low, both exact as doubles) kept in
// typed arrays, with an open-addressing index over them. About 12 bytes per id plus the index,
// against ~100 bytes per entry for a Map of strings.

const BILLION = 1_000_000_000;
const EMPTY = -1;

/** The two exact halves of a decimal id string of up to 19 digits. */
export function splitId(id: string): [high: number, low: number] {
  if (id.length <= 9) return [0, Number(id)];
  return [Number(id.slice(0, -9)), Number(id.slice(-9))];
}

export class IdTable {
  private highs: Float64Array;
  private lows: Int32Array;
  private index: Int32Array;
  private mask: number;
  size = 0;

  constructor(expected = 1024) {
    let capacity = 16;
    while (capacity < expected * 2) capacity *= 2;
    this.index = new Int32Array(capacity).fill(EMPTY);
    this.mask = capacity - 1;
    this.highs = new Float64Array(Math.max(16, expected));
    this.lows = new Int32Array(Math.max(16, expected));
  }

  /** The id's number, or -1. */
  get(id: string): number {
    const [high, low] = splitId(id);
    return this.find(high, low);
  }

  /** The id's number, giving it the next free one when new. */
  intern(id: string): number {
    const [high, low] = splitId(id);
    return this.internParts(high, low);
  }

  internParts(high: number, low: number): number {
    const found = this.find(high, low);
    if (found !== EMPTY) return found;
    if (this.size * 2 >= this.index.length) this.rehash(this.index.length * 2);
    if (this.size >= this.highs.length) {
      const highs = new Float64Array(this.highs.length * 2);
      highs.set(this.highs);
      this.highs = highs;
      const lows = new Int32Array(this.lows.length * 2);
      lows.set(this.lows);
      this.lows = lows;
    }
    const number = this.size++;
    this.highs[number] = high;
    this.lows[number] = low;
    this.place(number);
    return number;
  }

  /** The decimal id of a number given out by intern(). */
  idOf(number: number): string {
    const high = this.highs[number]!;
    const low = this.lows[number]!;
    return high === 0 ? String(low) : `${high}${String(low).padStart(9, '0')}`;
  }

  /** Bytes held by the table's arrays. */
  get byteLength(): number {
    return this.highs.byteLength + this.lows.byteLength + this.index.byteLength;
  }

  private find(high: number, low: number): number {
    let slot = hashOf(high, low) & this.mask;
    for (;;) {
      const number = this.index[slot]!;
      if (number === EMPTY) return EMPTY;
      if (this.lows[number] === low && this.highs[number] === high) return number;
      slot = (slot + 1) & this.mask;
    }
  }

  private place(number: number): void {
    let slot = hashOf(this.highs[number]!, this.lows[number]!) & this.mask;
    while (this.index[slot] !== EMPTY) slot = (slot + 1) & this.mask;
    this.index[slot] = number;
  }

  private rehash(capacity: number): void {
    this.index = new Int32Array(capacity).fill(EMPTY);
    this.mask = capacity - 1;
    for (let number = 0; number < this.size; number += 1) this.place(number);
  }
}

function hashOf(high: number, low: number): number {
  const h = Math.imul(low ^ Math.imul((high % BILLION) | 0, 0x85ebca6b), 0x9e3779b1);
  return h ^ (h >>> 15);
}

/**
 * An IdTable seen through the graph's node numbering (the snapshot numbers nodes by degree): ids in,
 * node numbers out, and back. Ids interned after the snapshot was built keep their table number,
 * which is past the snapshot's nodes, as new nodes are.
 */
export class NodeIds {
  constructor(
    private readonly table: IdTable,
    /** Table number -> node, for the numbers the snapshot knows. */
    private readonly rank: Int32Array,
    /** Node -> table number. */
    private readonly order: Int32Array,
  ) {}

  get size(): number {
    return this.table.size;
  }

  get byteLength(): number {
    return this.table.byteLength + this.rank.byteLength + this.order.byteLength;
  }

  /** The id's node, or -1. */
  get(id: string): number {
    return this.nodeOf(this.table.get(id));
  }

  /** The id's node, giving it a new one when it is new. */
  intern(id: string): number {
    return this.nodeOf(this.table.intern(id));
  }

  idOf(node: number): string {
    return this.table.idOf(node < this.order.length ? this.order[node]! : node);
  }

  private nodeOf(number: number): number {
    return number < 0 ? -1 : number < this.rank.length ? this.rank[number]! : number;
  }
}
