// Extracts from Pinterest's OpenAPI 3.0.3 description the part Corkboard serves, for the contract tests.
//
//   npx tsx scripts/extract-openapi-subset.ts [path-to-openapi.json]
//
// Why a subset: the full file is 2 MB of mostly ads/catalog endpoints and prose; tests must run on a fresh clone
// without ../shared, so we commit only the served operations plus every component they reference (transitively),
// with documentation strings (`description`, `summary`) and doc values (`example`, `examples`) removed. The walk is
// schema-aware so a real schema property named "description" (Pin.description, Board.description) survives: keys of
// a `properties` map are names, not documentation.
import { readFileSync, writeFileSync, mkdirSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

type Json = null | boolean | number | string | Json[] | { [k: string]: Json };
type Obj = { [k: string]: Json };

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const DEFAULT_SOURCE = resolve(ROOT, '../shared/reference/pinterest-api-v5-openapi.json');
const OUT = resolve(ROOT, 'test/fixtures/pinterest-v5-subset.json');

/** The operations Corkboard serves, as method + path in Pinterest's file. */
export const OPERATIONS: ReadonlyArray<readonly [string, string]> = [
  ['post', '/boards'],
  ['get', '/boards'],
  ['get', '/boards/{board_id}'],
  ['patch', '/boards/{board_id}'],
  ['delete', '/boards/{board_id}'],
  ['get', '/boards/{board_id}/pins'],
  ['get', '/boards/{board_id}/sections'],
  ['post', '/boards/{board_id}/sections'],
  ['patch', '/boards/{board_id}/sections/{section_id}'],
  ['delete', '/boards/{board_id}/sections/{section_id}'],
  ['get', '/boards/{board_id}/sections/{section_id}/pins'],
  ['post', '/pins'],
  ['get', '/pins'],
  ['get', '/pins/{pin_id}'],
  ['patch', '/pins/{pin_id}'],
  ['delete', '/pins/{pin_id}'],
  ['post', '/pins/{pin_id}/save'],
  ['get', '/search/pins'],
  ['get', '/search/boards'],
  ['get', '/search/partner/pins'],
  ['get', '/terms/suggested'],
  ['get', '/terms/related'],
  ['get', '/user_account'],
  ['get', '/user_account/followers'],
  ['get', '/user_account/following'],
  ['get', '/user_account/following/boards'],
  ['post', '/user_account/following/{username}'],
  ['post', '/oauth/token'],
  ['post', '/oauth/token/revoke'],
];

const SOURCE_NOTE =
  'Subset of Pinterest REST API v5 OpenAPI description (info.version 5.23.0) from GitHub pinterest/api-description, ' +
  'tag v5.23.0, commit c05b18971472342ebdf4bafc15fea8a91c78bf79. MIT License, Copyright (c) 2021 Pinterest, Inc. ' +
  'Only the operations Corkboard serves and the components they reference are kept; description, summary, example ' +
  'and examples are removed. Regenerate with: npx tsx scripts/extract-openapi-subset.ts [path-to-openapi.json]';

/** Documentation-only keys dropped wherever the object is an OpenAPI/schema object (never inside a name map). */
const DOC_KEYS = new Set(['description', 'summary', 'example', 'examples', 'externalDocs']);

const isObj = (v: Json | undefined): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);

function mapValues(m: Json | undefined, f: (v: Json) => Json): Json | undefined {
  if (!isObj(m)) return m;
  const out: Obj = {};
  for (const [k, v] of Object.entries(m)) out[k] = f(v);
  return out;
}

// Each walker knows what kind of OpenAPI object it is looking at, so it recurses into children with the right
// walker, and unknown keys are copied verbatim (the self-check in main() catches any doc string they would carry).
function dropDocs(o: Obj, handlers: Record<string, (v: Json) => Json>): Obj {
  const out: Obj = {};
  for (const [k, v] of Object.entries(o)) {
    if (DOC_KEYS.has(k)) continue;
    const h = handlers[k];
    out[k] = h ? h(v) : v;
  }
  return out;
}

const schemaArray = (v: Json): Json => (Array.isArray(v) ? v.map(schema) : v);
const schemaMap = (v: Json): Json => mapValues(v, schema) ?? v;

function schema(s: Json): Json {
  if (!isObj(s)) return s; // `true`/`false` schemas, or broken input
  return dropDocs(s, {
    properties: schemaMap,
    patternProperties: schemaMap,
    items: (v) => (Array.isArray(v) ? v.map(schema) : schema(v)),
    additionalProperties: schema,
    not: schema,
    allOf: schemaArray,
    anyOf: schemaArray,
    oneOf: schemaArray,
  });
}

const mediaMap = (v: Json): Json => mapValues(v, (m) => (isObj(m) ? dropDocs(m, { schema, encoding: (e) => mapValues(e, header) ?? e }) : m)) ?? v;

function header(h: Json): Json {
  return isObj(h) ? dropDocs(h, { schema, content: mediaMap }) : h;
}

const parameter = header; // same shape for our purposes: schema or content

function requestBody(b: Json): Json {
  return isObj(b) ? dropDocs(b, { content: mediaMap }) : b;
}

function response(r: Json): Json {
  if (!isObj(r)) return r;
  // `links` are documentation-ish hypermedia we do not serve; drop them with the prose.
  const { links: _links, ...rest } = r;
  return dropDocs(rest, { content: mediaMap, headers: (v) => mapValues(v, header) ?? v });
}

function operation(op: Obj): Obj {
  return dropDocs(op, {
    parameters: (v) => (Array.isArray(v) ? v.map(parameter) : v),
    requestBody,
    responses: (v) => mapValues(v, response) ?? v,
  });
}

/** All `$ref` strings (and discriminator mapping targets) under a node (after doc stripping, so refs inside examples are not followed). */
function collectRefs(n: Json, out: Set<string>): void {
  if (Array.isArray(n)) for (const x of n) collectRefs(x, out);
  else if (isObj(n)) {
    for (const [k, v] of Object.entries(n)) {
      if (k === '$ref' && typeof v === 'string') out.add(v);
      else if (k === 'discriminator' && isObj(v) && isObj(v['mapping'])) {
        // Mapping values are references too (OauthAccessTokenResponse maps to schemas nothing else $refs).
        for (const target of Object.values(v['mapping'])) if (typeof target === 'string') out.add(target);
      } else collectRefs(v, out);
    }
  }
}

// Code-point order, not localeCompare, so the output does not depend on the machine's locale.
const byKey = ([a]: [string, unknown], [b]: [string, unknown]): number => (a < b ? -1 : a > b ? 1 : 0);

const unescapePointer = (s: string): string => s.replace(/~1/g, '/').replace(/~0/g, '~');

const COMPONENT_WALKERS: Record<string, (v: Json) => Json> = {
  schemas: schema,
  parameters: parameter,
  responses: response,
  requestBodies: requestBody,
  headers: header,
};

/** Throws if a doc key survives anywhere except as a property name inside a `properties`-like map. */
function assertNoDocs(n: Json, path: string[]): void {
  if (Array.isArray(n)) n.forEach((x, i) => assertNoDocs(x, [...path, String(i)]));
  else if (isObj(n)) {
    const parent = path[path.length - 1];
    const isNameMap = parent === 'properties' || parent === 'patternProperties';
    for (const [k, v] of Object.entries(n)) {
      if (!isNameMap && DOC_KEYS.has(k)) throw new Error(`doc key left at /${[...path, k].join('/')}`);
      // x-* extensions are kept verbatim; look into them too, they could hide prose.
      assertNoDocs(v, [...path, k]);
    }
  }
}

export function extractSubset(doc: Obj): Obj {
  const srcPaths = doc['paths'];
  const srcComponents = doc['components'];
  if (!isObj(srcPaths) || !isObj(srcComponents)) throw new Error('not an OpenAPI document: no paths/components');

  const paths: Record<string, Obj> = {};
  for (const [method, p] of OPERATIONS) {
    const item = srcPaths[p];
    const op = isObj(item) ? item[method] : undefined;
    if (!isObj(item) || !isObj(op)) throw new Error(`operation ${method.toUpperCase()} ${p} not in source`);
    const target = (paths[p] ??= {});
    // Path-level parameters apply to every operation under the path.
    if (Array.isArray(item['parameters']) && !target['parameters']) target['parameters'] = item['parameters'].map(parameter);
    target[method] = operation(op);
  }

  // Transitive closure over '#/components/<kind>/<name>' refs.
  const components: Record<string, Obj> = {};
  const seen = new Set<string>();
  const queue: string[] = [];
  const enqueueFrom = (n: Json): void => {
    const refs = new Set<string>();
    collectRefs(n, refs);
    for (const r of refs) {
      if (seen.has(r)) continue;
      seen.add(r);
      queue.push(r);
    }
  };
  enqueueFrom(paths);
  while (queue.length > 0) {
    const ref = queue.shift()!;
    const m = /^#\/components\/([^/]+)\/([^/]+)$/.exec(ref);
    if (!m) throw new Error(`unsupported $ref ${ref}`);
    const kind = m[1]!;
    const name = unescapePointer(m[2]!);
    const walker = COMPONENT_WALKERS[kind];
    const src = isObj(srcComponents[kind]) ? srcComponents[kind][name] : undefined;
    if (!walker || src === undefined) throw new Error(`dangling or unsupported $ref ${ref}`);
    const converted = walker(src);
    (components[kind] ??= {})[name] = converted;
    enqueueFrom(converted);
  }

  // Security schemes are referenced by name from each operation's `security`; keep those, with only the scopes
  // the kept operations use, and with the scopes' prose emptied (the names are the contract).
  const usedScopes = new Map<string, Set<string>>();
  for (const item of Object.values(paths)) {
    for (const op of Object.values(item)) {
      if (!isObj(op) || !Array.isArray(op['security'])) continue;
      for (const req of op['security']) {
        if (!isObj(req)) continue;
        for (const [scheme, scopes] of Object.entries(req)) {
          const set = usedScopes.get(scheme) ?? new Set<string>();
          if (Array.isArray(scopes)) for (const s of scopes) if (typeof s === 'string') set.add(s);
          usedScopes.set(scheme, set);
        }
      }
    }
  }
  const srcSchemes = isObj(srcComponents['securitySchemes']) ? srcComponents['securitySchemes'] : {};
  const securitySchemes: Obj = {};
  for (const [name, scopes] of [...usedScopes].sort(byKey)) {
    const s = srcSchemes[name];
    if (!isObj(s)) throw new Error(`security scheme ${name} not in source`);
    const { description: _d, ...rest } = s;
    if (isObj(rest['flows'])) {
      rest['flows'] = mapValues(rest['flows'], (flow) => {
        if (!isObj(flow)) return flow;
        const kept: Obj = {};
        for (const sc of [...scopes].sort()) kept[sc] = '';
        return { ...flow, scopes: kept };
      }) ?? rest['flows'];
    }
    securitySchemes[name] = rest;
  }

  // Stable output: components sorted by kind then name, so regeneration diffs stay small.
  const sortedComponents: Obj = {};
  for (const kind of Object.keys(components).sort()) {
    const entries = Object.entries(components[kind]!).sort(byKey);
    sortedComponents[kind] = Object.fromEntries(entries);
  }
  sortedComponents['securitySchemes'] = securitySchemes;

  const info = isObj(doc['info']) ? doc['info'] : {};
  const out: Obj = {
    openapi: doc['openapi'] ?? '3.0.3',
    'x-source': SOURCE_NOTE,
    info: { title: info['title'] ?? null, version: info['version'] ?? null, license: info['license'] ?? null },
    servers: Array.isArray(doc['servers']) ? doc['servers'].map((s) => (isObj(s) ? dropDocs(s, {}) : s)) : [],
    paths,
    components: sortedComponents,
  };
  assertNoDocs(out['paths']!, ['paths']);
  assertNoDocs(out['components']!, ['components']);
  return out;
}

function main(): void {
  const source = resolve(process.argv[2] ?? DEFAULT_SOURCE);
  const doc = JSON.parse(readFileSync(source, 'utf8')) as Json;
  if (!isObj(doc)) throw new Error(`${source}: not a JSON object`);
  const subset = extractSubset(doc);
  mkdirSync(dirname(OUT), { recursive: true });
  writeFileSync(OUT, JSON.stringify(subset, null, 2) + '\n');
  const comps = subset['components'] as Record<string, Obj>;
  const counts = Object.entries(comps).map(([k, v]) => `${k}=${Object.keys(v).length}`).join(' ');
  console.log(`wrote ${OUT}: ${Object.keys(subset['paths'] as Obj).length} paths, ${OPERATIONS.length} operations, ${counts}`);
}

// Run only as a script, so tests could import extractSubset without writing files.
if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) main();
