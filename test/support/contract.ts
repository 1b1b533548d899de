// Contract checks against Pinterest's own API v5 description (the committed subset in
// test/fixtures/pinterest-v5-subset.json, made by scripts/extract-openapi-subset.ts).
//
// Usage in a test, after making a request to Corkboard:
//
//   const res = await app.inject({ method: 'GET', url: '/v5/pins/123', headers });
//   assertMatchesV5('GET', '/pins/{pin_id}', res.statusCode, res.json());
//
// - `v5Path` is the path template as Pinterest writes it, without the '/v5' prefix.
// - A status the operation does not list falls back to the `default` response if it is an error (>= 400); an
//   unlisted success status throws, because answering 200 where Pinterest answers 201 is itself a contract break.
// - Responses without content (204 on DELETE, 200 on /oauth/token/revoke) require an empty body
//   (undefined, null or '').
// - On mismatch it throws an Error listing Ajv's errors and the (truncated) body, so the failing test says why.
// - `v5ResponseSchema()` returns the converted JSON Schema (null for no-content responses) for inspection.
//
// Pinterest's file is OpenAPI 3.0, whose schema dialect differs from JSON Schema; we convert before Ajv sees it:
// `nullable` becomes a null type/branch, `discriminator` becomes an if/then selection (PinMedia, PinMediaSource,
// and the allOf-less "inheritance" discriminators on the OAuth token request/response), readOnly/writeOnly and
// doc keys are dropped, and '#/components/schemas/X' refs point into one registered document.
import { readFileSync } from 'node:fs';
import { Ajv, type AnySchemaObject, type ErrorObject, type ValidateFunction } from 'ajv';
import addFormatsModule from 'ajv-formats';

type Obj = Record<string, unknown>;

const FIXTURE = new URL('../fixtures/pinterest-v5-subset.json', import.meta.url);
// Any absolute URI works; it only names the registered document so refs from compiled response schemas resolve.
const DOC_ID = 'https://corkboard.invalid/pinterest-v5-subset.json';
const SCHEMA_REF = /^#\/components\/schemas\/([^/]+)$/;

const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);
const unescapePointer = (s: string): string => s.replace(/~1/g, '/').replace(/~0/g, '~');
const escapePointer = (s: string): string => s.replace(/~/g, '~0').replace(/\//g, '~1');

/** '#/components/schemas/X' -> absolute ref into the registered document's `definitions`. */
function rewriteRef(ref: string): string {
  const m = SCHEMA_REF.exec(ref);
  if (!m) throw new Error(`contract: unsupported $ref in schema: ${ref}`);
  return `${DOC_ID}#/definitions/${escapePointer(unescapePointer(m[1]!))}`;
}

const refName = (ref: string): string | undefined => {
  const m = SCHEMA_REF.exec(ref);
  return m ? unescapePointer(m[1]!) : undefined;
};

// OpenAPI-only or annotation keys Ajv should not see (strict:false would ignore most, but dropping is explicit).
const DROP = new Set(['nullable', 'discriminator', 'readOnly', 'writeOnly', 'example', 'examples', 'xml', 'externalDocs', 'deprecated']);

interface Ctx {
  /** Raw component schemas, to check inheritance-style discriminator targets for cycles. */
  components: Obj;
  /** The component being converted, if any (for the cycle check). */
  self?: string;
}

/** Convert one OpenAPI 3.0 schema object to draft-07 JSON Schema. */
function convertSchema(s: unknown, ctx: Ctx): unknown {
  if (!isObj(s)) return s;
  const out: Obj = {};
  const sub = (v: unknown): unknown => convertSchema(v, { components: ctx.components }); // `self` only at top
  for (const [k, v] of Object.entries(s)) {
    if (DROP.has(k) || k.startsWith('x-')) continue;
    if (k === '$ref' && typeof v === 'string') out[k] = rewriteRef(v);
    else if ((k === 'properties' || k === 'patternProperties') && isObj(v)) {
      out[k] = Object.fromEntries(Object.entries(v).map(([name, p]) => [name, sub(p)]));
    } else if ((k === 'allOf' || k === 'anyOf' || k === 'oneOf') && Array.isArray(v)) out[k] = v.map(sub);
    else if (k === 'items' || k === 'additionalProperties' || k === 'not') out[k] = Array.isArray(v) ? v.map(sub) : sub(v);
    else out[k] = v;
  }
  if (isObj(s['discriminator'])) applyDiscriminator(s, out, ctx);
  return s['nullable'] === true ? allowNull(out) : out;
}

/**
 * A discriminator says which branch applies, so validate exactly that branch. Plain `oneOf` can reject a valid body
 * when two branches happen to match (Ajv knows nothing of the discriminator), and Ajv's own `discriminator` option
 * refuses schemas like Pinterest's; an if/then per mapping value is simple and reports the chosen branch's errors.
 */
function applyDiscriminator(raw: Obj, out: Obj, ctx: Ctx): void {
  const disc = raw['discriminator'] as Obj;
  const prop = disc['propertyName'];
  if (typeof prop !== 'string') return;
  const mapping = new Map<string, string>();
  if (isObj(disc['mapping'])) {
    for (const [value, target] of Object.entries(disc['mapping'])) if (typeof target === 'string') mapping.set(value, target);
  }
  const branchKey = raw['oneOf'] !== undefined ? 'oneOf' : raw['anyOf'] !== undefined ? 'anyOf' : undefined;
  const branches = branchKey ? (raw[branchKey] as unknown[]) : [];

  if (branchKey) {
    // Inline branches cannot be named by a discriminator value; fall back to "any branch" rather than oneOf.
    if (!branches.every((b) => isObj(b) && typeof b['$ref'] === 'string')) {
      out['anyOf'] = out[branchKey];
      if (branchKey === 'oneOf') delete out['oneOf'];
      return;
    }
    // Branches absent from an explicit mapping are implicitly named by their schema name (OpenAPI 3.0 rule).
    const mapped = new Set(mapping.values());
    for (const b of branches) {
      const ref = (b as Obj)['$ref'] as string;
      const name = refName(ref);
      if (!mapped.has(ref) && name !== undefined) mapping.set(name, ref);
    }
    delete out[branchKey];
  }

  const selections: Obj[] = [];
  for (const [value, target] of mapping) {
    const targetName = refName(target);
    // Inheritance style: a child that allOf's its parent would send the parent's dispatch back to the child forever.
    if (!branchKey && (targetName === ctx.self || (ctx.self !== undefined && refersTo(ctx.components[targetName ?? ''], ctx.self)))) continue;
    selections.push({
      if: { properties: { [prop]: { const: value } }, required: [prop] },
      then: { $ref: rewriteRef(target) },
    });
  }
  const allOf = Array.isArray(out['allOf']) ? [...(out['allOf'] as unknown[])] : [];
  // With branches the discriminator is mandatory and must name a branch; inheritance style only refines.
  if (branchKey) allOf.push({ required: [prop], properties: { [prop]: { enum: [...mapping.keys()] } } });
  allOf.push(...selections);
  if (allOf.length > 0) out['allOf'] = allOf;
}

function refersTo(schema: unknown, name: string): boolean {
  return JSON.stringify(schema ?? null).includes(`"#/components/schemas/${escapePointer(name)}"`);
}

/** OpenAPI 3.0 `nullable: true` -> JSON Schema that also accepts null. */
function allowNull(out: Obj): Obj {
  const composite = ['$ref', 'allOf', 'anyOf', 'oneOf', 'not'].some((k) => k in out);
  if (typeof out['type'] === 'string' && !composite) {
    const res: Obj = { ...out, type: [out['type'], 'null'] };
    if (Array.isArray(out['enum']) && !out['enum'].includes(null)) res['enum'] = [...(out['enum'] as unknown[]), null];
    return res;
  }
  // No plain type (e.g. `allOf: [{$ref: CreativeType}], nullable: true` on Pin.creative_type): add a null branch.
  return { anyOf: [{ type: 'null' }, out] };
}

// ---------------------------------------------------------------------------------------------------------------

interface State {
  ajv: Ajv;
  doc: Obj;
  validators: Map<string, ValidateFunction | null>;
}
let state: State | undefined;

function load(): State {
  if (state) return state;
  const doc = JSON.parse(readFileSync(FIXTURE, 'utf8')) as Obj;
  const components = isObj(doc['components']) && isObj(doc['components']['schemas']) ? doc['components']['schemas'] : {};
  const definitions: Obj = {};
  for (const [name, s] of Object.entries(components)) definitions[name] = convertSchema(s, { components, self: name });

  const ajv = new Ajv({ strict: false, allErrors: true });
  // ajv-formats is CommonJS; under NodeNext the default import is module.exports, whose `.default` is the plugin.
  addFormatsModule.default(ajv);
  // OpenAPI's own formats, so none is reported as unknown (the subset uses only date-time today).
  const int = (bits: number) => (n: number): boolean => Number.isInteger(n) && n >= -(2 ** (bits - 1)) && n < 2 ** (bits - 1);
  ajv.addFormat('int32', { type: 'number', validate: int(32) });
  ajv.addFormat('int64', { type: 'number', validate: Number.isInteger });
  for (const f of ['float', 'double']) ajv.addFormat(f, { type: 'number', validate: () => true });
  ajv.addFormat('byte', /^[A-Za-z0-9+/]*={0,2}$/);
  for (const f of ['binary', 'password']) ajv.addFormat(f, true);
  ajv.addSchema({ $id: DOC_ID, definitions });
  state = { ajv, doc, validators: new Map() };
  return state;
}

/** Finds the response object for method+path+status: exact status, else `default` for errors. */
function findResponse(method: string, v5Path: string, status: number): { key: string; response: Obj } {
  const { doc } = load();
  const paths = isObj(doc['paths']) ? doc['paths'] : {};
  const item = paths[v5Path];
  const op = isObj(item) ? item[method.toLowerCase()] : undefined;
  if (!isObj(op) || !isObj(op['responses'])) {
    throw new Error(`contract: ${method.toUpperCase()} ${v5Path} is not in the v5 subset (path without '/v5', e.g. '/pins/{pin_id}')`);
  }
  const responses = op['responses'];
  const listed = Object.keys(responses).join(', ');
  let key = String(status);
  if (!(key in responses)) {
    if (status >= 400 && 'default' in responses) key = 'default';
    else throw new Error(`contract: ${method.toUpperCase()} ${v5Path} does not answer ${status} in Pinterest v5 (listed: ${listed})`);
  }
  let response = responses[key];
  // Response-level $refs ('#/components/responses/X') are not used by the subset today, but cost nothing to follow.
  if (isObj(response) && typeof response['$ref'] === 'string') {
    const m = /^#\/components\/responses\/([^/]+)$/.exec(response['$ref']);
    const comps = doc['components'];
    const all = isObj(comps) && isObj(comps['responses']) ? comps['responses'] : {};
    response = m ? all[unescapePointer(m[1]!)] : undefined;
  }
  if (!isObj(response)) throw new Error(`contract: ${method.toUpperCase()} ${v5Path} ${key}: unresolvable response`);
  return { key, response };
}

/** The converted JSON Schema for a response body, or null when Pinterest specifies no content. */
export function v5ResponseSchema(method: string, v5Path: string, status: number): AnySchemaObject | null {
  const { response } = findResponse(method, v5Path, status);
  const content = response['content'];
  if (!isObj(content)) return null;
  const media = content['application/json'];
  if (!isObj(media) || media['schema'] === undefined) {
    throw new Error(`contract: ${method.toUpperCase()} ${v5Path} ${status}: no application/json schema (has ${Object.keys(content).join(', ')})`);
  }
  const comps = load().doc['components'];
  const components = isObj(comps) && isObj(comps['schemas']) ? comps['schemas'] : {};
  return convertSchema(media['schema'], { components }) as AnySchemaObject;
}

function validatorFor(method: string, v5Path: string, status: number): { key: string; validate: ValidateFunction | null } {
  const st = load();
  const { key } = findResponse(method, v5Path, status);
  const cacheKey = `${method.toUpperCase()} ${v5Path} ${key}`;
  let validate = st.validators.get(cacheKey);
  if (validate === undefined) {
    const schema = v5ResponseSchema(method, v5Path, status);
    validate = schema === null ? null : st.ajv.compile(schema);
    st.validators.set(cacheKey, validate);
  }
  return { key, validate };
}

const MAX_ERRORS = 25;
const MAX_BODY_CHARS = 2000;

function formatErrors(errors: ErrorObject[]): string {
  // With allErrors, failed if/then and anyOf branches add generic lines ("must match \"then\" schema") after the
  // specific ones; keep them (they show which branch was chosen) but cap the list.
  const lines = errors.slice(0, MAX_ERRORS).map((e) => {
    const where = e.instancePath === '' ? '(body)' : e.instancePath;
    const params = Object.keys(e.params).length > 0 ? ` ${JSON.stringify(e.params)}` : '';
    return `  - ${where} ${e.message ?? e.keyword}${params}  [${e.schemaPath}]`;
  });
  if (errors.length > MAX_ERRORS) lines.push(`  ... and ${errors.length - MAX_ERRORS} more`);
  return lines.join('\n');
}

function showBody(body: unknown): string {
  let text: string;
  try {
    text = JSON.stringify(body) ?? String(body);
  } catch {
    text = String(body);
  }
  return text.length > MAX_BODY_CHARS ? `${text.slice(0, MAX_BODY_CHARS)}... (${text.length} chars)` : text;
}

/** Throws unless `body` is what Pinterest v5 specifies for this operation and status. */
export function assertMatchesV5(method: string, v5Path: string, status: number, body: unknown): void {
  const { key, validate } = validatorFor(method, v5Path, status);
  const label = `${method.toUpperCase()} /v5${v5Path} ${status}${key === String(status) ? '' : ` (as '${key}')`}`;
  if (validate === null) {
    if (body === undefined || body === null || body === '') return;
    throw new Error(`contract: ${label}: Pinterest specifies no body, got: ${showBody(body)}`);
  }
  if (validate(body)) return;
  throw new Error(`contract: ${label}: body does not match Pinterest v5 schema:\n${formatErrors(validate.errors ?? [])}\nbody: ${showBody(body)}`);
}
