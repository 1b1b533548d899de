// One error handler for the whole API: every failure becomes the v5 body `{code, message}` with the
// catalogue's status. Validation failures name the offending field; 5xx bodies never carry internals.
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { AppError, ERROR_CATALOGUE, isAppError } from '../errors.js';
import { isDatabaseUnavailable } from '../db/pg-errors.js';
import { describeValidationErrors, validationSentence } from './validation-messages.js';

/** Seconds a client is asked to wait before retrying a 503 (the Retry-After header). */
export const RETRY_AFTER_SECONDS = 1;

export interface ErrorBody {
  code: number;
  message: string;
}

export function errorBody(error: AppError): ErrorBody {
  return { code: error.code, message: error.message };
}

function validationMessage(error: FastifyError): string {
  const where = error.validationContext ?? 'request';
  return validationSentence(where, describeValidationErrors(error.validation ?? []), error.message);
}

/**
 * An error no code path expected: 503 when the database could not be reached or the connection broke
 * (a restart, a dropped connection; the client retries), otherwise 500.
 */
export function unexpectedError(error: unknown): AppError {
  return isDatabaseUnavailable(error) ? new AppError('UNAVAILABLE', 'The database is unavailable for a moment; try again.') : new AppError('INTERNAL');
}

/** A body in a type no parser reads (or with no Content-Type at all): say which type was sent. */
function unreadableBodyType(sent: string | undefined): AppError {
  const type = sent?.split(';')[0]?.trim();
  return new AppError('UNSUPPORTED_MEDIA_TYPE', `Send the body as application/json; the request sent ${type ? type : 'no Content-Type'}.`);
}

/** Maps anything thrown in a request to an AppError. */
export function toAppError(error: unknown): AppError {
  if (isAppError(error)) return error;
  const fastifyError = error as FastifyError;
  if (fastifyError.validation) return new AppError('INVALID_PARAMETERS', validationMessage(fastifyError));
  switch (fastifyError.code) {
    case 'FST_ERR_CTP_BODY_TOO_LARGE':
      return new AppError('PAYLOAD_TOO_LARGE');
    case 'FST_ERR_CTP_INVALID_MEDIA_TYPE':
      return new AppError('UNSUPPORTED_MEDIA_TYPE');
    case 'FST_ERR_CTP_EMPTY_JSON_BODY':
    case 'FST_ERR_CTP_INVALID_JSON_BODY':
      return new AppError('INVALID_PARAMETERS', 'Invalid request body: not valid JSON.');
  }
  if (fastifyError instanceof SyntaxError && fastifyError.statusCode === 400) {
    return new AppError('INVALID_PARAMETERS', 'Invalid request body: not valid JSON.');
  }
  if (typeof fastifyError.statusCode === 'number' && fastifyError.statusCode >= 400 && fastifyError.statusCode < 500) {
    return new AppError('INVALID_PARAMETERS', fastifyError.message);
  }
  return unexpectedError(error);
}

/**
 * Fastify's option `frameworkErrors`: the router refuses some paths before any route, hook or error
 * handler runs (a percent-escape that is not UTF-8, such as `/v5/boards/%ff`; a path parameter longer
 * than the router's 100 characters) and would answer them in its own shape, echoing the path. They get
 * the catalogue's `{code, message}` like every other refusal.
 */
export function frameworkErrors(error: FastifyError, _request: FastifyRequest, reply: FastifyReply): void {
  const message =
    error.code === 'FST_ERR_MAX_PARAM_LENGTH'
      ? 'Invalid path: a path parameter is longer than 100 characters.'
      : error.code === 'FST_ERR_BAD_URL'
        ? 'Invalid path: it holds a percent-escape that is not UTF-8.'
        : undefined;
  const appError = message ? new AppError('INVALID_PARAMETERS', message) : toAppError(error);
  void reply.status(appError.status).send(errorBody(appError));
}

export interface ErrorHandlingOptions {
  /**
   * Asked first for a request no route matched: answers it with a page (the web app's, for a
   * browser opening one of its addresses) and returns true, or returns false for the JSON 404.
   */
  pageFallback?: (request: FastifyRequest, reply: FastifyReply) => boolean;
}

export function registerErrorHandling(app: FastifyInstance, options: ErrorHandlingOptions = {}): void {
  app.setErrorHandler((error, request, reply) => {
    const appError =
      (error as FastifyError).code === 'FST_ERR_CTP_INVALID_MEDIA_TYPE' ? unreadableBodyType(request.headers['content-type']) : toAppError(error);
    if (appError.status === 503) {
      // Expected now and then (a database restart, a dropped connection): the client retries.
      request.log.warn({ err: error }, 'request failed: unavailable');
      void reply.header('retry-after', String(RETRY_AFTER_SECONDS));
    } else if (appError.status >= 500) {
      request.log.error({ err: error }, 'request failed');
    }
    if (appError.retryAfterSeconds !== undefined) void reply.header('retry-after', String(appError.retryAfterSeconds));
    void reply.status(appError.status).send(errorBody(appError));
  });
  app.setNotFoundHandler((request, reply) => {
    if (options.pageFallback?.(request, reply)) return;
    const entry = ERROR_CATALOGUE.ROUTE_NOT_FOUND;
    void reply.status(entry.status).send({ code: entry.code, message: `No route ${request.method} ${request.url.split('?')[0]}.` });
  });
}
