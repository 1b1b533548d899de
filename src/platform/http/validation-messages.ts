// Turns Ajv's errors into the one sentence a client reads. Ajv reports a union (`string | null`,
// TypeBox's anyOf) as one error per branch followed by "must match a schema in anyOf", so reading the
// first error told a client that an over-long description "must be null". Here a union is read as a
// person would: if the value has the type of one branch, that branch's own complaint is the reason
// ("must be at most 500 characters"); if it has the type of none, the reason lists what it may be
// ("must be a string or null").
import type { ErrorObject } from 'ajv';

export interface ValidationProblem {
  /** The field as dotted path from the top of the part ('' for the part itself). */
  field: string;
  reason: string;
}

const ARTICLES: Record<string, string> = {
  string: 'a string',
  number: 'a number',
  integer: 'an integer',
  boolean: 'true or false',
  object: 'an object',
  array: 'a list',
  null: 'null',
};

const fieldOf = (error: ErrorObject): string => error.instancePath.replace(/^\//, '').replace(/\//g, '.').replace(/~1/g, '/').replace(/~0/g, '~');

function typesOf(error: ErrorObject): string[] {
  const type = (error.params as { type?: string | string[] }).type;
  if (Array.isArray(type)) return type;
  return typeof type === 'string' ? type.split(',') : [];
}

function either(options: readonly string[]): string {
  const unique = [...new Set(options)];
  if (unique.length <= 1) return unique[0] ?? 'valid';
  return `${unique.slice(0, -1).join(', ')} or ${unique.at(-1)!}`;
}

const COMPARISONS: Record<string, string> = { '<=': 'at most', '>=': 'at least', '<': 'less than', '>': 'more than' };

const characters = (count: number) => `${count} character${count === 1 ? '' : 's'}`;
const items = (count: number) => `${count} item${count === 1 ? '' : 's'}`;

/** The reason of one plain (non-union) error. */
function reasonOf(error: ErrorObject): string {
  const params = error.params as Record<string, unknown>;
  switch (error.keyword) {
    case 'type':
      return `must be ${either(typesOf(error).map((type) => ARTICLES[type] ?? type))}`;
    case 'maxLength':
      return `must be at most ${characters(params.limit as number)}`;
    case 'minLength':
      return params.limit === 1 ? 'must not be empty' : `must be at least ${characters(params.limit as number)}`;
    case 'maxItems':
      return `must have at most ${items(params.limit as number)}`;
    case 'minItems':
      return `must have at least ${items(params.limit as number)}`;
    case 'maximum':
    case 'exclusiveMaximum':
    case 'minimum':
    case 'exclusiveMinimum':
      return `must be ${COMPARISONS[String(params.comparison)] ?? String(params.comparison)} ${String(params.limit)}`;
    case 'pattern':
      return `must match the pattern ${String(params.pattern)}`;
    case 'format':
      return `must be a valid ${String(params.format)}`;
    case 'enum':
      return `must be one of ${either((params.allowedValues as unknown[]).map((value) => JSON.stringify(value)))}`;
    case 'const':
      return `must be ${JSON.stringify(params.allowedValue)}`;
    case 'required':
      return `is missing the field "${String(params.missingProperty)}"`;
    case 'additionalProperties':
      return `has an unknown field "${String(params.additionalProperty)}"`;
    default:
      return error.message ?? 'is invalid';
  }
}

const isUnion = (error: ErrorObject) => error.keyword === 'anyOf' || error.keyword === 'oneOf';

/** The first problem Ajv reported, read through unions. `errors` is one validation's list, in order. */
export function describeValidationErrors(errors: readonly ErrorObject[]): ValidationProblem | null {
  // Branch errors come before their union's own error; the outermost union comes last.
  const first = errors[0];
  const within = (error: ErrorObject) => first !== undefined && (first.instancePath === error.instancePath || first.instancePath.startsWith(`${error.instancePath}/`));
  const union = [...errors].reverse().find((error) => isUnion(error) && within(error));
  if (!union) {
    return first ? { field: fieldOf(first), reason: reasonOf(first) } : null;
  }
  const branches = new Map<string, ErrorObject[]>();
  for (const error of errors) {
    const match = error.schemaPath.startsWith(`${union.schemaPath}/`) ? /^\/(\d+)/.exec(error.schemaPath.slice(union.schemaPath.length)) : null;
    if (!match) continue;
    const list = branches.get(match[1]!) ?? [];
    list.push(error);
    branches.set(match[1]!, list);
  }
  // A branch whose complaint is not about the value's type at the union's place accepted its type.
  const typeMismatch = (error: ErrorObject) => error.instancePath === union.instancePath && (error.keyword === 'type' || error.keyword === 'const' || error.keyword === 'enum');
  for (const branchErrors of branches.values()) {
    if (!typeMismatch(branchErrors[0]!)) return describeValidationErrors(branchErrors);
  }
  const allowed = [...branches.values()].map((branchErrors) => {
    const [error] = branchErrors as [ErrorObject];
    const params = error.params as Record<string, unknown>;
    if (error.keyword === 'const') return JSON.stringify(params.allowedValue);
    if (error.keyword === 'enum') return either((params.allowedValues as unknown[]).map((value) => JSON.stringify(value)));
    return either(typesOf(error).map((type) => ARTICLES[type] ?? type));
  });
  // "a string or null" reads better than "null or a string".
  allowed.sort((a, b) => Number(a === 'null') - Number(b === 'null'));
  return { field: fieldOf(union), reason: allowed.length > 0 ? `must be ${either(allowed)}` : reasonOf(union) };
}

/** "Invalid body: description must be at most 500 characters." */
export function validationSentence(where: string, problem: ValidationProblem | null, fallback: string): string {
  if (!problem) return fallback;
  if (problem.reason.startsWith('is missing the field ')) {
    const missing = problem.reason.slice('is missing the field '.length);
    return `Invalid ${where}: missing field ${missing}${problem.field ? ` in ${problem.field}` : ''}.`;
  }
  if (problem.reason.startsWith('has an unknown field ')) {
    const unknown = problem.reason.slice('has an unknown field '.length);
    return `Invalid ${where}: unknown field ${unknown}${problem.field ? ` in ${problem.field}` : ''}.`;
  }
  return `Invalid ${where}: ${problem.field || 'value'} ${problem.reason}.`;
}
