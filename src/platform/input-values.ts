// Limits every decoded input value meets before any code reads it, whatever the door (REST bodies,
// query strings and path parameters; GraphQL variables and literals):
// - no NUL (U+0000) character in any string or object key: PostgreSQL stores no NUL in text, so such
//   a value could only fail later, as a 500, after work was done;
// - objects and lists nested at most MAX_INPUT_DEPTH levels: free-form JSON (experiment attributes,
//   conditions) is walked recursively by the code that reads it, and no input needs more than a few.

/** Deepest nesting of objects and lists in an input value. */
export const MAX_INPUT_DEPTH = 32;

export const NUL_REFUSED = 'Invalid input: text may not contain NUL (U+0000) characters.';
export const TOO_DEEP_REFUSED = `Invalid input: values may nest objects and lists at most ${MAX_INPUT_DEPTH} levels deep.`;

export interface InputProblem {
  kind: 'nul' | 'depth';
  /** Where the value is, as field names and list indexes from the top ('' for the top itself). */
  path: string;
}

/**
 * The first problem in `value`, or null. Walks with its own stack, so a value nested 100,000 levels
 * deep (as JSON allows) costs one pass and no recursion. Only plain data is walked (a Buffer body,
 * an upload's bytes, is not text).
 */
export function findInputProblem(value: unknown): InputProblem | null {
  const pending: Array<{ value: unknown; depth: number; path: string }> = [{ value, depth: 0, path: '' }];
  for (let next = pending.pop(); next; next = pending.pop()) {
    const { value: item, depth, path } = next;
    if (typeof item === 'string') {
      if (item.includes('\u0000')) return { kind: 'nul', path };
      continue;
    }
    if (item === null || typeof item !== 'object' || Buffer.isBuffer(item)) continue;
    // The top object itself is level 0: a field's own object is level 1.
    if (depth > MAX_INPUT_DEPTH) return { kind: 'depth', path };
    for (const [key, child] of Object.entries(item)) {
      const childPath = path ? `${path}.${key}` : key;
      if (key.includes('\u0000')) return { kind: 'nul', path: childPath };
      pending.push({ value: child, depth: depth + 1, path: childPath });
    }
  }
  return null;
}
