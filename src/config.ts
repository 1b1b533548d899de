// Environment -> typed, validated configuration. Every setting has a default that runs the embedded
// engines (PGlite under DATA_DIR, in-process cache and queue), so `npm start` needs nothing else.
import os from 'node:os';
import path from 'node:path';

export interface Config {
  host: string;
  port: number;
  publicBaseUrl: string;
  dataDir: string;
  /** The embedded PGlite database's files: `<dataDir>/pglite`, locked by `<dataDir>/.pglite.lock`. */
  pgliteDir: string;
  /** PostgreSQL connection string; when absent the embedded PGlite database under dataDir is used. */
  databaseUrl: string | undefined;
  /** How long a PostgreSQL statement made for a request may go unanswered before its connection is dropped (0: no limit). */
  databaseQueryTimeoutMs: number;
  redisUrl: string | undefined;
  /** Prefix of every Redis key and channel, so deployments (or test runs) can share one Redis. */
  redisKeyPrefix: string;
  cache: {
    maxEntries: number;
    ttlSeconds: number;
  };
  jobs: {
    concurrency: number;
    pollMs: number;
    leaseMs: number;
  };
  /** How often each process reads the change log (related-pins graph, cache, fan-out relay). */
  changePollMs: number;
  /**
   * How recent a process's last complete change-log read must be for a request to use its cached
   * permissions; a write that restricts access answers this long after its commit (0: every request
   * reads the change log itself, and writes do not wait).
   */
  permissionFreshnessMs: number;
  /** Days change_log rows are kept; every reader is far past them by then. */
  changeRetentionDays: number;
  /** Hours Idempotency-Key records are kept. */
  idempotencyRetentionHours: number;
  /** How often each API process checks whether experiment definitions changed (ms). */
  experimentsRefreshMs: number;
  /** Following timelines and fan-out on write (docs/home-feed.md). */
  timelines: {
    /** Only people active within this many days get pins fanned out to them. */
    activeDays: number;
    /** People and boards with more followers than this are merged in at read time, not fanned out. */
    celebrityFollowers: number;
    /** Entries a stored timeline keeps (the newest). */
    maxItems: number;
    /** Followers per fan-out job. */
    fanoutChunkSize: number;
  };
  /** The home feed's read side (docs/home-feed.md). */
  homeFeed: {
    /** Share of home feed slots for the picked-for-you pool, 0 to 1 (the experiment home-feed-blend-rate may override it). */
    pickedRate: number;
  };
  logLevel: string;
  seedDemo: boolean;
  /** Password hashing (scrypt) on libuv's thread pool: how many at once, how many may wait. */
  passwordHashing: {
    concurrency: number;
    queueLimit: number;
  };
  auth: {
    accessTokenTtlSeconds: number;
    refreshTokenTtlSeconds: number;
    /** Lifetime of a browser session (the cookie of POST /login). */
    sessionTtlSeconds: number;
  };
  images: {
    maxBytes: number;
    maxPixels: number;
    fetchTimeoutMs: number;
    /** Hostnames or CIDRs that image_url fetches may reach even though they are private addresses. */
    fetchAllowHosts: string[];
    /** Hours an image no pin shows keeps its row and files (unserved) before the worker deletes them. */
    gcGraceHours: number;
  };
  shutdownTimeoutMs: number;
  /** What a connection and a request may hold before anybody is authenticated (docs/security.md#limits-before-authentication). */
  http: HttpLimits;
  /** What one GraphQL request may ask for, checked before it runs (docs/graphql.md#limits). */
  graphql: GraphqlLimits;
  /** Serve the GraphiQL IDE at /graphiql (from the server itself, nothing from a CDN). */
  graphiql: boolean;
  /** Origins whose pages may call the API from a browser (CORS); `*` for any; empty: CORS off. */
  corsOrigins: string[];
  /** Requests allowed per category and client (docs/security.md#rate-limits). */
  rateLimits: RateLimits;
  /**
   * Which proxies' X-Forwarded-For to believe for the client address (Fastify's trustProxy):
   * false (none), a number of hops, or a list of addresses and CIDRs.
   */
  trustProxy: boolean | number | string[];
  /** Related pins: Pixie random walks on the pin-board graph (docs/related-pins.md). */
  relatedPins: {
    /** Walk worker threads; 0 runs walks on the main thread (tools only). */
    workers: number;
    /** N, the default step budget of one request (the experiment related-pins-step-budget may override it). */
    steps: number;
    /** alpha: chance a walk returns to its query pin after each pin-board-pin step. */
    restartProbability: number;
    /** np and nv: a walk stops once this many pins have this many visits (np 0: never early). */
    earlyStopPins: number;
    earlyStopVisits: number;
    /** Leaning of each walk step towards recent edges: the newest of 1 + this many uniform draws (0: uniform). */
    recencyBias: number;
    /** Boards holding more pins than this are left out of the graph (too general to say what goes together). */
    maxBoardPins: number;
    /** A pin on more boards keeps a random sample of this many. */
    maxPinDegree: number;
    /** Minutes between rebuilds of the graph from the database (0: never; changes still apply). */
    rebuildMinutes: number;
    /** Ranked lists kept per pin and graph version in each API process, so a repeated request does not walk (0: none). */
    cachedLists: number;
    /** Length of the ranked list a related-pins request pages through. */
    maxResults: number;
    /** Query pins of a user's picked-for-you walk: their latest saves and close-ups. */
    userSeeds: number;
    /** A seed's weight halves with every this many days of age. */
    seedHalfLifeDays: number;
  };
}

export interface HttpLimits {
  /** Largest request body, JSON and GraphQL alike; image uploads by a token allowed to make pins get more (IMAGE_MAX_BYTES in base64). */
  bodyLimitBytes: number;
  /** Request line and headers together (the URL of a GraphQL GET included); past it 431. */
  maxHeaderBytes: number;
  /** Time for a request's line and headers to arrive (slow headers are cut with 408). */
  headersTimeoutMs: number;
  /** Time for a whole request, body included, to arrive (slow bodies are cut with 408). */
  requestTimeoutMs: number;
  /** How long an idle keep-alive connection stays open between requests. */
  keepAliveTimeoutMs: number;
  /** Open connections at once; past it new connections are closed as soon as they are accepted. */
  maxConnections: number;
  /** Open connections from one client address (IPv6: one /64), trusted proxies apart; 0: no cap. */
  maxConnectionsPerAddress: number;
}

/** At most `max` requests in each window of `windowSeconds` (a fixed window per key). */
export interface RateLimit {
  max: number;
  windowSeconds: number;
}

export const RATE_CATEGORIES = ['reads', 'writes', 'authentication', 'uploads', 'expensive'] as const;
export type RateCategory = (typeof RATE_CATEGORIES)[number];

export interface RateLimits {
  /** false only for benchmarks (RATE_LIMITS=off): nothing is counted. */
  enabled: boolean;
  /** Per token for a signed-in caller, per client address otherwise (authentication: always per address). */
  categories: Record<RateCategory, RateLimit>;
  /** Password sign-ins per username from addresses not known for it, before they answer 429 (src/auth/password-attempts.ts). */
  passwordAttempts: RateLimit;
  /** Days an address that signed in as a user stays exempt from that user's failure limit. */
  knownAddressDays: number;
}

export interface GraphqlLimits {
  /** Lexical tokens of the document (graphql-js stops parsing past it). */
  maxTokens: number;
  /** Nesting of selections, fragments followed (introspection fields do not count). */
  maxDepth: number;
  /** Field selections of an operation once every fragment spread is expanded. */
  maxFields: number;
  /** Aliased fields of an operation, fragments expanded. */
  maxAliases: number;
  /** Directives written in the document. */
  maxDirectives: number;
  /** Estimated cost of an operation (docs/graphql.md#cost). */
  maxCost: number;
}

export class ConfigError extends Error {}

/** A number above 0 and at most 1 (a probability that must not be zero). */
function positiveFraction(env: Record<string, string | undefined>, name: string, fallback: number): number {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isFinite(value) || value <= 0 || value > 1) throw new ConfigError(`${name} must be a number above 0 and at most 1, got "${raw}"`);
  return value;
}

type Env = Record<string, string | undefined>;

function integer(env: Env, name: string, fallback: number, min = 0): number {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < min) {
    throw new ConfigError(`${name} must be an integer >= ${min}, got "${raw}"`);
  }
  return value;
}

function boolean(env: Env, name: string, fallback: boolean): boolean {
  const raw = env[name]?.trim().toLowerCase();
  if (raw === undefined || raw === '') return fallback;
  if (['1', 'true', 'yes', 'on'].includes(raw)) return true;
  if (['0', 'false', 'no', 'off'].includes(raw)) return false;
  throw new ConfigError(`${name} must be true or false, got "${raw}"`);
}

function fraction(env: Env, name: string, fallback: number): number {
  const raw = env[name]?.trim();
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isFinite(value) || value < 0 || value > 1) {
    throw new ConfigError(`${name} must be a number from 0 to 1, got "${raw}"`);
  }
  return value;
}

const WINDOW_UNITS: Record<string, number> = { s: 1, m: 60, h: 3600 };

/** `120/1m`: at most 120 requests per minute (window in s, m or h). */
function rateLimit(env: Env, name: string, fallback: string): RateLimit {
  const raw = (optional(env, name) ?? fallback).toLowerCase();
  const match = /^(\d+)\s*\/\s*(\d+)\s*([smh])$/.exec(raw);
  const max = Number(match?.[1]);
  const windowSeconds = Number(match?.[2]) * (WINDOW_UNITS[match?.[3] ?? ''] ?? NaN);
  if (!match || !Number.isSafeInteger(max) || max < 1 || !Number.isSafeInteger(windowSeconds) || windowSeconds < 1) {
    throw new ConfigError(`${name} must look like 120/1m (at least 1 request per a window in s, m or h), got "${raw}"`);
  }
  return { max, windowSeconds };
}

/** TRUST_PROXY: off (default), true (any proxy: only behind one that overwrites X-Forwarded-For), a hop count, or addresses/CIDRs. */
function trustProxy(env: Env): boolean | number | string[] {
  const raw = optional(env, 'TRUST_PROXY')?.toLowerCase();
  if (raw === undefined || ['0', 'false', 'no', 'off'].includes(raw)) return false;
  if (['true', 'yes', 'on'].includes(raw)) return true;
  if (/^\d+$/.test(raw)) return Number(raw);
  const addresses = list(env, 'TRUST_PROXY');
  for (const address of addresses) {
    if (!/^[0-9a-f.:]+(\/\d{1,3})?$/i.test(address) && !['loopback', 'linklocal', 'uniquelocal'].includes(address)) {
      throw new ConfigError(`TRUST_PROXY must be off, true, a hop count, or a comma-separated list of addresses and CIDRs, got "${address}"`);
    }
  }
  return addresses;
}

function list(env: Env, name: string): string[] {
  return (env[name] ?? '')
    .split(',')
    .map((item) => item.trim())
    .filter((item) => item.length > 0);
}

/** Each an origin exactly as a browser sends it (`https://app.example.com`, no path, no trailing slash), or `*`. */
function origins(env: Env, name: string): string[] {
  const values = list(env, name);
  for (const value of values) {
    let origin: string | undefined;
    try {
      origin = new URL(value).origin;
    } catch {
      origin = undefined;
    }
    if (value !== '*' && origin !== value) {
      throw new ConfigError(`${name} must list origins such as https://app.example.com (scheme, host and port only) or *, got "${value}"`);
    }
  }
  return values;
}

function optional(env: Env, name: string): string | undefined {
  const raw = env[name]?.trim();
  return raw ? raw : undefined;
}

const ADMIN_USERNAMES_RETIRED =
  'signing up never makes an administrator. Make an existing account one with `npm run -s cli -- admin grant <username>`, then remove ADMIN_USERNAMES.';

/** A setting that is no longer read: starting with it set would silently change what the operator meant. */
function retired(env: Env, name: string, instead: string): void {
  if (optional(env, name) !== undefined) throw new ConfigError(`${name} is no longer supported: ${instead}`);
}

function httpLimits(env: Env): HttpLimits {
  const limits: HttpLimits = {
    bodyLimitBytes: integer(env, 'BODY_LIMIT_BYTES', 1024 * 1024, 1024),
    maxHeaderBytes: integer(env, 'MAX_HEADER_BYTES', 16 * 1024, 1024),
    headersTimeoutMs: integer(env, 'HEADERS_TIMEOUT_MS', 10_000, 100),
    requestTimeoutMs: integer(env, 'REQUEST_TIMEOUT_MS', 60_000, 100),
    keepAliveTimeoutMs: integer(env, 'KEEP_ALIVE_TIMEOUT_MS', 5_000, 100),
    maxConnections: integer(env, 'MAX_CONNECTIONS', 4096, 1),
    maxConnectionsPerAddress: integer(env, 'MAX_CONNECTIONS_PER_ADDRESS', 256, 0),
  };
  // Node refuses a headers timeout longer than the request's (the headers are part of the request).
  if (limits.headersTimeoutMs > limits.requestTimeoutMs) {
    throw new ConfigError(`HEADERS_TIMEOUT_MS (${limits.headersTimeoutMs}) must not be longer than REQUEST_TIMEOUT_MS (${limits.requestTimeoutMs})`);
  }
  return limits;
}

export function loadConfig(env: Env = process.env): Config {
  retired(env, 'ADMIN_USERNAMES', ADMIN_USERNAMES_RETIRED);
  const port = integer(env, 'PORT', 8080, 0);
  const host = optional(env, 'HOST') ?? '127.0.0.1';
  const databaseUrl = optional(env, 'DATABASE_URL');
  const dataDir = path.resolve(optional(env, 'DATA_DIR') ?? './data');
  if (databaseUrl && !/^postgres(ql)?:\/\//.test(databaseUrl)) {
    throw new ConfigError('DATABASE_URL must be a postgres:// or postgresql:// URL');
  }
  return {
    host,
    port,
    publicBaseUrl: (optional(env, 'PUBLIC_BASE_URL') ?? `http://localhost:${port}`).replace(/\/+$/, ''),
    dataDir,
    pgliteDir: path.join(dataDir, 'pglite'),
    databaseUrl,
    databaseQueryTimeoutMs: integer(env, 'DATABASE_QUERY_TIMEOUT_MS', 30_000, 0),
    redisUrl: optional(env, 'REDIS_URL'),
    redisKeyPrefix: optional(env, 'REDIS_KEY_PREFIX') ?? 'corkboard:',
    cache: {
      maxEntries: integer(env, 'CACHE_MAX_ENTRIES', 50_000, 1),
      ttlSeconds: integer(env, 'CACHE_TTL_SECONDS', 60, 1),
    },
    jobs: {
      concurrency: integer(env, 'JOB_CONCURRENCY', 4, 1),
      pollMs: integer(env, 'JOB_POLL_MS', 250, 10),
      leaseMs: integer(env, 'JOB_LEASE_MS', 60_000, 100),
    },
    changePollMs: integer(env, 'CHANGE_POLL_MS', 250, 10),
    permissionFreshnessMs: integer(env, 'PERMISSION_FRESHNESS_MS', 50, 0),
    changeRetentionDays: integer(env, 'CHANGE_RETENTION_DAYS', 7, 1),
    idempotencyRetentionHours: integer(env, 'IDEMPOTENCY_RETENTION_HOURS', 24, 1),
    experimentsRefreshMs: integer(env, 'EXPERIMENTS_REFRESH_MS', 1000, 50),
    timelines: {
      activeDays: integer(env, 'FEED_ACTIVE_DAYS', 14, 1),
      celebrityFollowers: integer(env, 'FEED_CELEBRITY_FOLLOWERS', 50_000, 1),
      maxItems: integer(env, 'FEED_TIMELINE_MAX', 500, 10),
      fanoutChunkSize: integer(env, 'FEED_FANOUT_CHUNK', 1000, 1),
    },
    homeFeed: {
      pickedRate: fraction(env, 'FEED_PICKED_RATE', 0.3),
    },
    logLevel: optional(env, 'LOG_LEVEL') ?? 'info',
    // The demo's accounts have a published password (and `demo` is an administrator): only the
    // embedded quick start gets them unless an operator asks.
    seedDemo: boolean(env, 'SEED_DEMO', databaseUrl === undefined),
    passwordHashing: {
      concurrency: integer(env, 'PASSWORD_HASH_CONCURRENCY', 2, 0),
      queueLimit: integer(env, 'PASSWORD_HASH_QUEUE', 16, 0),
    },
    auth: {
      // Pinterest's access tokens last 30 days and refresh tokens a year; we keep the same shape.
      accessTokenTtlSeconds: integer(env, 'ACCESS_TOKEN_TTL_SECONDS', 30 * 24 * 3600, 60),
      refreshTokenTtlSeconds: integer(env, 'REFRESH_TOKEN_TTL_SECONDS', 365 * 24 * 3600, 60),
      sessionTtlSeconds: integer(env, 'SESSION_TTL_SECONDS', 7 * 24 * 3600, 60),
    },
    images: {
      maxBytes: integer(env, 'IMAGE_MAX_BYTES', 20 * 1024 * 1024, 1024),
      maxPixels: integer(env, 'IMAGE_MAX_PIXELS', 50_000_000, 1),
      fetchTimeoutMs: integer(env, 'IMAGE_FETCH_TIMEOUT_MS', 10_000, 100),
      fetchAllowHosts: list(env, 'IMAGE_FETCH_ALLOW_HOSTS'),
      gcGraceHours: integer(env, 'IMAGE_GC_GRACE_HOURS', 24, 0),
    },
    shutdownTimeoutMs: integer(env, 'SHUTDOWN_TIMEOUT_MS', 10_000, 0),
    http: httpLimits(env),
    graphql: {
      maxTokens: integer(env, 'GRAPHQL_MAX_TOKENS', 1000, 100),
      maxDepth: integer(env, 'GRAPHQL_MAX_DEPTH', 12, 2),
      maxFields: integer(env, 'GRAPHQL_MAX_FIELDS', 2000, 10),
      maxAliases: integer(env, 'GRAPHQL_MAX_ALIASES', 30, 0),
      maxDirectives: integer(env, 'GRAPHQL_MAX_DIRECTIVES', 50, 0),
      maxCost: integer(env, 'GRAPHQL_MAX_COST', 25_000, 100),
    },
    // An IDE for people trying the API: on for the embedded quick start, off by default on PostgreSQL.
    graphiql: boolean(env, 'GRAPHIQL', !databaseUrl),
    corsOrigins: origins(env, 'CORS_ORIGINS'),
    rateLimits: {
      enabled: boolean(env, 'RATE_LIMITS', true),
      categories: {
        reads: rateLimit(env, 'RATE_LIMIT_READS', '1000/1m'),
        writes: rateLimit(env, 'RATE_LIMIT_WRITES', '200/1m'),
        authentication: rateLimit(env, 'RATE_LIMIT_AUTHENTICATION', '20/1m'),
        uploads: rateLimit(env, 'RATE_LIMIT_UPLOADS', '10/1m'),
        expensive: rateLimit(env, 'RATE_LIMIT_EXPENSIVE', '60/1m'),
      },
      passwordAttempts: rateLimit(env, 'RATE_LIMIT_PASSWORD_ATTEMPTS', '10/15m'),
      knownAddressDays: integer(env, 'RATE_LIMIT_KNOWN_ADDRESS_DAYS', 30, 0),
    },
    trustProxy: trustProxy(env),
    relatedPins: {
      workers: integer(env, 'RELATED_PINS_WORKERS', Math.max(1, Math.min(4, os.availableParallelism() - 1)), 0),
      steps: integer(env, 'RELATED_PINS_STEPS', 100_000, 1),
      restartProbability: positiveFraction(env, 'RELATED_PINS_RESTART_PROBABILITY', 0.5),
      earlyStopPins: integer(env, 'RELATED_PINS_EARLY_STOP_PINS', 1000, 0),
      earlyStopVisits: integer(env, 'RELATED_PINS_EARLY_STOP_VISITS', 4, 1),
      recencyBias: integer(env, 'RELATED_PINS_RECENCY_BIAS', 0, 0),
      maxBoardPins: integer(env, 'RELATED_PINS_MAX_BOARD_PINS', 5000, 1),
      maxPinDegree: integer(env, 'RELATED_PINS_MAX_PIN_DEGREE', 5000, 1),
      rebuildMinutes: integer(env, 'RELATED_PINS_REBUILD_MINUTES', 60, 0),
      maxResults: integer(env, 'RELATED_PINS_MAX_RESULTS', 500, 1),
      cachedLists: integer(env, 'RELATED_PINS_CACHED_LISTS', 1000, 0),
      userSeeds: integer(env, 'RELATED_PINS_USER_SEEDS', 20, 1),
      seedHalfLifeDays: integer(env, 'RELATED_PINS_SEED_HALF_LIFE_DAYS', 30, 1),
    },
  };
}
