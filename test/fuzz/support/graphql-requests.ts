// Generated GraphQL requests from schema.graphql: queries (one or two root fields under aliases) and
// mutations with arguments drawn from their input types (the world's ids as v5 or global ids, hostile
// strings, numbers past Int's range, unknown enum values, deep JSON), passed inline or as variables,
// each selecting a random subset of the result's fields a few levels down; plus hostile documents
// (garbage, deep nesting, alias and directive floods, fragment cycles, subscriptions) and requests in
// shapes the endpoint does not take.
import fc from 'fast-check';
import {
  buildSchema,
  getNamedType,
  isEnumType,
  isInputObjectType,
  isInterfaceType,
  isListType,
  isNonNullType,
  isObjectType,
  isScalarType,
  isUnionType,
  type GraphQLField,
  type GraphQLInputType,
  type GraphQLNamedType,
  type GraphQLOutputType,
  type GraphQLSchema,
} from 'graphql/index.js';
import { badIds, deepValue, hostileNumber, hostileString, wrongValue } from './hostile.js';
import { PoolRef, type Pool, type PoolKind } from './pool.js';
import type { Identity } from './rest-requests.js';
import type { Mode } from './schema-arbitrary.js';

export interface GraphqlCase {
  identity: Identity;
  mode: Mode;
  transport: 'post' | 'get' | 'post-text' | 'post-batch' | 'post-form';
  /** The document as parts: a generated operation (printed once pool ids are known) or fixed text. */
  operation: GeneratedOperation | { text: string; variables?: unknown };
}

interface GeneratedOperation {
  kind: 'query' | 'mutation';
  fields: Array<{ name: string; args: GeneratedArgument[]; selection: string }>;
}

interface GeneratedArgument {
  name: string;
  type: string;
  value: unknown;
  inline: boolean;
}

export function loadSchema(sdl: string): GraphQLSchema {
  return buildSchema(sdl);
}

/** Which pool an ID argument names, from the field it belongs to. */
function idKind(fieldName: string, argName: string): PoolKind | 'any' {
  if (/^board|Board/.test(argName) || /Board$|^board$/.test(fieldName)) return argName === 'sectionId' ? 'section' : 'board';
  if (argName === 'sectionId' || argName === 'boardSectionId') return 'section';
  if (/pin|Pin/.test(argName) || /Pin$|^pin$|relatedPins/.test(fieldName)) return 'pin';
  return 'any';
}

function idValue(kind: PoolKind | 'any', mode: Mode): fc.Arbitrary<unknown> {
  const kinds: PoolKind[] = kind === 'any' ? ['board', 'pin', 'section', 'user'] : [kind];
  const real = fc.tuple(fc.constantFrom(...kinds), fc.nat({ max: 1000 }), fc.constantFrom<'plain' | 'global'>('plain', 'global')).map(([k, index, form]) => new PoolRef(k, index, form));
  return mode === 'valid' ? fc.oneof({ weight: 8, arbitrary: real }, { weight: 1, arbitrary: fc.constantFrom(...badIds) }) : fc.oneof(real, fc.constantFrom(...badIds), hostileString);
}

const SAFE_URLS = ['http://127.0.0.1:9/a.png', 'http://localhost:9/a.png', 'http://[::1]:9/', 'file:///etc/passwd', 'not a url'];

function stringValue(fieldName: string, argName: string, mode: Mode): fc.Arbitrary<unknown> {
  // Never a URL the server could fetch from elsewhere: only loopback and unparsable ones.
  if (argName === 'url') return fc.constantFrom(...SAFE_URLS);
  if (argName === 'username') return fc.oneof(fc.nat({ max: 1000 }).map((i) => new PoolRef('user', i)), mode === 'valid' ? fc.constant('nobody') : hostileString);
  if (argName === 'key' || argName === 'experimentKey') return fc.oneof(fc.nat({ max: 1000 }).map((i) => new PoolRef('experiment', i)), fc.stringMatching(/^[a-z0-9][a-z0-9._-]{0,20}$/));
  if (argName === 'after') return fc.oneof(fc.nat({ max: 1000 }).map((i) => new PoolRef('bookmark', i)), fc.constantFrom(...badIds));
  if (argName === 'sourceType') return fc.constantFrom('image_url', 'image_base64', 'video_id', '');
  if (argName === 'contentType') return fc.constantFrom('image/png', 'image/jpeg', 'text/html');
  if (argName === 'data') return fc.constantFrom('', 'AAAA', 'not base64!', 'iVBORw0KGgo=');
  const text = fc.oneof({ weight: 4, arbitrary: fc.string({ minLength: 1, maxLength: 30 }) }, { weight: 1, arbitrary: fc.string({ unit: 'grapheme', maxLength: 30 }) });
  return mode === 'valid' ? text : fc.oneof(text, hostileString);
}

function inputValue(type: GraphQLInputType, fieldName: string, argName: string, mode: Mode, depth = 0): fc.Arbitrary<unknown> {
  if (isNonNullType(type)) {
    const inner = inputValue(type.ofType, fieldName, argName, mode, depth);
    return mode === 'valid' ? inner : fc.oneof({ weight: 6, arbitrary: inner }, { weight: 1, arbitrary: fc.constant(null) });
  }
  if (isListType(type)) {
    const items = fc.array(inputValue(type.ofType, fieldName, argName, mode, depth + 1), { maxLength: depth > 1 ? 1 : 3 });
    return mode === 'valid' ? items : fc.oneof(items, inputValue(type.ofType, fieldName, argName, mode, depth + 1));
  }
  let exact: fc.Arbitrary<unknown>;
  if (isEnumType(type)) {
    const values = type.getValues().map((v) => new EnumLiteral(v.name));
    exact = fc.constantFrom(...values);
    if (mode === 'hostile') exact = fc.oneof(exact, fc.constant(new EnumLiteral('NOT_A_VALUE')), fc.constant('PUBLIC'));
    return exact;
  }
  if (isInputObjectType(type)) {
    const fields = type.getFields();
    const model = Object.fromEntries(Object.values(fields).map((f) => [f.name, inputValue(f.type, fieldName, f.name, mode, depth + 1)]));
    const required = Object.values(fields).filter((f) => isNonNullType(f.type)).map((f) => f.name);
    const record = fc.record(model, { requiredKeys: mode === 'valid' ? required : [] });
    return mode === 'valid' ? record : fc.tuple(record, fc.dictionary(fc.constantFrom('unknownField', '__proto__'), wrongValue, { maxKeys: 1 })).map(([known, junk]) => ({ ...junk, ...known }));
  }
  if (isScalarType(type)) {
    switch (type.name) {
      case 'ID':
        exact = idValue(idKind(fieldName, argName), mode);
        break;
      case 'String':
        exact = stringValue(fieldName, argName, mode);
        break;
      case 'Int':
        exact = argName === 'first' ? fc.oneof(fc.integer({ min: 0, max: 30 }), fc.constantFrom(-1, 250, 251, 10_000)) : fc.integer({ min: -5, max: 1000 });
        if (mode === 'hostile') exact = fc.oneof(exact, fc.constantFrom(2 ** 31, -(2 ** 31) - 1, 2 ** 53, 1.5), hostileNumber);
        break;
      case 'Float':
        exact = mode === 'valid' ? fc.double({ min: -10, max: 1000, noNaN: true }) : fc.oneof(fc.double({ noNaN: true, noDefaultInfinity: true }), hostileNumber);
        break;
      case 'Boolean':
        exact = fc.boolean();
        break;
      default:
        // JSON (attributes, conditions, variation values): any JSON, deep JSON in hostile mode.
        exact = fc.oneof(fc.jsonValue({ maxDepth: 3 }), fc.dictionary(fc.constantFrom('id', 'country', 'plan', 'age'), fc.oneof(fc.string({ maxLength: 10 }), fc.integer())));
        if (mode === 'hostile') exact = fc.oneof(exact, fc.integer({ min: 20, max: 200 }).map(deepValue), wrongValue);
    }
    return mode === 'valid' ? exact : fc.oneof({ weight: 4, arbitrary: exact }, { weight: 1, arbitrary: wrongValue });
  }
  return fc.constant(null);
}

/** An enum value written bare in a document (a string variable carries its name). */
export class EnumLiteral {
  constructor(readonly name: string) {}
  toJSON(): string {
    return this.name;
  }
}

function fieldsOf(type: GraphQLNamedType): Array<GraphQLField<unknown, unknown>> {
  return isObjectType(type) || isInterfaceType(type) ? Object.values(type.getFields()) : [];
}

/** A selection set for `type`, `depth` levels deep at most (an empty string for leaf types). */
function selection(schema: GraphQLSchema, type: GraphQLOutputType, depth: number): fc.Arbitrary<string> {
  const named = getNamedType(type);
  if (isScalarType(named) || isEnumType(named)) return fc.constant('');
  if (isUnionType(named) || isInterfaceType(named)) {
    const members = isUnionType(named) ? named.getTypes() : schema.getPossibleTypes(named);
    const ownFields = isInterfaceType(named) ? fieldSelection(schema, named, depth) : fc.constant('');
    return fc.tuple(ownFields, fc.subarray([...members], { maxLength: 2 })).chain(([own, picked]) =>
      fc.tuple(...picked.map((member) => fieldSelection(schema, member, depth))).map((parts) => `{ __typename ${own.slice(1, -1)} ${parts.map((part, i) => `... on ${picked[i]!.name} ${part}`).join(' ')} }`),
    );
  }
  return fieldSelection(schema, named, depth);
}

function fieldSelection(schema: GraphQLSchema, type: GraphQLNamedType, depth: number): fc.Arbitrary<string> {
  const candidates = fieldsOf(type).filter((field) => {
    if (field.args.some((arg) => isNonNullType(arg.type))) return false;
    const named = getNamedType(field.type);
    return depth > 0 || isScalarType(named) || isEnumType(named);
  });
  if (candidates.length === 0) return fc.constant('{ __typename }');
  return fc
    .subarray(candidates, { minLength: 1, maxLength: Math.min(4, candidates.length) })
    .chain((picked) => fc.tuple(...picked.map((field) => selection(schema, field.type, depth - 1))).map((subs) => `{ ${picked.map((field, i) => `${field.name} ${subs[i]}`).join(' ')} }`));
}

function rootField(schema: GraphQLSchema, field: GraphQLField<unknown, unknown>, mode: Mode): fc.Arbitrary<GeneratedOperation['fields'][number]> {
  const args = field.args.map((arg) =>
    fc.record({
      name: fc.constant(arg.name),
      type: mode === 'valid' ? fc.constant(String(arg.type)) : fc.constantFrom(String(arg.type), String(arg.type), 'String', 'Int!', '[ID]'),
      value: inputValue(arg.type, field.name, arg.name, mode),
      inline: fc.boolean(),
      present: isNonNullType(arg.type) && mode === 'valid' ? fc.constant(true) : fc.boolean(),
    }),
  );
  return fc.record({
    name: fc.constant(field.name),
    args: fc.tuple(...args).map((list) => list.filter((arg) => arg.present).map(({ present: _present, ...arg }) => arg)),
    selection: selection(schema, field.type, 2),
  });
}

function generatedOperation(schema: GraphQLSchema, mode: Mode): fc.Arbitrary<GeneratedOperation> {
  const queries = Object.values(schema.getQueryType()!.getFields());
  const mutations = Object.values(schema.getMutationType()!.getFields());
  const query = fc.array(fc.constantFrom(...queries).chain((field) => rootField(schema, field, mode)), { minLength: 1, maxLength: 2 }).map((fields) => ({ kind: 'query' as const, fields }));
  const mutation = fc.constantFrom(...mutations).chain((field) => rootField(schema, field, mode)).map((field) => ({ kind: 'mutation' as const, fields: [field] }));
  return fc.oneof(query, mutation);
}

/** Documents no client should send: each one is a way a GraphQL server is made to work or fail. */
const hostileDocument: fc.Arbitrary<{ text: string; variables?: unknown }> = fc.oneof(
  fc.string({ maxLength: 200 }).map((text) => ({ text })),
  fc.string({ unit: 'binary', maxLength: 200 }).map((text) => ({ text })),
  fc.integer({ min: 10, max: 3_000 }).map((n) => ({ text: `{ ${'viewer { user { '.repeat(n)}${'} } '.repeat(n)}}` })),
  fc.integer({ min: 10, max: 2_000 }).map((n) => ({ text: `{ ${Array.from({ length: n }, (_, i) => `a${i}: viewer { __typename }`).join(' ')} }` })),
  fc.integer({ min: 10, max: 2_000 }).map((n) => ({ text: `{ viewer ${'@include(if: true) '.repeat(n)}{ __typename } }` })),
  fc.integer({ min: 2, max: 40 }).map((n) => ({
    text: `query Q { ...F0 } ${Array.from({ length: n }, (_, i) => `fragment F${i} on Query { ${i === n - 1 ? '__typename' : `...F${i + 1} ...F${i + 1}`} }`).join(' ')}`,
  })),
  fc.constant({ text: 'query Q { ...A } fragment A on Query { ...B } fragment B on Query { ...A }' }),
  fc.constant({ text: 'subscription { viewer { __typename } }' }),
  fc.constant({ text: '{ __schema { types { name fields { name args { name } } } } }' }),
  fc.constant({ text: '{ __type(name: "Pin") { name fields { name } } }' }),
  fc.constant({ text: 'query A { viewer { __typename } } query B { viewer { __typename } }' }),
  fc.constant({ text: '{ searchPins(query: "unterminated) { edges { cursor } } }' }),
  fc.constant({ text: `{ searchPins(query: "${'x'.repeat(100_000)}") { edges { cursor } } }` }),
  fc.constant({ text: `{ ${'x'.repeat(50_000)} }` }),
  fc.constant({ text: '' }),
  fc.tuple(fc.constantFrom('query Q($a: JSON) { experimentAssignments(attributes: $a) { experimentKey } }', 'query Q($id: ID!) { node(id: $id) { id } }', 'query Q($q: String!) { searchPins(query: $q) { edges { cursor } } }'), wrongValue).map(([text, value]) => ({ text, variables: { a: value, id: value, q: value } })),
  wrongValue.map((variables) => ({ text: 'query Q($q: String) { searchBoards(query: $q) { edges { cursor } } }', variables })),
);

export function graphqlCases(schema: GraphQLSchema): fc.Arbitrary<GraphqlCase> {
  const identity = fc.constantFrom<Identity>('anonymous', 'bad-token', 'stranger', 'owner', 'owner', 'owner', 'viewer', 'admin');
  const transport = fc.constantFrom<GraphqlCase['transport']>('post', 'post', 'post', 'post', 'post', 'post', 'get', 'get', 'post-text', 'post-batch', 'post-form');
  return fc.oneof(
    { weight: 3, arbitrary: fc.record({ identity, mode: fc.constant<Mode>('valid'), transport: fc.constantFrom<GraphqlCase['transport']>('post', 'post', 'post', 'get'), operation: generatedOperation(schema, 'valid') }) },
    { weight: 3, arbitrary: fc.record({ identity, mode: fc.constant<Mode>('hostile'), transport, operation: generatedOperation(schema, 'hostile') }) },
    { weight: 1, arbitrary: fc.record({ identity, mode: fc.constant<Mode>('hostile'), transport, operation: hostileDocument }) },
  );
}

const NAME = /^[_A-Za-z][_0-9A-Za-z]*$/;

/** A value as a GraphQL literal (invalid keys and values are printed anyway: the server must refuse them). */
function literal(value: unknown): string {
  if (value instanceof EnumLiteral) return value.name;
  if (value === null || value === undefined) return 'null';
  if (typeof value === 'string') return JSON.stringify(value);
  if (typeof value === 'number') return Number.isFinite(value) ? String(value) : 'null';
  if (typeof value === 'boolean') return String(value);
  if (Array.isArray(value)) return `[${value.map(literal).join(', ')}]`;
  if (typeof value === 'object') {
    return `{${Object.entries(value)
      .map(([key, item]) => `${NAME.test(key) ? key : JSON.stringify(key)}: ${literal(item)}`)
      .join(', ')}}`;
  }
  return typeof value === 'bigint' ? value.toString() : 'null';
}

/** The document and variables of a case, with pool references resolved. */
export function printCase(pool: Pool, c: GraphqlCase): { query: string; variables: unknown } {
  if ('text' in c.operation) return { query: c.operation.text, variables: pool.resolve(c.operation.variables) };
  const variables: Record<string, unknown> = {};
  const declarations: string[] = [];
  const fields = c.operation.fields.map((field, f) => {
    const args = field.args.map((arg) => {
      const value = pool.resolve(arg.value);
      if (arg.inline) return `${arg.name}: ${literal(value)}`;
      const variable = `v${f}_${arg.name}`;
      declarations.push(`$${variable}: ${arg.type}`);
      variables[variable] = JSON.parse(JSON.stringify(value ?? null)) as unknown;
      return `${arg.name}: $${variable}`;
    });
    return `f${f}: ${field.name}${args.length > 0 ? `(${args.join(', ')})` : ''} ${field.selection}`;
  });
  const header = `${c.operation.kind} Fuzz${declarations.length > 0 ? `(${declarations.join(', ')})` : ''}`;
  return { query: `${header} { ${fields.join(' ')} }`, variables };
}
