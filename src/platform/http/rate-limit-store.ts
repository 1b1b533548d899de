// Where the rate-limit counters live: Redis (the app's own ioredis connection) when REDIS_URL is set,
// so every process shares one count per key; in process otherwise. The counting is
// @fastify/rate-limit's own stores (fixed windows: its Redis store is one Lua script, INCR then
// PEXPIRE on a window's first hit). When Redis fails a command (down, restarting, timed out), the
// count falls back to this process's memory for that request: limits then hold per process instead
// of vanishing (fail open would let a login flood through exactly while Redis is away; fail closed
// would refuse everything).
//
// `guarded` is the one operation of our own: a request carrying a token must first pass its
// address's count of refused tokens, then be counted in its category. Two commands would be two round
// trips on every authenticated request; one script does both, and counts nothing when the guard
// refuses (a refused request must not use up its token's allowance).
import { createRequire } from 'node:module';
import type { Redis } from 'ioredis';

/** A counter's value and the milliseconds left in its window (0: no window running). */
export interface Counted {
  current: number;
  ttl: number;
}
type Callback = (error: Error | null, result?: Counted) => void;

/** The store interface of @fastify/rate-limit (its types name it FastifyRateLimitStore). */
interface LibraryStore {
  incr(key: string, callback: Callback, timeWindow: number, max: number): void;
  read(key: string, callback: Callback, timeWindow: number, max: number): void;
}

const require = createRequire(import.meta.url);
const LocalStore = require('@fastify/rate-limit/store/LocalStore.js') as new (continueExceeding: boolean, exponentialBackoff: boolean, size: number) => LibraryStore;
const RedisStore = require('@fastify/rate-limit/store/RedisStore.js') as new (continueExceeding: boolean, exponentialBackoff: boolean, redis: Redis, prefix: string) => LibraryStore;

/** One counter of one key: at most `max` in each window of `windowMs`. */
export interface CountedKey {
  key: string;
  windowMs: number;
  max: number;
}

export interface Guarded {
  guard: Counted;
  /** The counted key after this request, or null when the guard refused (nothing counted). */
  counted: Counted | null;
}

/** Whether a peeked counter has nothing left: full, in a running window. */
export const isFull = (counted: Counted, max: number): boolean => counted.current >= max && counted.ttl > 0;

// KEYS: the guard, the counted key. ARGV: the guard's max, the counted key's window (ms), 1 to count
// or 0 to peek. Answers {guard, guard ttl, counted, counted ttl}, counted -1 when the guard refused.
// The count is the library script's (INCR; PEXPIRE on the first hit, else PTTL).
const GUARDED = `
  local guard = tonumber(redis.call('GET', KEYS[1]) or '0')
  local guardTtl = 0
  if guard > 0 then
    guardTtl = redis.call('PTTL', KEYS[1])
    if guardTtl < 0 then guardTtl = 0 end
  end
  if guard >= tonumber(ARGV[1]) and guardTtl > 0 then return {guard, guardTtl, -1, 0} end
  if ARGV[3] == '1' then
    local current = redis.call('INCR', KEYS[2])
    if current == 1 then
      redis.call('PEXPIRE', KEYS[2], ARGV[2])
      return {guard, guardTtl, current, tonumber(ARGV[2])}
    end
    return {guard, guardTtl, current, redis.call('PTTL', KEYS[2])}
  end
  local current = redis.call('GET', KEYS[2])
  if not current then return {guard, guardTtl, 0, 0} end
  local ttl = redis.call('PTTL', KEYS[2])
  if ttl < 0 then ttl = 0 end
  return {guard, guardTtl, tonumber(current), ttl}
`;

type GuardedCommand = (guard: string, counted: string, guardMax: number, windowMs: number, increment: 0 | 1) => Promise<[number, number, number, number]>;

export interface RateLimitStoreOptions {
  redis: Redis | undefined;
  /** Prefix of every Redis key (`<REDIS_KEY_PREFIX>ratelimit:`). */
  prefix: string;
  /** Keys the in-process store remembers (least recently used forgotten first). */
  localKeys: number;
  onRedisError: (error: Error) => void;
}

export class RateLimitStore {
  private readonly local: LibraryStore;
  private readonly remote: LibraryStore | undefined;
  private readonly guardedCommand: GuardedCommand | undefined;

  constructor(private readonly options: RateLimitStoreOptions) {
    this.local = new LocalStore(false, false, options.localKeys);
    const redis = options.redis;
    if (redis) {
      this.remote = new RedisStore(false, false, redis, options.prefix);
      if (!(redis as unknown as Record<string, unknown>).rateLimitGuarded) redis.defineCommand('rateLimitGuarded', { numberOfKeys: 2, lua: GUARDED });
      const command = (redis as unknown as { rateLimitGuarded: GuardedCommand }).rateLimitGuarded.bind(redis);
      this.guardedCommand = command;
    }
  }

  /** Counts one more for `key` (Redis first, this process when it fails). */
  incr(counter: CountedKey): Promise<Counted> {
    return this.call('incr', counter);
  }

  /** The count of `key`, without counting. */
  read(counter: CountedKey): Promise<Counted> {
    return this.call('read', counter);
  }

  /**
   * In one round trip: the guard's count (peeked); unless it is full, `counted` counted one more
   * (`increment`) or peeked.
   */
  async guarded(guard: CountedKey, counted: CountedKey, increment: boolean): Promise<Guarded> {
    if (this.guardedCommand) {
      try {
        const [guardCount, guardTtl, current, ttl] = await this.guardedCommand(
          this.options.prefix + guard.key,
          this.options.prefix + counted.key,
          guard.max,
          counted.windowMs,
          increment ? 1 : 0,
        );
        return { guard: { current: guardCount, ttl: guardTtl }, counted: current < 0 ? null : { current, ttl } };
      } catch (error) {
        this.options.onRedisError(error as Error);
      }
    }
    const guardState = await this.callLocal('read', guard);
    if (isFull(guardState, guard.max)) return { guard: guardState, counted: null };
    return { guard: guardState, counted: await this.callLocal(increment ? 'incr' : 'read', counted) };
  }

  private async call(operation: 'incr' | 'read', counter: CountedKey): Promise<Counted> {
    if (this.remote) {
      try {
        return await promised(this.remote, operation, counter);
      } catch (error) {
        this.options.onRedisError(error as Error);
      }
    }
    return this.callLocal(operation, counter);
  }

  private callLocal(operation: 'incr' | 'read', counter: CountedKey): Promise<Counted> {
    return promised(this.local, operation, counter);
  }
}

function promised(store: LibraryStore, operation: 'incr' | 'read', { key, windowMs, max }: CountedKey): Promise<Counted> {
  return new Promise((resolve, reject) => {
    store[operation](key, (error, result) => (error ? reject(error) : resolve(result!)), windowMs, max);
  });
}
