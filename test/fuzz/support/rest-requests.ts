// Generated REST requests: one arbitrary per operation of the served OpenAPI document, with its path
// and query parameters and its request body drawn from their schemas, sent anonymously, with a bad
// token, or as one of the world's people, and encoded as declared or in a way the route does not
// expect (no content-type, the wrong one, broken or deeply nested JSON).
import fc from 'fast-check';
import { badIds, deepJson, hostileString } from './hostile.js';
import { poolValue, valueOf, type Mode, type Schema } from './schema-arbitrary.js';
import type { Pool } from './pool.js';

export type Identity = 'anonymous' | 'bad-token' | 'stranger' | 'owner' | 'viewer' | 'admin';
export type Encoding = 'declared' | 'none' | 'no-content-type' | 'text' | 'form' | 'broken-json' | 'deep-json' | 'big';

export interface RestCase {
  operation: string;
  identity: Identity;
  mode: Mode;
  path: Record<string, unknown>;
  query: Record<string, unknown>;
  body: unknown;
  encoding: Encoding;
  /** Extra headers: an Idempotency-Key (reused on purpose), odd Authorization, Accept, request ids. */
  headers: Record<string, string>;
}

export interface Operation {
  method: string;
  template: string;
  parameters: Array<{ name: string; in: string; required: boolean; schema: Schema }>;
  body?: { contentType: string; schema: Schema };
}

interface OpenApi {
  paths: Record<string, Record<string, { parameters?: Array<{ name: string; in: string; required?: boolean; schema: Schema }>; requestBody?: { content: Record<string, { schema: Schema }> } }>>;
}

export function operationsOf(document: unknown): Operation[] {
  const operations: Operation[] = [];
  for (const [template, methods] of Object.entries((document as OpenApi).paths)) {
    for (const [method, spec] of Object.entries(methods)) {
      const content = spec.requestBody ? Object.entries(spec.requestBody.content)[0] : undefined;
      operations.push({
        method: method.toUpperCase(),
        template,
        parameters: (spec.parameters ?? []).map((p) => ({ name: p.name, in: p.in, required: p.required === true, schema: p.schema })),
        ...(content ? { body: { contentType: content[0], schema: content[1].schema } } : {}),
      });
    }
  }
  return operations;
}

/** A few keys shared by all requests, so keys are replayed, and replayed with other bodies. */
const idempotencyKey = fc.constantFrom('key-1', 'key-2', 'key-3', 'key-4', 'key-5');

const hostileHeaders: fc.Arbitrary<Record<string, string>> = fc.record(
  {
    'idempotency-key': fc.oneof(idempotencyKey, fc.constantFrom('', ' ', 'k'.repeat(256), 'k'.repeat(255), 'é', 'a b', '\t'), fc.stringMatching(/^[!-~]{1,40}$/)),
    authorization: fc.constantFrom('Bearer', 'Bearer ', 'Bearer a b', 'Basic dXNlcjpwYXNz', `Bearer ${'x'.repeat(5_000)}`, 'Bearer %00', 'Token abc', 'bearer\tabc'),
    'x-request-id': fc.constantFrom('', 'x'.repeat(2_000), '../../etc', '${jndi:ldap://127.0.0.1/a}'),
    accept: fc.constantFrom('text/html', 'application/xml', '*/*;q=0', 'application/json;q=0', 'application/graphql-response+json', 'image/*'),
    'if-none-match': fc.constantFrom('*', '"x"', 'W/"abc"', '"'.repeat(100)),
    'accept-encoding': fc.constantFrom('gzip', 'br', 'identity;q=0', 'x'.repeat(500)),
  },
  { requiredKeys: [] },
);

const identity = fc.constantFrom<Identity>('anonymous', 'bad-token', 'stranger', 'owner', 'owner', 'owner', 'viewer', 'admin');

function parameterValue(name: string, schema: Schema, mode: Mode): fc.Arbitrary<unknown> {
  if (name === 'capability' || name === 'file') {
    return mode === 'valid' ? poolValue('image', mode).map((ref) => ({ imagePart: name, ref })) : fc.oneof(fc.constantFrom(...badIds), hostileString);
  }
  return valueOf(schema, mode, name);
}

function caseFor(operation: Operation, mode: Mode): fc.Arbitrary<RestCase> {
  const path = fc.record(Object.fromEntries(operation.parameters.filter((p) => p.in === 'path').map((p) => [p.name, parameterValue(p.name, p.schema, mode)])));
  const queryParameters = operation.parameters.filter((p) => p.in === 'query');
  const query = fc.record(Object.fromEntries(queryParameters.map((p) => [p.name, parameterValue(p.name, p.schema, mode)])), {
    requiredKeys: mode === 'valid' ? queryParameters.filter((p) => p.required).map((p) => p.name) : [],
  });
  const hostileQuery = mode === 'hostile' ? fc.dictionary(fc.constantFrom('unknown', 'page_size', 'bookmark', '__proto__', ''), hostileString, { maxKeys: 2 }) : fc.constant({});
  const body = operation.body ? valueOf(operation.body.schema, mode) : mode === 'hostile' ? fc.option(valueOf({}, mode), { nil: undefined }) : fc.constant(undefined);
  const encoding: fc.Arbitrary<Encoding> =
    mode === 'valid'
      ? fc.constant('declared')
      : fc.oneof(
          { weight: 6, arbitrary: fc.constant<Encoding>('declared') },
          { weight: 1, arbitrary: fc.constantFrom<Encoding>('none', 'no-content-type', 'text', 'form', 'broken-json', 'deep-json') },
          // A body of some hundreds of kilobytes: read, parsed and refused without harm.
          { weight: 1, arbitrary: fc.constant<Encoding>('big') },
        );
  return fc.record({
    operation: fc.constant(`${operation.method} ${operation.template}`),
    identity,
    mode: fc.constant(mode),
    path,
    query: fc.tuple(query, hostileQuery).map(([known, junk]) => ({ ...junk, ...known })),
    body,
    encoding,
    headers:
      mode === 'valid'
        ? operation.method === 'POST'
          ? fc.oneof({ weight: 3, arbitrary: fc.constant({}) }, { weight: 1, arbitrary: idempotencyKey.map((key) => ({ 'idempotency-key': key })) })
          : fc.constant({})
        : fc.oneof({ weight: 2, arbitrary: fc.constant({}) }, { weight: 1, arbitrary: hostileHeaders }),
  });
}

export function restCases(operations: readonly Operation[]): fc.Arbitrary<RestCase> {
  return fc.oneof(...operations.map((operation) => fc.oneof({ weight: 2, arbitrary: caseFor(operation, 'valid') }, { weight: 3, arbitrary: caseFor(operation, 'hostile') })));
}

export interface HttpRequest {
  method: string;
  url: string;
  headers: Record<string, string>;
  payload?: string;
}

function text(value: unknown): string {
  if (typeof value === 'string') return value;
  if (value === undefined) return '';
  return typeof value === 'number' || typeof value === 'boolean' || typeof value === 'bigint' ? String(value) : JSON.stringify(value);
}

/** Path segments are percent-encoded, except strings written as raw escapes on purpose ('%ff', '..'). */
function segment(value: unknown): string {
  const raw = text(value);
  if (/^[%.\w+-]+$/.test(raw) && /%|^\.\.?$/.test(raw)) return raw;
  // A lone surrogate cannot be sent in a URL at all; it goes as the UTF-8 a client would send instead.
  return encodeURIComponent(raw.replace(/[\ud800-\udfff]/gu, '\ufffd'));
}

function imagePart(pool: Pool, value: unknown): unknown {
  if (typeof value === 'object' && value !== null && 'imagePart' in value) {
    const { imagePart: part, ref } = value as { imagePart: string; ref: unknown };
    // Pool images are stored as 'capability/file'.
    const [capability, file] = String(pool.resolve(ref)).split('/');
    return part === 'capability' ? capability : file;
  }
  return value;
}

export function toHttpRequest(pool: Pool, tokens: Record<Identity, string | null>, c: RestCase, operation: Operation): HttpRequest {
  const path = pool.resolve(c.path) as Record<string, unknown>;
  const url = operation.template.replace(/\{(\w+)\}/g, (_, name: string) => segment(imagePart(pool, path[name])));
  const params = new URLSearchParams();
  for (const [name, value] of Object.entries(pool.resolve(c.query) as Record<string, unknown>)) {
    if (value === undefined) continue;
    for (const item of Array.isArray(value) ? value : [value]) params.append(name, text(item));
  }
  const search = params.toString();
  const token = tokens[c.identity];
  const headers: Record<string, string> = { ...(token ? { authorization: `Bearer ${token}` } : {}), ...c.headers };
  const body = pool.resolve(c.body);
  const declared = operation.body?.contentType ?? 'application/json';
  let payload: string | undefined;
  switch (c.encoding) {
    case 'declared':
      if (body !== undefined) {
        headers['content-type'] = declared;
        payload = declared === 'application/x-www-form-urlencoded' ? formOf(body) : JSON.stringify(body);
      }
      break;
    case 'none':
      break;
    case 'no-content-type':
      payload = JSON.stringify(body ?? {});
      break;
    case 'text':
      headers['content-type'] = 'text/plain';
      payload = text(body);
      break;
    case 'form':
      headers['content-type'] = 'application/x-www-form-urlencoded';
      payload = formOf(body);
      break;
    case 'broken-json':
      headers['content-type'] = 'application/json';
      payload = JSON.stringify(body ?? {}).slice(0, -1) + ',"';
      break;
    case 'deep-json':
      headers['content-type'] = declared === 'application/x-www-form-urlencoded' ? 'application/json' : declared;
      payload = `{"name":${deepJson(5_000, 'array')},"board_id":${deepJson(5_000, 'object')}}`;
      break;
    case 'big':
      headers['content-type'] = 'application/json';
      payload = JSON.stringify({ ...(typeof body === 'object' && body !== null ? body : {}), description: 'x'.repeat(300_000) });
      break;
  }
  return { method: operation.method, url: search ? `${url}?${search}` : url, headers, ...(payload !== undefined ? { payload } : {}) };
}

function formOf(body: unknown): string {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) return text(body);
  const form = new URLSearchParams();
  for (const [name, value] of Object.entries(body)) if (value !== undefined) form.append(name, text(value));
  return form.toString();
}
