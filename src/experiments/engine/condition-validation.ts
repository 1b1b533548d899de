// Checks a targeting condition before it is stored, so an admin learns at once that a condition is
// malformed instead of it silently matching nobody (GrowthBook's answer to an unknown operator or a
// broken regular expression). Returns the first problem with its path, or null.

const LOGICAL = new Set(['$or', '$nor', '$and', '$not']);
const LIST_OPERATORS = new Set(['$in', '$nin', '$ini', '$nini', '$all', '$alli']);
const VERSION_OPERATORS = new Set(['$veq', '$vne', '$vgt', '$vgte', '$vlt', '$vlte']);
const COMPARISON_OPERATORS = new Set(['$eq', '$ne', '$lt', '$lte', '$gt', '$gte']);
const TYPES = new Set(['string', 'number', 'boolean', 'array', 'object', 'null', 'undefined']);
const MAX_DEPTH = 10;

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function isOperatorObject(value: Record<string, unknown>): boolean {
  const keys = Object.keys(value);
  return keys.length > 0 && keys.every((key) => key.startsWith('$'));
}

function isScalar(value: unknown): boolean {
  return value === null || ['string', 'number', 'boolean'].includes(typeof value);
}

function checkValue(value: unknown, path: string, depth: number): string | null {
  if (depth > MAX_DEPTH) return `${path}: nested too deeply`;
  if (!isPlainObject(value) || !isOperatorObject(value)) {
    // A scalar, an array or a plain object: compared for equality.
    return null;
  }
  for (const [operator, argument] of Object.entries(value)) {
    const at = `${path}.${operator}`;
    if (COMPARISON_OPERATORS.has(operator)) {
      if (!isScalar(argument)) return `${at} takes a string, number, boolean or null`;
    } else if (VERSION_OPERATORS.has(operator)) {
      if (typeof argument !== 'string' && typeof argument !== 'number') return `${at} takes a version string`;
    } else if (LIST_OPERATORS.has(operator)) {
      if (!Array.isArray(argument)) return `${at} takes an array`;
      if (operator === '$all' || operator === '$alli') {
        for (const [index, item] of argument.entries()) {
          const problem = checkValue(item, `${at}[${index}]`, depth + 1);
          if (problem) return problem;
        }
      }
    } else if (operator === '$regex' || operator === '$regexi') {
      if (typeof argument !== 'string') return `${at} takes a regular expression string`;
      try {
        new RegExp(argument.replace(/([^\\])\//g, '$1\\/'), operator === '$regexi' ? 'i' : undefined);
      } catch {
        return `${at} is not a valid regular expression`;
      }
    } else if (operator === '$exists') {
      if (typeof argument !== 'boolean') return `${at} takes true or false`;
    } else if (operator === '$type') {
      if (typeof argument !== 'string' || !TYPES.has(argument)) return `${at} takes one of ${[...TYPES].join(', ')}`;
    } else if (operator === '$size' || operator === '$not') {
      if (operator === '$size' && !(typeof argument === 'number' || (isPlainObject(argument) && isOperatorObject(argument)))) {
        return `${at} takes a number or an operator object`;
      }
      const problem = checkValue(argument, at, depth + 1);
      if (problem) return problem;
    } else if (operator === '$elemMatch') {
      if (!isPlainObject(argument)) return `${at} takes an object`;
      const problem = isOperatorObject(argument) ? checkValue(argument, at, depth + 1) : checkCondition(argument, at, depth + 1);
      if (problem) return problem;
    } else if (operator === '$inGroup' || operator === '$notInGroup') {
      return `${at}: saved groups are not supported; list the values with $in / $nin`;
    } else {
      return `${at} is not a known operator`;
    }
  }
  return null;
}

function checkCondition(condition: Record<string, unknown>, path: string, depth: number): string | null {
  if (depth > MAX_DEPTH) return `${path}: nested too deeply`;
  for (const [key, value] of Object.entries(condition)) {
    const at = path ? `${path}.${key}` : key;
    if (LOGICAL.has(key)) {
      if (key === '$not') {
        if (!isPlainObject(value)) return `${at} takes a condition object`;
        const problem = checkCondition(value, at, depth + 1);
        if (problem) return problem;
        continue;
      }
      if (!Array.isArray(value)) return `${at} takes an array of conditions`;
      for (const [index, item] of value.entries()) {
        if (!isPlainObject(item)) return `${at}[${index}] must be a condition object`;
        const problem = checkCondition(item, `${at}[${index}]`, depth + 1);
        if (problem) return problem;
      }
    } else if (key.startsWith('$')) {
      return key === '$savedGroup' ? `${at}: saved groups are not supported` : `${at} is not a known operator here`;
    } else if (key === '') {
      return 'an attribute name is empty';
    } else {
      const problem = checkValue(value, at, depth + 1);
      if (problem) return problem;
    }
  }
  return null;
}

/** The first problem of a condition, described with its path, or null when it is well formed. */
export function conditionProblem(condition: unknown): string | null {
  if (!isPlainObject(condition)) return 'the condition must be an object';
  return checkCondition(condition, '', 0);
}
