// Checks a response against Corkboard's own OpenAPI document (GET /v5/openapi.json), for the routes
// Pinterest's file does not describe (sign-up, profiles, collaborators, board follows, unfollow...).
// The served document is OpenAPI 3.0 generated from the route schemas; its dialect is converted to
// JSON Schema here (`nullable` becomes a null type, '#/components/schemas/X' refs point into one
// registered document), as test/support/contract.ts does for Pinterest's file.
import { Ajv, type ErrorObject, type ValidateFunction } from 'ajv';
import addFormatsModule from 'ajv-formats';
import type { TestApp } from './test-app.js';

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);

const DOC_ID = 'https://corkboard.invalid/served-openapi.json';
const DROP = new Set(['nullable', 'discriminator', 'readOnly', 'writeOnly', 'example', 'examples', 'xml', 'externalDocs', 'deprecated']);

function convert(schema: unknown): unknown {
  if (Array.isArray(schema)) return schema.map(convert);
  if (!isObj(schema)) return schema;
  const out: Obj = {};
  for (const [key, value] of Object.entries(schema)) {
    if (DROP.has(key) || key.startsWith('x-')) continue;
    if (key === '$ref' && typeof value === 'string') {
      const match = /^#\/components\/schemas\/(.+)$/.exec(value);
      if (!match) throw new Error(`served contract: unsupported $ref ${value}`);
      out[key] = `${DOC_ID}#/definitions/${match[1]!}`;
    } else if (key === 'properties' && isObj(value)) {
      out[key] = Object.fromEntries(Object.entries(value).map(([name, sub]) => [name, convert(sub)]));
    } else {
      out[key] = isObj(value) || Array.isArray(value) ? convert(value) : value;
    }
  }
  if (schema['nullable'] !== true) return out;
  if (typeof out['type'] === 'string' && !('$ref' in out) && !('anyOf' in out)) {
    const nullable: Obj = { ...out, type: [out['type'], 'null'] };
    if (Array.isArray(out['enum']) && !out['enum'].includes(null)) nullable['enum'] = [...(out['enum'] as unknown[]), null];
    return nullable;
  }
  return { anyOf: [{ type: 'null' }, out] };
}

export interface ServedContract {
  /** Every operation the document lists, as 'METHOD /path' with the document's path template. */
  operations: string[];
  /** Throws unless `body` is what the served document specifies for this operation and status. */
  assertMatches(method: string, path: string, status: number, body: unknown): void;
  /** Whether the document describes JSON content for this response (false for no-content and binary responses). */
  hasJsonBody(method: string, path: string, status: number): boolean;
}

export async function loadServedContract(t: TestApp): Promise<ServedContract> {
  const reply = await t.request({ method: 'GET', url: '/v5/openapi.json' });
  if (reply.statusCode !== 200) throw new Error(`GET /v5/openapi.json answered ${reply.statusCode}`);
  const doc = reply.json<Obj>();
  const paths = isObj(doc['paths']) ? doc['paths'] : {};
  const components = isObj(doc['components']) && isObj(doc['components']['schemas']) ? doc['components']['schemas'] : {};

  const ajv = new Ajv({ strict: false, allErrors: true });
  addFormatsModule.default(ajv);
  ajv.addSchema({ $id: DOC_ID, definitions: Object.fromEntries(Object.entries(components).map(([name, s]) => [name, convert(s)])) });
  const validators = new Map<string, ValidateFunction | null>();

  const responseOf = (method: string, path: string, status: number): Obj => {
    const item = paths[path];
    const op = isObj(item) ? item[method.toLowerCase()] : undefined;
    if (!isObj(op) || !isObj(op['responses'])) throw new Error(`served contract: ${method} ${path} is not in /v5/openapi.json`);
    const response = op['responses'][String(status)];
    if (!isObj(response)) {
      throw new Error(
        `served contract: ${method} ${path} answered ${status}, which /v5/openapi.json does not list (${Object.keys(op['responses']).join(', ')})`,
      );
    }
    return response;
  };

  const jsonSchemaOf = (method: string, path: string, status: number): unknown => {
    const content = responseOf(method, path, status)['content'];
    const media = isObj(content) ? content['application/json'] : undefined;
    return isObj(media) ? media['schema'] : undefined;
  };

  const operations: string[] = [];
  for (const [path, item] of Object.entries(paths)) {
    if (!isObj(item)) continue;
    for (const method of Object.keys(item)) if (method !== 'parameters') operations.push(`${method.toUpperCase()} ${path}`);
  }

  return {
    operations,
    hasJsonBody: (method, path, status) => jsonSchemaOf(method, path, status) !== undefined,
    assertMatches(method, path, status, body) {
      const key = `${method.toUpperCase()} ${path} ${status}`;
      let validate = validators.get(key);
      if (validate === undefined) {
        const schema = jsonSchemaOf(method, path, status);
        validate = schema === undefined ? null : ajv.compile(convert(schema) as Obj);
        validators.set(key, validate);
      }
      if (validate === null) {
        if (body === undefined || body === null || body === '') return;
        throw new Error(`served contract: ${key}: the document specifies no body, got ${JSON.stringify(body).slice(0, 500)}`);
      }
      if (validate(body)) return;
      const errors = (validate.errors ?? []).slice(0, 20).map((e: ErrorObject) => `  - ${e.instancePath || '(body)'} ${e.message ?? e.keyword} ${JSON.stringify(e.params)}`);
      throw new Error(`served contract: ${key}: body does not match /v5/openapi.json:\n${errors.join('\n')}\nbody: ${JSON.stringify(body).slice(0, 1500)}`);
    },
  };
}
