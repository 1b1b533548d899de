// Time-sortable 64-bit IDs rendered as decimal strings (Pinterest's IDs are decimal strings too).
// Layout, high to low: 41 bits of milliseconds since EPOCH_MS, 10 bits of logical shard, 12 bits of
// sequence. Sorting by ID sorts by creation time, which makes keyset pagination on the primary key
// a time order, and the shard bits leave room to split data by owner later without re-keying.

export const EPOCH_MS = Date.UTC(2020, 0, 1);
const SHARD_BITS = 10n;
const SEQUENCE_BITS = 12n;
const MAX_SEQUENCE = (1n << SEQUENCE_BITS) - 1n;
export const MAX_SHARD = (1 << Number(SHARD_BITS)) - 1;

export class IdGenerator {
  private lastMs = -1;
  private sequence = 0n;

  constructor(
    private readonly shard = 0,
    private readonly now: () => number = Date.now,
  ) {
    if (!Number.isInteger(shard) || shard < 0 || shard > MAX_SHARD) {
      throw new RangeError(`shard must be an integer in 0..${MAX_SHARD}`);
    }
  }

  next(): string {
    let ms = Math.max(this.now(), this.lastMs);
    if (ms === this.lastMs) {
      this.sequence = (this.sequence + 1n) & MAX_SEQUENCE;
      // 4096 IDs in one millisecond: borrow the next millisecond instead of waiting.
      if (this.sequence === 0n) ms += 1;
    } else {
      this.sequence = 0n;
    }
    this.lastMs = ms;
    const id =
      (BigInt(ms - EPOCH_MS) << (SHARD_BITS + SEQUENCE_BITS)) |
      (BigInt(this.shard) << SEQUENCE_BITS) |
      this.sequence;
    return id.toString();
  }
}

/** The creation time encoded in an ID. */
export function idTimestamp(id: string): Date {
  return new Date(Number(BigInt(id) >> (SHARD_BITS + SEQUENCE_BITS)) + EPOCH_MS);
}

/** An ID as it may appear in a path or body: decimal digits that fit a signed 64-bit integer. */
export function isValidId(value: string): boolean {
  return /^\d{1,19}$/.test(value) && BigInt(value) <= 9223372036854775807n;
}
