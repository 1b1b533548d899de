// JSON that keeps Dates: cached rows carry timestamps, and a cache hit must return what the database
// would have.
const DATE_TAG = '$date';

export function encode(value: unknown): string {
  return JSON.stringify(value, function replacer(this: Record<string, unknown>, key: string, item: unknown) {
    const original = this[key];
    return original instanceof Date ? { [DATE_TAG]: original.toISOString() } : item;
  });
}

export function decode<T>(text: string): T {
  return JSON.parse(text, (_key, item: unknown) => {
    if (item && typeof item === 'object' && !Array.isArray(item)) {
      const tagged = item as Record<string, unknown>;
      const keys = Object.keys(tagged);
      if (keys.length === 1 && keys[0] === DATE_TAG && typeof tagged[DATE_TAG] === 'string') return new Date(tagged[DATE_TAG]);
    }
    return item;
  }) as T;
}
