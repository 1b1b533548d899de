// Environment -> typed, validated configuration. Every setting has a default that runs the embedded
// engines (PGlite under DATA_DIR, in-process cache and queue), so `npm start` needs nothing else.
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
  /** Days change_log rows are kept; every reader is far past them by then. */
  changeRetentionDays: number;
  /** Hours Idempotency-Key records are kept. */
  idempotencyRetentionHours: number;
  logLevel: string;
  seedDemo: boolean;
  adminUsernames: string[];
  auth: {
    accessTokenTtlSeconds: number;
    refreshTokenTtlSeconds: number;
  };
  images: {
    maxBytes: number;
    maxPixels: number;
    fetchTimeoutMs: number;
    /** Hostnames or CIDRs that image_url fetches may reach even though they are private addresses. */
    fetchAllowHosts: string[];
  };
  shutdownTimeoutMs: number;
}

export class ConfigError extends Error {}

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

function list(env: Env, name: string): string[] {
  return (env[name] ?? '')
    .split(',')
    .map((item) => item.trim())
    .filter((item) => item.length > 0);
}

function optional(env: Env, name: string): string | undefined {
  const raw = env[name]?.trim();
  return raw ? raw : undefined;
}

export function loadConfig(env: Env = process.env): Config {
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
    changeRetentionDays: integer(env, 'CHANGE_RETENTION_DAYS', 7, 1),
    idempotencyRetentionHours: integer(env, 'IDEMPOTENCY_RETENTION_HOURS', 24, 1),
    logLevel: optional(env, 'LOG_LEVEL') ?? 'info',
    seedDemo: boolean(env, 'SEED_DEMO', true),
    adminUsernames: list(env, 'ADMIN_USERNAMES').map((name) => name.toLowerCase()),
    auth: {
      // Pinterest's access tokens last 30 days and refresh tokens a year; we keep the same shape.
      accessTokenTtlSeconds: integer(env, 'ACCESS_TOKEN_TTL_SECONDS', 30 * 24 * 3600, 60),
      refreshTokenTtlSeconds: integer(env, 'REFRESH_TOKEN_TTL_SECONDS', 365 * 24 * 3600, 60),
    },
    images: {
      maxBytes: integer(env, 'IMAGE_MAX_BYTES', 20 * 1024 * 1024, 1024),
      maxPixels: integer(env, 'IMAGE_MAX_PIXELS', 50_000_000, 1),
      fetchTimeoutMs: integer(env, 'IMAGE_FETCH_TIMEOUT_MS', 10_000, 100),
      fetchAllowHosts: list(env, 'IMAGE_FETCH_ALLOW_HOSTS'),
    },
    shutdownTimeoutMs: integer(env, 'SHUTDOWN_TIMEOUT_MS', 10_000, 0),
  };
}
