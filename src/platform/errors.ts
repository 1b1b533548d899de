// The error catalogue: every error a client can see has a stable name (used as GraphQL's
// extensions.code), an HTTP status and a stable numeric code (the v5 `{code, message}` body).
// Numeric codes reuse Pinterest's where Pinterest documents one (2, 3, 8, 29, 30, 40, 50, 2031);
// codes of our own live in the 4000 range so they never collide with Pinterest's.

export const ERROR_CATALOGUE = {
  INVALID_PARAMETERS: { status: 400, code: 1, message: 'Invalid parameters.' },
  INVALID_BOOKMARK: { status: 400, code: 4001, message: 'Invalid bookmark.' },
  INVALID_ID: { status: 400, code: 4002, message: 'Invalid id.' },
  INVALID_IMAGE: { status: 400, code: 4003, message: 'The image could not be used.' },
  IMAGE_FETCH_REFUSED: { status: 400, code: 4004, message: 'The image URL may not be fetched.' },
  IMAGE_FETCH_FAILED: { status: 400, code: 4005, message: 'The image URL could not be fetched.' },
  INVALID_GRANT: { status: 400, code: 4006, message: 'Invalid credentials or refresh token.' },
  UNSUPPORTED_GRANT_TYPE: { status: 400, code: 4007, message: 'Unsupported grant_type.' },
  INVALID_SCOPE: { status: 400, code: 4008, message: 'A requested scope cannot be granted to this account.' },
  CANNOT_FOLLOW_SELF: { status: 400, code: 4160, message: 'You cannot follow yourself.' },
  SEARCH_QUERY_EMPTY: { status: 400, code: 4161, message: 'The search query must contain at least one word.' },
  GRAPHQL_PARSE_FAILED: { status: 400, code: 4170, message: 'The GraphQL document could not be parsed.' },
  GRAPHQL_VALIDATION_FAILED: { status: 400, code: 4171, message: 'The GraphQL request is not valid against the schema.' },
  QUERY_TOO_DEEP: { status: 400, code: 4172, message: 'The GraphQL query is nested too deeply.' },
  QUERY_TOO_COMPLEX: { status: 400, code: 4173, message: 'The GraphQL query would cost too much to run.' },
  PERSISTED_QUERY_NOT_FOUND: { status: 400, code: 4174, message: 'PersistedQueryNotFound' },
  PERSISTED_QUERY_NOT_SUPPORTED: { status: 400, code: 4175, message: 'PersistedQueryNotSupported' },
  PERSISTED_QUERY_HASH_MISMATCH: { status: 400, code: 4176, message: 'The sha256Hash does not match the query.' },
  QUERY_TOO_MANY_TOKENS: { status: 400, code: 4177, message: 'The GraphQL document has too many tokens.' },
  QUERY_TOO_MANY_FIELDS: { status: 400, code: 4178, message: 'The GraphQL query selects too many fields once its fragments are expanded.' },
  QUERY_TOO_MANY_ALIASES: { status: 400, code: 4179, message: 'The GraphQL query uses too many aliases.' },
  QUERY_TOO_MANY_DIRECTIVES: { status: 400, code: 4180, message: 'The GraphQL document uses too many directives.' },
  QUERY_TOO_EXPENSIVE: { status: 400, code: 4181, message: 'The GraphQL query asks for more expensive work than one request may do.' },
  AUTHENTICATION_FAILED: { status: 401, code: 2, message: 'Authentication failed.' },
  MISSING_SCOPE: { status: 403, code: 3, message: 'Authorization failed: the token lacks a required scope.' },
  FORBIDDEN: { status: 403, code: 29, message: 'You are not permitted to access that resource.' },
  CSRF_TOKEN_INVALID: { status: 403, code: 4031, message: 'The request lacks the session\'s CSRF token (X-CSRF-Token header or csrf form field).' },
  PIN_SAVE_NOT_ALLOWED: {
    status: 403,
    code: 4032,
    message: "A pin of a protected or secret board may be saved onto that board only, except by the board's owner or the pin's maker.",
  },
  USER_NOT_FOUND: { status: 404, code: 30, message: 'User not found.' },
  BOARD_NOT_FOUND: { status: 404, code: 40, message: 'Board not found.' },
  PIN_NOT_FOUND: { status: 404, code: 50, message: 'Pin not found.' },
  SECTION_NOT_FOUND: { status: 404, code: 2031, message: "Sorry! We couldn't find this board section." },
  COLLABORATOR_NOT_FOUND: { status: 404, code: 4110, message: 'That user is not a collaborator on this board.' },
  CANNOT_FOLLOW_OWN_BOARD: { status: 400, code: 4111, message: 'You cannot follow your own board.' },
  CANNOT_INVITE_OWNER: { status: 400, code: 4112, message: "The board's owner cannot be invited as a collaborator." },
  INVALID_EXPERIMENT: { status: 400, code: 4201, message: 'The experiment definition is not valid.' },
  EXPERIMENT_NOT_FOUND: { status: 404, code: 4200, message: 'Experiment not found.' },
  EXPERIMENT_KEY_TAKEN: { status: 409, code: 4202, message: 'An experiment with this key already exists.' },
  EXPERIMENT_NAMESPACE_OVERLAP: { status: 409, code: 4203, message: 'A running experiment already uses that part of the namespace.' },
  EXPERIMENT_VERSION_CONFLICT: { status: 409, code: 4204, message: 'The experiment changed since the version you read.' },
  EXPERIMENT_ARCHIVED: { status: 409, code: 4205, message: 'That experiment is archived.' },
  EXPERIMENT_NOT_STARTED: { status: 409, code: 4206, message: 'That experiment was never started.' },
  ANALYSIS_SAMPLE_TOO_SMALL: { status: 400, code: 4210, message: 'Every variation needs at least two units.' },
  ANALYSIS_IMPOSSIBLE_SUMS: { status: 400, code: 4211, message: 'The summary sums describe data that cannot exist.' },
  ANALYSIS_INPUT_MISMATCH: { status: 400, code: 4212, message: 'The metrics, variations and fields do not fit together.' },
  ANALYSIS_INVALID_WEIGHTS: { status: 400, code: 4213, message: 'The expected split is not valid.' },
  EVENT_BATCH_TOO_LARGE: { status: 400, code: 4301, message: 'Too many events in one request.' },
  EVENT_KIND_UNKNOWN: { status: 400, code: 4302, message: 'Unknown event kind.' },
  EVENT_TIME_INVALID: { status: 400, code: 4303, message: 'The event time is not acceptable.' },
  ROUTE_NOT_FOUND: { status: 404, code: 4040, message: 'No such route.' },
  IMAGE_NOT_FOUND: { status: 404, code: 4042, message: 'Image not found.' },
  METHOD_NOT_ALLOWED: { status: 405, code: 4050, message: 'Method not allowed.' },
  USERNAME_TAKEN: { status: 409, code: 4090, message: 'That username is taken.' },
  BOARD_NAME_CONFLICT: { status: 409, code: 4092, message: 'You already have a board with this name.' },
  PIN_ALREADY_SAVED_TO_BOARD: { status: 409, code: 4094, message: 'That board already has a save of this Pin.' },
  SECTION_NAME_CONFLICT: { status: 409, code: 409, message: 'Board section conflict.' },
  IDEMPOTENCY_KEY_IN_USE: { status: 409, code: 4093, message: 'A request with this Idempotency-Key is still in progress.' },
  IDEMPOTENCY_KEY_MISMATCH: { status: 422, code: 4220, message: 'This Idempotency-Key was used with a different request.' },
  REQUEST_TIMEOUT: { status: 408, code: 4080, message: 'The request did not arrive in time.' },
  PAYLOAD_TOO_LARGE: { status: 413, code: 4130, message: 'Request body too large.' },
  QUERY_TOO_LARGE: { status: 413, code: 4131, message: 'The GraphQL query text is too large.' },
  UNSUPPORTED_MEDIA_TYPE: { status: 415, code: 4150, message: 'Unsupported content type.' },
  HEADERS_TOO_LARGE: { status: 431, code: 4310, message: 'The request line and headers are too large.' },
  RATE_LIMITED: { status: 429, code: 8, message: 'This request exceeded a rate limit.' },
  SIGN_IN_ATTEMPTS_EXCEEDED: {
    status: 429,
    code: 4291,
    message: 'Too many sign-in attempts for this username; retry later, or from a device that signed in as it before.',
  },
  INTERNAL: { status: 500, code: 5000, message: 'Internal error.' },
  UNAVAILABLE: { status: 503, code: 5030, message: 'Service unavailable.' },
  PASSWORD_HASHING_BUSY: { status: 503, code: 5031, message: 'Too many sign-ins are being checked right now; retry in a moment.' },
} as const satisfies Record<string, { status: number; code: number; message: string }>;

export type ErrorKind = keyof typeof ERROR_CATALOGUE;

export class AppError extends Error {
  readonly status: number;
  readonly code: number;
  /** Sent as Retry-After: when the same request may succeed again. */
  readonly retryAfterSeconds: number | undefined;

  constructor(
    readonly kind: ErrorKind,
    message?: string,
    readonly details?: unknown,
    options: { retryAfterSeconds?: number } = {},
  ) {
    const entry = ERROR_CATALOGUE[kind];
    super(message ?? entry.message);
    this.name = 'AppError';
    this.status = entry.status;
    this.code = entry.code;
    this.retryAfterSeconds = options.retryAfterSeconds;
  }
}

export function isAppError(error: unknown): error is AppError {
  return error instanceof AppError;
}
