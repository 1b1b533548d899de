// IDs for generated rows, with the same layout as src/platform/ids.ts (milliseconds since EPOCH_MS,
// shard, sequence), so generated rows sort by creation time exactly like rows the server creates.
// Generated rows use their own shard: they can never collide with IDs the server hands out (shard 0),
// whatever dates the dataset covers.
import { EPOCH_MS, MAX_SHARD } from '../platform/ids.js';

const SEQUENCE_BITS = 12n;
const SHARD_BITS = BigInt(Math.log2(MAX_SHARD + 1));
const SEQUENCE_LIMIT = 1 << Number(SEQUENCE_BITS);

export const DATASET_SHARD = MAX_SHARD;

/** The ID of a row created at `ms` with the given sequence number within that millisecond. */
export function idAt(ms: number, seq: number, shard: number = DATASET_SHARD): string {
  if (seq < 0 || seq >= SEQUENCE_LIMIT) throw new RangeError(`sequence ${seq} out of range`);
  return (
    (BigInt(ms - EPOCH_MS) << (SHARD_BITS + SEQUENCE_BITS)) |
    (BigInt(shard) << SEQUENCE_BITS) |
    BigInt(seq)
  ).toString();
}

/**
 * Sequence numbers for rows whose (integer) millisecond times are already in ascending order: rows
 * sharing a millisecond are numbered 0, 1, 2... When 4096 rows share one, the time moves on a
 * millisecond (as IdGenerator does), so `times` may be adjusted in place.
 */
export function assignSequences(times: Float64Array): Uint16Array {
  const sequences = new Uint16Array(times.length);
  let lastMs = -1;
  let seq = 0;
  for (let i = 0; i < times.length; i += 1) {
    let ms = Math.max(times[i] as number, lastMs);
    if (ms === lastMs) {
      seq += 1;
      if (seq === SEQUENCE_LIMIT) {
        ms += 1;
        seq = 0;
      }
    } else {
      seq = 0;
    }
    times[i] = ms;
    sequences[i] = seq;
    lastMs = ms;
  }
  return sequences;
}
