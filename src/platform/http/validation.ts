// Request validation with two Ajv instances. Query strings, path params and headers arrive as text,
// so they are coerced to the schema's types ("25" -> 25). JSON bodies already carry types and must
// not be coerced: with coercion, `null` in a `string | null` field would become "" and a number
// would be accepted where a string is required. Unknown fields are errors (no removeAdditional).
import { Ajv, type Options } from 'ajv';
import ajvFormats from 'ajv-formats';
import type { FastifyInstance } from 'fastify';

const addFormats = ajvFormats.default as unknown as (ajv: Ajv) => Ajv;

function createAjv(coerceTypes: Options['coerceTypes']): Ajv {
  const ajv = new Ajv({ coerceTypes, removeAdditional: false, useDefaults: true, allErrors: false, strict: false });
  addFormats(ajv);
  return ajv;
}

export function registerValidation(app: FastifyInstance): void {
  const bodies = createAjv(false);
  const textParts = createAjv('array');
  app.setValidatorCompiler(({ schema, httpPart }) => (httpPart === 'body' ? bodies : textParts).compile(schema));
}
