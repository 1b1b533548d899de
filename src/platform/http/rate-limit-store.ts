// Where @fastify/rate-limit keeps its counters: Redis (the app's own ioredis connection) when
// REDIS_URL is set, so every process shares one count per key; in process otherwise. When Redis
// fails a command (down, restarting, timed out), the count falls back to this process's memory for
// that request: limits then hold per process instead of vanishing (fail open would let a login flood
// through exactly while Redis is away; fail closed would refuse everything).
import { createRequire } from 'node:module';
import type { Redis } from 'ioredis';

interface Counted {
  current: number;
  ttl: number;
}
type Callback = (error: Error | null, result?: Counted) => void;

/** The store interface @fastify/rate-limit calls (its types name it FastifyRateLimitStore). */
interface LibraryStore {
  incr(key: string, callback: Callback, timeWindow: number, max: number): void;
  read(key: string, callback: Callback, timeWindow: number, max: number): void;
  child(options: unknown): LibraryStore;
}

const require = createRequire(import.meta.url);
// The library's own stores: its Redis store is one Lua script (INCR, then PEXPIRE on the first hit).
const LocalStore = require('@fastify/rate-limit/store/LocalStore.js') as new (continueExceeding: boolean, exponentialBackoff: boolean, size: number) => LibraryStore;
const RedisStore = require('@fastify/rate-limit/store/RedisStore.js') as new (continueExceeding: boolean, exponentialBackoff: boolean, redis: Redis, prefix: string) => LibraryStore;

export interface RateLimitStoreOptions {
  redis: Redis | undefined;
  /** Prefix of every Redis key (`<REDIS_KEY_PREFIX>ratelimit:`). */
  prefix: string;
  /** Keys the in-process store remembers (least recently used forgotten first). */
  localKeys: number;
  onRedisError: (error: Error) => void;
}

/**
 * A store class for the plugin's `store` option. Every limiter shares one instance: keys already
 * name their category, so `child` (per route or per createRateLimit) needs no namespace of its own.
 */
export function rateLimitStore(options: RateLimitStoreOptions): new () => LibraryStore {
  const local = new LocalStore(false, false, options.localKeys);
  const redis = options.redis ? new RedisStore(false, false, options.redis, options.prefix) : undefined;
  // Both operations try Redis first and count in this process when it fails.
  const fallingBack =
    (operation: 'incr' | 'read'): LibraryStore['incr'] =>
    (key, callback, timeWindow, max) => {
      if (!redis) return local[operation](key, callback, timeWindow, max);
      redis[operation](
        key,
        (error, result) => {
          if (!error) return callback(null, result);
          options.onRedisError(error);
          local[operation](key, callback, timeWindow, max);
        },
        timeWindow,
        max,
      );
    };
  const store: LibraryStore = { incr: fallingBack('incr'), read: fallingBack('read'), child: () => store };
  return function SharedStore() {
    return store;
  } as unknown as new () => LibraryStore;
}
