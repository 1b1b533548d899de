// GraphQL errors in the shape clients expect, with the error catalogue's stable name in
// extensions.code and its numeric v5 code in extensions.v5Code (the `code` of the REST body).
// - A request refused before execution (bad JSON, syntax, validation, limits, unknown persisted
//   query, authentication) has no `data`, and its HTTP status is the catalogue's (400, 401, 413...).
// - Once execution started the status is 200: each failed field is null with its own error, which
//   is the same catalogue entry REST answers for the same item (BOARD_NOT_FOUND, FORBIDDEN...).
import { GraphQLError, type ExecutionResult, type SourceLocation } from 'graphql/index.js';
import type { FastifyBaseLogger } from 'fastify';
import { AppError, type ErrorKind } from '../platform/errors.js';
import { toAppError, unexpectedError } from '../platform/http/error-handler.js';

export interface GraphqlErrorBody {
  message: string;
  locations?: readonly SourceLocation[];
  path?: ReadonlyArray<string | number>;
  extensions: { code: ErrorKind; v5Code: number };
}

function body(error: AppError, graphqlError?: GraphQLError): GraphqlErrorBody {
  return {
    message: error.message,
    ...(graphqlError?.locations ? { locations: graphqlError.locations } : {}),
    ...(graphqlError?.path ? { path: graphqlError.path } : {}),
    extensions: { code: error.kind, v5Code: error.code },
  };
}

/** An error graphql-js raised while parsing or validating a document. */
function documentError(error: GraphQLError): AppError {
  if (isAppError(error.originalError)) return error.originalError;
  if (error.message.startsWith('Syntax Error')) return new AppError('GRAPHQL_PARSE_FAILED', error.message);
  return new AppError('GRAPHQL_VALIDATION_FAILED', error.message);
}

function isAppError(error: unknown): error is AppError {
  return error instanceof AppError;
}

interface MercuriusError extends Error {
  code?: string;
  errors?: unknown[];
}

/** The catalogue errors for a request that was refused before any field ran. */
export function requestErrors(error: unknown): GraphqlErrorBody[] {
  if (isAppError(error)) return [body(error)];
  const { code, errors, message } = error as MercuriusError;
  switch (code) {
    case 'MER_ERR_GQL_VALIDATION':
      return (errors ?? [error]).map((inner) => {
        if (inner instanceof GraphQLError) return body(documentError(inner), inner);
        // GET's `variables` or `extensions` that JSON.parse refused: its own wording names nothing useful.
        if (inner instanceof SyntaxError) return body(new AppError('INVALID_PARAMETERS', 'Invalid request: variables and extensions must be JSON.'));
        return body(new AppError('INVALID_PARAMETERS', `Invalid request: ${(inner as Error).message}.`));
      });
    case 'MER_ERR_GQL_PERSISTED_QUERY_NOT_FOUND':
      // Mercurius uses this error for a request with neither a query nor a persisted query hash.
      return [
        body(
          message === 'Unknown query'
            ? new AppError('INVALID_PARAMETERS', 'Invalid request: a query (or extensions.persistedQuery) is required.')
            : new AppError('PERSISTED_QUERY_NOT_FOUND'),
        ),
      ];
    case 'MER_ERR_GQL_PERSISTED_QUERY_NOT_SUPPORTED':
      return [body(new AppError('PERSISTED_QUERY_NOT_SUPPORTED'))];
    case 'MER_ERR_GQL_PERSISTED_QUERY_MISMATCH':
      return [body(new AppError('PERSISTED_QUERY_HASH_MISMATCH'))];
    case 'MER_ERR_METHOD_NOT_ALLOWED':
      return [body(new AppError('METHOD_NOT_ALLOWED', 'Mutations must be sent with POST.'))];
  }
  return [body(toAppError(error))];
}

/** The HTTP status of a refused request: the catalogue status of its first error. */
export function requestStatus(errors: readonly GraphqlErrorBody[]): number {
  const first = errors[0];
  return first ? new AppError(first.extensions.code).status : 400;
}

/**
 * Formats an execution result. graphql-js itself reports request errors as a result without
 * `data` (an unknown operationName, a missing required variable): those answer 400.
 */
export function formatExecution(
  execution: ExecutionResult,
  log: FastifyBaseLogger,
): { statusCode: number; response: { data?: ExecutionResult['data']; errors: GraphqlErrorBody[] } } {
  const executed = execution.data !== undefined;
  const errors = (execution.errors ?? []).map((error) => {
    const original = error.originalError;
    if (isAppError(original)) {
      if (original.status >= 500) log.error({ err: original }, 'graphql field failed');
      return body(original, error);
    }
    if (!executed) return body(documentError(error), error);
    // UNAVAILABLE when the database could not be reached (the client retries), INTERNAL otherwise.
    const unexpected = unexpectedError(original ?? error);
    log[unexpected.status === 503 ? 'warn' : 'error']({ err: original ?? error }, 'graphql field failed');
    return body(unexpected, error);
  });
  return executed
    ? { statusCode: 200, response: { data: execution.data, errors } }
    : { statusCode: 400, response: { errors } };
}
