// What every fuzzed answer must be, whatever was sent: never a 5xx (nor a GraphQL field failing as
// INTERNAL or UNAVAILABLE), never a stack trace, SQL or driver text, and every refusal in the shape a
// client can read ({code, message} for REST, errors with extensions.code for GraphQL).

export interface Finding {
  /** Index of the generated request in the run (with the seed, enough to send it again). */
  index: number;
  problem: string;
  request: string;
  status: number;
  body: string;
}

/** Text that only an internal failure puts in an answer. */
const LEAKS: ReadonlyArray<[string, RegExp]> = [
  ['stack frame', /\bat .*\.[cm]?[jt]s:\d+/],
  ['stack frame', /\bat (async )?[\w$.<>]+ \(/],
  ['source path', /node_modules|\/src\/[\w/-]+\.ts/],
  ['SQL', /\b(SELECT|INSERT INTO|UPDATE \w+ SET|DELETE FROM)\b/],
  ['PostgreSQL error', /syntax error at or near|violates|duplicate key value|invalid input syntax for|relation "|column "|out of range for type|unterminated quoted/],
  ['driver error', /\bPGlite\b|\bkysely\b|ECONNREFUSED|ECONNRESET|\bpg_\w+\(/],
  ['JavaScript error', /\b(TypeError|ReferenceError|RangeError|SyntaxError): /],
];

/** A leak found in `body` that `sent` did not itself contain (an echoed input is not a leak). */
export function leakIn(body: string, sent: string): string | null {
  for (const [name, pattern] of LEAKS) {
    const match = pattern.exec(body);
    if (match && !sent.includes(match[0])) return `${name} in the answer: "${match[0]}"`;
  }
  return null;
}

function parse(body: string): unknown {
  try {
    return JSON.parse(body) as unknown;
  } catch {
    return undefined;
  }
}

const isObject = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);

/** Problems with a REST answer (an empty list when it is fine). */
export function checkRest(status: number, body: string, sent: string): string[] {
  const problems: string[] = [];
  if (status >= 500) problems.push(`answered ${status}`);
  const leak = leakIn(body, sent);
  if (leak) problems.push(leak);
  if (status >= 400) {
    const parsed = parse(body);
    if (!isObject(parsed) || typeof parsed['code'] !== 'number' || typeof parsed['message'] !== 'string' || parsed['message'] === '') {
      problems.push(`a ${status} without {code, message}`);
    }
  }
  return problems;
}

/** Problems with a GraphQL answer. */
export function checkGraphql(status: number, body: string, sent: string): string[] {
  const problems: string[] = [];
  if (status >= 500) problems.push(`answered ${status}`);
  const leak = leakIn(body, sent);
  if (leak) problems.push(leak);
  const parsed = parse(body);
  if (!isObject(parsed)) return [...problems, `answered ${status} with a body that is not a JSON object`];
  const errors = parsed['errors'];
  if (status >= 400 && !Array.isArray(errors)) problems.push(`a ${status} without errors`);
  if (errors !== undefined && !Array.isArray(errors)) problems.push('errors is not a list');
  for (const error of Array.isArray(errors) ? errors : []) {
    const code = isObject(error) && isObject(error['extensions']) ? error['extensions']['code'] : undefined;
    if (!isObject(error) || typeof error['message'] !== 'string' || typeof code !== 'string') {
      problems.push(`an error without message and extensions.code: ${JSON.stringify(error).slice(0, 200)}`);
    } else if (code === 'INTERNAL' || code === 'UNAVAILABLE') {
      problems.push(`a field failed with ${code}${Array.isArray(error['path']) ? ` at ${error['path'].join('.')}` : ''}`);
    }
  }
  return problems;
}
