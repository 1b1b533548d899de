// Request validation with two Ajv instances. Query strings, path params and headers arrive as text,
// so they are coerced to the schema's types ("25" -> 25). JSON bodies already carry types and must
// not be coerced: with coercion, `null` in a `string | null` field would become "" and a number
// would be accepted where a string is required. Unknown fields are errors (no removeAdditional).
import { Ajv, type Options, type ValidateFunction } from 'ajv';
import ajvFormats from 'ajv-formats';
import type { FastifyInstance } from 'fastify';
import { describeValidationErrors, type ValidationProblem } from './validation-messages.js';

const addFormats = ajvFormats.default as unknown as (ajv: Ajv) => Ajv;

function createAjv(coerceTypes: Options['coerceTypes'], useDefaults = true): Ajv {
  const ajv = new Ajv({ coerceTypes, removeAdditional: false, useDefaults, allErrors: false, strict: false });
  addFormats(ajv);
  return ajv;
}

export function registerValidation(app: FastifyInstance): void {
  const bodies = createAjv(false);
  const textParts = createAjv('array');
  app.setValidatorCompiler(({ schema, httpPart }) => (httpPart === 'body' ? bodies : textParts).compile(schema));
}

// GraphQL arguments are checked against the REST body schemas by the same engine, so both doors
// refuse the same inputs with the same sentence. Nothing is added to the value (no defaults).
const inputs = createAjv(false, false);
const compiledInputs = new WeakMap<object, ValidateFunction>();

/** The first problem of `value` against a body schema, or null when it is valid. */
export function checkAgainstBodySchema(schema: object, value: unknown): ValidationProblem | null {
  let validate = compiledInputs.get(schema);
  if (!validate) {
    validate = inputs.compile(schema);
    compiledInputs.set(schema, validate);
  }
  return validate(value) ? null : (describeValidationErrors(validate.errors ?? []) ?? { field: '', reason: 'is invalid' });
}
