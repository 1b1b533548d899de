// Recognises PostgreSQL errors by SQLSTATE, the same through node-postgres and PGlite, and the
// failures that mean the database cannot be reached right now (a dropped connection, a restart).

interface PgError {
  code?: string;
  constraint?: string;
  message?: string;
  cause?: unknown;
}

export function isUniqueViolation(error: unknown, constraint?: string): boolean {
  const pgError = error as PgError;
  return pgError?.code === '23505' && (constraint === undefined || pgError.constraint === constraint);
}

export function isForeignKeyViolation(error: unknown): boolean {
  return (error as PgError)?.code === '23503';
}

/**
 * SQLSTATEs of a server that is going away or not there yet: class 08 (connection exception),
 * admin_shutdown (a terminated backend, a fast shutdown), crash_shutdown, cannot_connect_now
 * (starting up or shutting down) and too_many_connections.
 */
const UNAVAILABLE_STATES = new Set(['57P01', '57P02', '57P03', '53300']);
/** Socket errors on the way to the server. */
const NETWORK_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'EPIPE', 'ETIMEDOUT', 'EHOSTUNREACH', 'ENETUNREACH', 'ENOTFOUND', 'EAI_AGAIN']);
/** node-postgres and pg-pool say these in words, without a code. */
const CONNECTION_MESSAGES = [
  'Connection terminated',
  'not queryable',
  'timeout exceeded when trying to connect',
  'Query read timeout',
];

/**
 * Whether the error means the database could not be reached or the connection broke (the statement
 * may or may not have run): the request answers 503 and the client retries, unlike a bug (500).
 */
export function isDatabaseUnavailable(error: unknown, depth = 0): boolean {
  const pgError = error as PgError | undefined;
  if (!pgError || typeof pgError !== 'object') return false;
  const code = pgError.code;
  if (typeof code === 'string' && (code.startsWith('08') || UNAVAILABLE_STATES.has(code) || NETWORK_CODES.has(code))) return true;
  if (typeof pgError.message === 'string' && CONNECTION_MESSAGES.some((text) => pgError.message!.includes(text))) return true;
  return depth < 3 && pgError.cause !== undefined && isDatabaseUnavailable(pgError.cause, depth + 1);
}

/**
 * Whether the error happened while opening a connection, before any statement was sent, so trying
 * again on a new connection cannot run anything twice.
 */
export function isConnectFailure(error: unknown): boolean {
  const message = (error as PgError | undefined)?.message ?? '';
  // pg-pool's own wait for a free connection timing out is not a connect failure: the pool is busy.
  if (message.includes('timeout exceeded when trying to connect')) return false;
  return isDatabaseUnavailable(error);
}
