// Values an attacker (or a broken client) sends instead of what a field expects: control characters,
// huge and odd unicode strings, numbers at and past every boundary, ids that are not ids, wrong types
// and structures nested far deeper than any input needs. Each is a fast-check arbitrary, so a run is
// reproduced from its seed.
import fc from 'fast-check';

/** Strings a text field may be sent: each one exercises a different way text goes wrong. */
export const hostileStrings = [
  '',
  ' ',
  '\u0000',
  'a\u0000b',
  '\u0000'.repeat(64),
  '\t\r\n\v\f',
  '\u0007\u001b[31m',
  '\u200b\u200e\u202e\ufeff', // zero-width, direction marks, BOM
  '\ud800', // a lone surrogate: not encodable as UTF-8
  'a\udfffb',
  '\uffff\ufffe',
  '😀👩‍👩‍👧‍👦🏳️‍🌈',
  'Z̷̢̛̖̗̀́a̸͈̓l̴̰̾g̷̟̿o̶̧͠',
  'ｆｕｌｌ ｗｉｄｔｈ',
  '𝕦𝕟𝕚𝕔𝕠𝕕𝕖',
  "' or '1'='1",
  "'; drop table pins; --",
  '" or ""="',
  '\\',
  '\\\\\\',
  '%',
  '%00',
  '%s%s%s%n',
  '${7*7}{{7*7}}',
  '<script>alert(1)</script>',
  '../../../../etc/passwd',
  '..%2f..%2f',
  '__proto__',
  'constructor',
  'prototype',
  'null',
  'undefined',
  'NaN',
  'true',
  '-1',
  '0',
  '1e309',
  '18446744073709551616',
  '9223372036854775808',
  '-9223372036854775809',
  '1.5',
  '0x10',
  '[]',
  '{}',
  'a'.repeat(256),
  'x'.repeat(5_000),
  '字'.repeat(3_000),
  '😀'.repeat(2_000),
] as const;

/** Strings that are not ids, or ids at and beyond the 64-bit edges. */
export const badIds = [
  '',
  '0',
  '1',
  '-1',
  '+1',
  ' 1',
  '1 ',
  '01',
  '1.0',
  '1e3',
  'abc',
  '9000000000000000001',
  '9223372036854775807',
  '9223372036854775808',
  '18446744073709551615',
  '18446744073709551616',
  '99999999999999999999999999999999',
  '9'.repeat(33),
  '9'.repeat(1_000),
  '1%00',
  '1%20OR%201=1',
  '%2e%2e',
  '..',
  '.',
  '%',
  '%ff',
  '%c0%ae',
  'VXNlcjox', // base64 of a GraphQL-style global id
  'Qm9hcmQ6MQ==',
  'Qm9hcmQ6OTk5OTk5OTk5OTk5OTk5OTk5OTk5OTk5OTk=',
  'Qm9hcmQ6LTE=',
  'UGluOmFiYw==',
] as const;

export const hostileNumbers = [
  0,
  -0,
  -1,
  1,
  0.5,
  -0.5,
  2 ** 31,
  2 ** 31 - 1,
  -(2 ** 31),
  2 ** 32,
  2 ** 53,
  2 ** 53 + 2,
  -(2 ** 53),
  2 ** 63,
  1e21,
  1e308,
  -1e308,
  Number.MIN_VALUE,
  Number.EPSILON,
] as const;

/** JSON text of a value nested `depth` levels deep, written by hand (JSON.stringify recurses). */
export function deepJson(depth: number, kind: 'object' | 'array'): string {
  return kind === 'object' ? `${'{"a":'.repeat(depth)}1${'}'.repeat(depth)}` : `${'['.repeat(depth)}1${']'.repeat(depth)}`;
}

/** A JSON value nested `depth` levels deep (for bodies that are built as objects). */
export function deepValue(depth: number): unknown {
  let value: unknown = 1;
  for (let i = 0; i < depth; i++) value = i % 2 === 0 ? { a: value } : [value];
  return value;
}

export const hostileString: fc.Arbitrary<string> = fc.oneof(
  { weight: 4, arbitrary: fc.constantFrom(...hostileStrings) },
  { weight: 1, arbitrary: fc.string({ unit: 'binary', maxLength: 40 }) },
  { weight: 1, arbitrary: fc.string({ unit: 'grapheme', maxLength: 40 }) },
  { weight: 1, arbitrary: fc.string({ maxLength: 40 }).map((s) => `${s}\u0000${s}`) },
);

export const hostileNumber: fc.Arbitrary<number> = fc.oneof(
  fc.constantFrom(...hostileNumbers),
  fc.integer(),
  fc.double({ noNaN: true, noDefaultInfinity: true }),
);

/** A value of the wrong type or shape for whatever field it lands in. */
export const wrongValue: fc.Arbitrary<unknown> = fc.oneof(
  fc.constant(null),
  fc.boolean(),
  hostileNumber,
  hostileString,
  fc.constant([]),
  fc.constant({}),
  fc.constantFrom(...badIds),
  fc.array(hostileString, { maxLength: 3 }),
  fc.dictionary(fc.constantFrom('__proto__', 'constructor', 'a', '', '\u0000', '$where'), hostileString, { maxKeys: 3 }),
  fc.integer({ min: 20, max: 300 }).map(deepValue),
  fc.jsonValue({ maxDepth: 3 }),
);
