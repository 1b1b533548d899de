// fast-check arbitraries from the JSON schemas of the served OpenAPI document (the 3.0 dialect the
// app serves: type, properties, required, additionalProperties, items, enum, pattern, min/max,
// nullable, anyOf). In 'valid' mode a value is what the schema allows, with ids, usernames and keys
// drawn from the world's pool; in 'hostile' mode any part of it may be replaced by a hostile value,
// a required field dropped or an unknown one added.
import fc from 'fast-check';
import { badIds, hostileNumber, hostileString, wrongValue } from './hostile.js';
import { PoolRef, type PoolKind } from './pool.js';

export type Schema = Record<string, unknown>;
export type Mode = 'valid' | 'hostile';

const isSchema = (value: unknown): value is Schema => typeof value === 'object' && value !== null && !Array.isArray(value);

/** Field names whose values name something in the world. */
const POOL_FIELDS: Record<string, PoolKind> = {
  board_id: 'board',
  boardId: 'board',
  pin_id: 'pin',
  pinId: 'pin',
  parent_pin_id: 'pin',
  section_id: 'section',
  sectionId: 'section',
  board_section_id: 'section',
  username: 'user',
  experiment_key: 'experiment',
  bookmark: 'bookmark',
  after: 'bookmark',
  refresh_token: 'token',
};

/** A value for a field that names a pool entity: mostly a real one, sometimes one that is not. */
export function poolValue(kind: PoolKind, mode: Mode, global = false): fc.Arbitrary<unknown> {
  const real = fc.nat({ max: 1000 }).map((index) => new PoolRef(kind, index, global ? 'global' : 'plain'));
  return mode === 'valid'
    ? fc.oneof({ weight: 8, arbitrary: real }, { weight: 1, arbitrary: fc.constantFrom(...badIds) })
    : fc.oneof(real, fc.constantFrom(...badIds), hostileString, wrongValue);
}

/** A safe image_url: loopback or unparsable only, so no fuzzed request ever makes the server reach out. */
const mediaSource = fc.oneof(
  fc.record({
    source_type: fc.constant('image_url'),
    url: fc.constantFrom('http://127.0.0.1:9/a.png', 'http://localhost:9/a.png', 'http://[::1]:9/', 'file:///etc/passwd', 'not a url', 'gopher://127.0.0.1:9/'),
  }),
  fc.record({
    source_type: fc.constant('image_base64'),
    content_type: fc.constantFrom('image/png', 'image/jpeg', 'image/gif', 'image/webp', 'text/html', 'image/svg+xml'),
    // Tiny or broken images: a valid one costs a sharp decode, which the fixtures cover.
    data: fc.constantFrom('', 'AAAA', 'not base64!', 'iVBORw0KGgo=', 'R0lGODlhAQABAAAAACw=', '/9j/4AAQSkZJRg=='),
  }),
  fc.record({ source_type: fc.constantFrom('video_id', 'multiple_image_urls', 'pin_url', '', 'x'.repeat(64)) }),
);

function stringValue(schema: Schema): fc.Arbitrary<string> {
  const max = typeof schema['maxLength'] === 'number' ? schema['maxLength'] : 200;
  const min = typeof schema['minLength'] === 'number' ? schema['minLength'] : 0;
  if (typeof schema['pattern'] === 'string') {
    const pattern = new RegExp(schema['pattern']);
    return fc.stringMatching(pattern).map((s) => (s.length > max ? s.slice(0, max) : s));
  }
  const text = fc.oneof(
    { weight: 4, arbitrary: fc.string({ minLength: Math.max(min, 1), maxLength: Math.min(max, 30) }) },
    { weight: 1, arbitrary: fc.string({ unit: 'grapheme', minLength: Math.max(min, 1), maxLength: Math.min(max, 30) }) },
    // Exactly at the limit and one past it.
    { weight: 1, arbitrary: fc.constantFrom('a'.repeat(max), 'é'.repeat(max), 'a'.repeat(max + 1)) },
  );
  return text;
}

function numberValue(schema: Schema, integer: boolean): fc.Arbitrary<number> {
  const min = typeof schema['minimum'] === 'number' ? schema['minimum'] : typeof schema['exclusiveMinimum'] === 'number' ? schema['exclusiveMinimum'] : -1000;
  const max = typeof schema['maximum'] === 'number' ? schema['maximum'] : typeof schema['exclusiveMaximum'] === 'number' ? schema['exclusiveMaximum'] : 1000;
  const inRange = integer ? fc.integer({ min: Math.ceil(min), max: Math.floor(max) }) : fc.double({ min, max, noNaN: true });
  return fc.oneof({ weight: 4, arbitrary: inRange }, { weight: 1, arbitrary: fc.constantFrom(min, max, min - 1, max + 1) });
}

/** An arbitrary for one schema; `name` is the field's name (for pool fields). */
export function valueOf(schema: unknown, mode: Mode, name = ''): fc.Arbitrary<unknown> {
  const exact = exactValueOf(schema, mode, name);
  if (mode === 'valid') return exact;
  return fc.oneof({ weight: 3, arbitrary: exact }, { weight: 1, arbitrary: wrongValue }, { weight: 1, arbitrary: hostileString }, { weight: 1, arbitrary: hostileNumber });
}

function exactValueOf(schema: unknown, mode: Mode, name: string): fc.Arbitrary<unknown> {
  if (!isSchema(schema)) return fc.jsonValue({ maxDepth: 2 });
  const kind = POOL_FIELDS[name];
  if (kind) return poolValue(kind, mode);
  if (name === 'media_source') return mode === 'valid' ? mediaSource : fc.oneof(mediaSource, wrongValue);
  let arbitrary: fc.Arbitrary<unknown>;
  if (Array.isArray(schema['enum'])) {
    arbitrary = fc.constantFrom(...(schema['enum'] as unknown[]));
  } else if (Array.isArray(schema['anyOf'])) {
    arbitrary = fc.oneof(...(schema['anyOf'] as unknown[]).map((sub) => exactValueOf(sub, mode, name)));
  } else {
    switch (schema['type']) {
      case 'string':
        arbitrary = stringValue(schema);
        break;
      case 'integer':
        arbitrary = numberValue(schema, true);
        break;
      case 'number':
        arbitrary = numberValue(schema, false);
        break;
      case 'boolean':
        arbitrary = fc.boolean();
        break;
      case 'array': {
        const minItems = typeof schema['minItems'] === 'number' ? schema['minItems'] : 0;
        const maxItems = typeof schema['maxItems'] === 'number' ? schema['maxItems'] : 5;
        arbitrary = fc.array(valueOf(schema['items'], mode), { minLength: minItems, maxLength: Math.max(minItems, Math.min(maxItems, 5)) });
        break;
      }
      case 'object':
        arbitrary = objectOf(schema, mode);
        break;
      default:
        arbitrary = fc.jsonValue({ maxDepth: 2 });
    }
  }
  return schema['nullable'] === true ? fc.option(arbitrary, { freq: 6, nil: null }) : arbitrary;
}

function objectOf(schema: Schema, mode: Mode): fc.Arbitrary<Record<string, unknown>> {
  const properties = isSchema(schema['properties']) ? schema['properties'] : {};
  const required = new Set(Array.isArray(schema['required']) ? (schema['required'] as string[]) : []);
  const names = Object.keys(properties);
  const model = Object.fromEntries(names.map((name) => [name, valueOf(properties[name], mode, name)]));
  // Hostile objects may lose required fields; valid ones keep them and take optional ones by chance.
  const record = fc.record(model, { requiredKeys: mode === 'valid' ? names.filter((name) => required.has(name)) : [] });
  const extra = schema['additionalProperties'];
  const dictionary =
    isSchema(extra) && names.length === 0
      ? fc.dictionary(fc.string({ maxLength: 20 }), valueOf(extra, mode), { maxKeys: 4 })
      : fc.constant({});
  const unknown = mode === 'hostile' ? fc.dictionary(fc.constantFrom('__proto__', 'constructor', 'unknown_field', '', 'a\u0000'), wrongValue, { maxKeys: 2 }) : fc.constant({});
  return fc.tuple(record, dictionary, unknown).map(([known, more, junk]) => ({ ...more, ...junk, ...known }));
}
