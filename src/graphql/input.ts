// GraphQL arguments are checked against the very TypeBox schemas the REST routes validate their
// bodies with (lengths, patterns, enums), so an input REST refuses is refused here too, with the same
// INVALID_PARAMETERS code. Arguments left out (undefined) are dropped first; explicit nulls are kept,
// since for updates null means "clear".
import type { Static, TSchema } from 'typebox';
import { AppError } from '../platform/errors.js';
import { checkAgainstBodySchema } from '../platform/http/validation.js';
import { validationSentence } from '../platform/http/validation-messages.js';

function withoutUndefined(value: unknown): unknown {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return value;
  return Object.fromEntries(
    Object.entries(value)
      .filter(([, field]) => field !== undefined)
      .map(([key, field]) => [key, withoutUndefined(field)]),
  );
}

export function validInput<T extends TSchema>(schema: T, input: Record<string, unknown>): Static<T> {
  const value = withoutUndefined(input);
  const problem = checkAgainstBodySchema(schema, value);
  if (!problem) return value as Static<T>;
  throw new AppError('INVALID_PARAMETERS', validationSentence('input', problem, 'Invalid input.'));
}
