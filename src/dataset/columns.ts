// Helpers for the column-of-typed-arrays layout of the plan: ordering rows by time and grouping them.

type NumericColumn = Float64Array | Int32Array | Uint8Array | Uint16Array;

/** Row indexes ordered by time, ties by index (stable). */
export function timeOrder(times: Float64Array): Int32Array {
  const order = new Int32Array(times.length);
  for (let i = 0; i < order.length; i += 1) order[i] = i;
  order.sort((a, b) => (times[a] as number) - (times[b] as number) || a - b);
  return order;
}

/** column reordered so that out[i] = column[order[i]]. */
export function permute<T extends NumericColumn>(column: T, order: Int32Array): T {
  const out = column.slice() as T;
  for (let i = 0; i < order.length; i += 1) out[i] = column[order[i] as number] as number;
  return out;
}

export function permuteList<T>(items: readonly T[], order: Int32Array): T[] {
  return Array.from(order, (index) => items[index] as T);
}

/** The inverse of a permutation: where each old index went. */
export function inverse(order: Int32Array): Int32Array {
  const out = new Int32Array(order.length);
  for (let i = 0; i < order.length; i += 1) out[order[i] as number] = i;
  return out;
}

/**
 * Groups row indexes by a key column (compressed sparse rows): the rows with key k are
 * list[start[k] .. start[k + 1]), in ascending row order.
 */
export function groupBy(keys: Int32Array, keyCount: number): { start: Int32Array; list: Int32Array } {
  const start = new Int32Array(keyCount + 1);
  for (const key of keys) if (key >= 0) start[key + 1] = (start[key + 1] as number) + 1;
  for (let k = 0; k < keyCount; k += 1) start[k + 1] = (start[k + 1] as number) + (start[k] as number);
  const fill = start.slice(0, keyCount);
  const list = new Int32Array(start[keyCount] as number);
  for (let row = 0; row < keys.length; row += 1) {
    const key = keys[row] as number;
    if (key < 0) continue;
    list[fill[key] as number] = row;
    fill[key] = (fill[key] as number) + 1;
  }
  return { start, list };
}

/** Per-key counts of a key column. */
export function countBy(keys: Int32Array, keyCount: number, include?: (row: number) => boolean): Int32Array {
  const counts = new Int32Array(keyCount);
  for (let row = 0; row < keys.length; row += 1) {
    const key = keys[row] as number;
    if (key >= 0 && (!include || include(row))) counts[key] = (counts[key] as number) + 1;
  }
  return counts;
}
