// GrowthBook's targeting condition language (a MongoDB-like query over user attributes), evaluated
// exactly as GrowthBook's SDK does (packages/sdk-js/src/mongrule.ts): same operators, the same
// JavaScript coercions ("1" equals 1 for a plain number condition, comparisons between mixed types),
// the same answers for malformed input. Several of those coercions look odd; they are deliberate,
// because a condition must target the same users here as in GrowthBook's SDKs.
import type { Attributes, Condition, SavedGroups } from './types.js';

// Comparisons below rely on JavaScript's own coercion rules (`<` between a string and a number,
// `includes` with SameValueZero), so values travel as `Loose`, which the type checker lets through.
type Loose = string & number;

// Compiled regular expressions, bounded: definitions come from the database, but attribute-supplied
// patterns must not grow memory without end.
const REGEX_CACHE_LIMIT = 1000;
const regexCache = new Map<string, RegExp>();

function getRegex(pattern: string, insensitive: boolean): RegExp {
  const cacheKey = `${pattern}${insensitive ? '/i' : ''}`;
  let regex = regexCache.get(cacheKey);
  if (!regex) {
    regex = new RegExp(pattern.replace(/([^\\])\//g, '$1\\/'), insensitive ? 'i' : undefined);
    if (regexCache.size >= REGEX_CACHE_LIMIT) regexCache.clear();
    regexCache.set(cacheKey, regex);
  }
  return regex;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null;
}

/** The value at a dot-separated path, or null when any step is missing. */
function getPath(obj: unknown, path: string): unknown {
  const parts = path.split('.');
  let current: unknown = obj;
  for (const part of parts) {
    if (isObject(current) && part in current) current = current[part];
    else return null;
  }
  return current;
}

/** True when every key starts with "$" (and there is at least one). */
function isOperatorObject(value: Record<string, unknown>): boolean {
  const keys = Object.keys(value);
  return keys.length > 0 && keys.every((key) => key[0] === '$');
}

function getType(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'array';
  const type = typeof value;
  return ['string', 'number', 'boolean', 'object', 'undefined'].includes(type) ? type : 'unknown';
}

/**
 * A version as a string that compares correctly with `<`: "v1.2.3-rc.1+build" -> numeric parts
 * left-padded to 5, pre-release parts kept, and "~" (sorting after letters) appended to a release
 * so that 1.0.0 > 1.0.0-beta.
 */
export function paddedVersionString(input: unknown): string {
  const raw = typeof input === 'number' ? String(input) : input;
  const text = raw && typeof raw === 'string' ? raw : '0';
  const parts = text.replace(/(^v|\+.*$)/g, '').split(/[-.]/);
  if (parts.length === 3) parts.push('~');
  return parts.map((part) => (/^[0-9]+$/.test(part) ? part.padStart(5, ' ') : part)).join('-');
}

function caseFold(value: unknown): unknown {
  return typeof value === 'string' ? value.toLowerCase() : value;
}

function isIn(actual: unknown, expected: readonly unknown[], insensitive = false): boolean {
  if (insensitive) {
    if (Array.isArray(actual)) {
      return actual.some((element) => expected.some((candidate) => caseFold(element) === caseFold(candidate)));
    }
    return expected.some((candidate) => caseFold(actual) === caseFold(candidate));
  }
  // An array attribute matches when any of its elements is listed.
  if (Array.isArray(actual)) return actual.some((element) => expected.includes(element));
  return expected.includes(actual);
}

/**
 * The values of a saved group used by $inGroup / $notInGroup: a bare array (v1) or a
 * {type: 'list', values} entry; an unknown id is an empty list; anything else is null (matches nobody).
 */
function savedGroupValues(entry: unknown): readonly unknown[] | null {
  if (entry === undefined) return [];
  if (Array.isArray(entry)) return entry as readonly unknown[];
  if (isObject(entry) && entry.type === 'list') return Array.isArray(entry.values) ? (entry.values as readonly unknown[]) : null;
  return null;
}

function evalSavedGroup(obj: Attributes, reference: unknown, groups: SavedGroups, visited: Set<string>): boolean {
  if (!isObject(reference) || Array.isArray(reference)) return false;
  const { id, attributeKey } = reference;
  if (typeof id !== 'string' || visited.has(id)) return false;
  if (attributeKey !== undefined && typeof attributeKey !== 'string') return false;
  const entry = groups[id];
  if (!isObject(entry) || Array.isArray(entry)) return false;
  const next = new Set(visited).add(id);
  if (entry.type === 'list') {
    const key = attributeKey ?? entry.attributeKey;
    if (typeof key !== 'string' || !Array.isArray(entry.values)) return false;
    return isIn(getPath(obj, key), entry.values as unknown[]);
  }
  if (entry.type === 'condition') {
    if (!isObject(entry.condition)) return false;
    return evalCondition(obj, entry.condition, groups, next);
  }
  return false;
}

function elemMatch(actual: unknown, expected: unknown, groups: SavedGroups, visited: Set<string>): boolean {
  if (!Array.isArray(actual)) return false;
  const operator = isObject(expected) && isOperatorObject(expected);
  for (const element of actual as unknown[]) {
    // Only nullish elements are skipped: 0, "" and false are tested.
    if (element === null || element === undefined) continue;
    const passes = operator
      ? evalConditionValue(expected, element, groups, false, visited)
      : evalCondition(element as Attributes, expected as Condition, groups, visited);
    if (passes) return true;
  }
  return false;
}

function isInAll(
  actual: unknown,
  expected: readonly unknown[],
  groups: SavedGroups,
  insensitive: boolean,
  visited: Set<string>,
): boolean {
  if (!Array.isArray(actual)) return false;
  for (const wanted of expected) {
    if (!(actual as unknown[]).some((element) => evalConditionValue(wanted, element, groups, insensitive, visited))) {
      return false;
    }
  }
  return true;
}

function evalOperator(operator: string, actual: unknown, expected: unknown, groups: SavedGroups, visited: Set<string>): boolean {
  const a = actual as Loose;
  const e = expected as Loose;
  switch (operator) {
    case '$veq':
      return paddedVersionString(actual) === paddedVersionString(expected);
    case '$vne':
      return paddedVersionString(actual) !== paddedVersionString(expected);
    case '$vgt':
      return paddedVersionString(actual) > paddedVersionString(expected);
    case '$vgte':
      return paddedVersionString(actual) >= paddedVersionString(expected);
    case '$vlt':
      return paddedVersionString(actual) < paddedVersionString(expected);
    case '$vlte':
      return paddedVersionString(actual) <= paddedVersionString(expected);
    case '$eq':
      return actual === expected;
    case '$ne':
      return actual !== expected;
    case '$lt':
      return a < e;
    case '$lte':
      return a <= e;
    case '$gt':
      return a > e;
    case '$gte':
      return a >= e;
    case '$exists':
      // Loose (==) null checks, so that undefined counts as missing too.
      return expected ? actual !== null && actual !== undefined : actual === null || actual === undefined;
    case '$in':
      return Array.isArray(expected) && isIn(actual, expected);
    case '$ini':
      return Array.isArray(expected) && isIn(actual, expected, true);
    case '$nin':
      return Array.isArray(expected) && !isIn(actual, expected);
    case '$nini':
      return Array.isArray(expected) && !isIn(actual, expected, true);
    case '$inGroup': {
      const values = savedGroupValues(groups[String(expected)]);
      return values !== null && isIn(actual, values);
    }
    case '$notInGroup': {
      const values = savedGroupValues(groups[String(expected)]);
      return values !== null && !isIn(actual, values);
    }
    case '$not':
      return !evalConditionValue(expected, actual, groups, false, visited);
    case '$size':
      return Array.isArray(actual) && evalConditionValue(expected, actual.length, groups, false, visited);
    case '$elemMatch':
      return elemMatch(actual, expected, groups, visited);
    case '$all':
      return Array.isArray(expected) && isInAll(actual, expected, groups, false, visited);
    case '$alli':
      return Array.isArray(expected) && isInAll(actual, expected, groups, true, visited);
    case '$regex':
    case '$regexi':
      try {
        return getRegex(e, operator === '$regexi').test(a);
      } catch {
        return false;
      }
    case '$type':
      return getType(actual) === expected;
    default:
      // An operator this engine does not know matches nobody.
      return false;
  }
}

function evalConditionValue(
  condition: unknown,
  value: unknown,
  groups: SavedGroups,
  insensitive = false,
  visited: Set<string> = new Set(),
): boolean {
  if (typeof condition === 'string') {
    if (insensitive) return String(value).toLowerCase() === condition.toLowerCase();
    return String(value) === condition;
  }
  if (typeof condition === 'number') return Number(value) === condition;
  if (typeof condition === 'boolean') return value !== null && !!value === condition;
  if (condition === null) return value === null;
  if (Array.isArray(condition) || !isObject(condition) || !isOperatorObject(condition)) {
    return JSON.stringify(value) === JSON.stringify(condition);
  }
  for (const operator in condition) {
    if (!evalOperator(operator, value, condition[operator], groups, visited)) return false;
  }
  return true;
}

// $or / $and take their argument as GrowthBook does: as something with a length and indexes. A
// non-array argument has no length, which makes $or pass and $and pass (GrowthBook's answer).
function evalOr(obj: Attributes, conditions: ArrayLike<Condition>, groups: SavedGroups, visited: Set<string>): boolean {
  if (!conditions.length) return true;
  for (let i = 0; i < conditions.length; i++) {
    if (evalCondition(obj, conditions[i]!, groups, visited)) return true;
  }
  return false;
}

function evalAnd(obj: Attributes, conditions: ArrayLike<Condition>, groups: SavedGroups, visited: Set<string>): boolean {
  for (let i = 0; i < conditions.length; i++) {
    if (!evalCondition(obj, conditions[i]!, groups, visited)) return false;
  }
  return true;
}

/** Whether `obj` (user attributes) satisfies `condition`; `savedGroups` resolves $inGroup and $savedGroup. */
export function evalCondition(
  obj: Attributes,
  condition: Condition,
  savedGroups: SavedGroups = {},
  visited: Set<string> = new Set(),
): boolean {
  for (const key in condition) {
    const value = condition[key];
    switch (key) {
      case '$or':
        if (!evalOr(obj, value as ArrayLike<Condition>, savedGroups, visited)) return false;
        break;
      case '$nor':
        if (evalOr(obj, value as ArrayLike<Condition>, savedGroups, visited)) return false;
        break;
      case '$and':
        if (!evalAnd(obj, value as ArrayLike<Condition>, savedGroups, visited)) return false;
        break;
      case '$not':
        if (evalCondition(obj, value as Condition, savedGroups, visited)) return false;
        break;
      case '$savedGroup':
        if (!evalSavedGroup(obj, value, savedGroups, visited)) return false;
        break;
      default:
        if (!evalConditionValue(value, getPath(obj, key), savedGroups, false, visited)) return false;
    }
  }
  return true;
}
