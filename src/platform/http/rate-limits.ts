// Rate limits by category, as Pinterest's API has them (docs/security.md#rate-limits): every request
// counts in one category (reads, writes, authentication, uploads, expensive) for its client: the
// token (or browser session) of a signed-in caller, the client address of an anonymous one, and
// always the address for authentication (signing in and signing up have no token yet). Counters are
// @fastify/rate-limit's stores (rate-limit-store.ts), in Redis when REDIS_URL is set (one count
// across processes), in process otherwise; a request makes one Redis round trip for its category,
// a token-bearing one included (its address's refused tokens are read in the same script). A request over its limit answers 429 RATE_LIMITED with Retry-After before any of its
// work runs; every counted answer carries x-ratelimit-limit, -remaining and -reset (seconds).
//
// A route names its category in `config.rateCategory` (a function of the request where it depends
// on it); without one, GET and HEAD are reads and anything else a write. GraphQL requests
// ('graphql') are counted once their document says what they ask for (graphql/server.ts).
import { createHash } from 'node:crypto';
import { once } from 'node:events';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import rateLimit from '@fastify/rate-limit';
import type { Redis } from 'ioredis';
import type { RateCategory, RateLimit, RateLimits } from '../../config.js';
import { AppError } from '../errors.js';
import { isFull, RateLimitStore, type Counted, type CountedKey } from './rate-limit-store.js';

export type RouteRateCategory = RateCategory | 'none' | 'graphql' | ((request: FastifyRequest) => RateCategory);

declare module 'fastify' {
  interface FastifyContextConfig {
    rateCategory?: RouteRateCategory;
  }
  interface FastifyInstance {
    rateLimits: RateLimiter;
  }
}

export interface RateState {
  limit: number;
  /** Requests counted in the current window. */
  used: number;
  remaining: number;
  /** Seconds until the window ends (at least 1). */
  resetSeconds: number;
  /** The count is past the limit (hit), or no request is left (peek). */
  exceeded: boolean;
}

/** One limit over keys the caller names (the password-attempt limit counts usernames). */
export interface RateCounter {
  hit(key: string): Promise<RateState>;
  peek(key: string): Promise<RateState>;
}

export interface RateLimiter {
  /** Counts `request` in `category`; throws RATE_LIMITED (with the headers set) when over. */
  charge(request: FastifyRequest, reply: FastifyReply, category: RateCategory): Promise<void>;
  /** Throws RATE_LIMITED when the request's client has no `category` left, without counting it. */
  ensureLeft(request: FastifyRequest, reply: FastifyReply, category: RateCategory): Promise<void>;
  /** Counts a request after its answer, when it was refused before it could be classified. */
  chargeAfter(request: FastifyRequest, category: RateCategory): Promise<void>;
  /** A counter of its own (`name` keeps its keys apart from every other counter's). */
  counter(name: string, limit: RateLimit): RateCounter;
}

export interface RateLimitsDeps {
  limits: RateLimits;
  redis: Redis | undefined;
  redisKeyPrefix: string;
}

/** How long a starting app waits for its Redis connection before counting in process. */
const REDIS_READY_WAIT_MS = 5000;

/** Distinct keys one process counts without Redis (and while Redis is away). */
const LOCAL_KEYS = 100_000;

const digest = (secret: string): string => createHash('sha256').update(secret).digest('base64url').slice(0, 22);

/** The caller a request counts against: its token or session (hashed: no secret in a Redis key), else its address. */
function clientKey(request: FastifyRequest, category: RateCategory): string {
  if (category !== 'authentication' && request.viewer) {
    if (request.session) return `session:${digest(request.session.secret)}`;
    if (request.headers.authorization) return tokenKey(request, category);
  }
  return `address:${clientAddress(request)}`;
}

/**
 * The key of a request carrying a bearer token, before the token is looked up: the token's hash
 * (an unknown token is counted under it too, and against its address as a refused token).
 */
function tokenKey(request: FastifyRequest, category: RateCategory): string {
  if (category === 'authentication') return `address:${clientAddress(request)}`;
  return `token:${digest((request.headers.authorization ?? '').trim().replace(/^bearer\s+/i, ''))}`;
}

/** The client address (request.ip follows TRUST_PROXY); IPv6 clients count per /64, as one host usually holds one. */
export function clientAddress(request: FastifyRequest): string {
  return rateLimit.normalizeIP(request.ip, 64);
}

function setHeaders(reply: FastifyReply, state: RateState): void {
  void reply.header('x-ratelimit-limit', state.limit);
  void reply.header('x-ratelimit-remaining', state.remaining);
  void reply.header('x-ratelimit-reset', state.resetSeconds);
}

export function rateLimited(category: string, state: RateState): AppError {
  return new AppError('RATE_LIMITED', `Too many ${category} requests; retry in ${state.resetSeconds} s.`, undefined, {
    retryAfterSeconds: state.resetSeconds,
  });
}

/** An address that sent too many unknown tokens: its token-bearing requests wait, unlooked-up. */
function refuseUnknownTokens(reply: FastifyReply, state: RateState): never {
  void reply.header('retry-after', state.resetSeconds);
  throw new AppError('RATE_LIMITED', `Too many requests with unknown tokens from this address; retry in ${state.resetSeconds} s.`, undefined, {
    retryAfterSeconds: state.resetSeconds,
  });
}

function refuse(reply: FastifyReply, category: RateCategory, state: RateState): never {
  setHeaders(reply, { ...state, remaining: 0 });
  void reply.header('retry-after', state.resetSeconds);
  throw rateLimited(category, state);
}

/** The state a counted (or peeked) value gives. */
function stateOf(limit: RateLimit, counted: Counted, increment: boolean): RateState {
  const remaining = Math.max(0, limit.max - counted.current);
  // A peek at a full counter reads current == max: no request is left, though none went over yet.
  const exceeded = increment ? counted.current > limit.max : isFull(counted, limit.max);
  return { limit: limit.max, used: limit.max - remaining, remaining, resetSeconds: Math.max(1, Math.ceil(counted.ttl / 1000)), exceeded };
}

/** One limit over keys the caller names; its store keys are `<name>:<key>`. */
function counter(store: RateLimitStore, name: string, limit: RateLimit): RateCounter & { key(key: string): CountedKey } {
  const key = (of: string): CountedKey => ({ key: `${name}:${of}`, windowMs: limit.windowSeconds * 1000, max: limit.max });
  return {
    key,
    hit: async (of) => stateOf(limit, await store.incr(key(of)), true),
    peek: async (of) => stateOf(limit, await store.read(key(of)), false),
  };
}

function routeCategory(request: FastifyRequest): RateCategory | 'graphql' | null {
  const declared = request.routeOptions.config.rateCategory;
  if (declared === 'none') return null;
  if (typeof declared === 'function') return declared(request);
  if (declared) return declared;
  return request.method === 'GET' || request.method === 'HEAD' ? 'reads' : 'writes';
}

const NEVER_EXCEEDED: RateCounter = {
  hit: async () => ({ limit: 0, used: 0, remaining: 0, resetSeconds: 0, exceeded: false }),
  peek: async () => ({ limit: 0, used: 0, remaining: 0, resetSeconds: 0, exceeded: false }),
};

const NOT_LIMITED: RateLimiter = {
  charge: async () => undefined,
  ensureLeft: async () => undefined,
  chargeAfter: async () => undefined,
  counter: () => NEVER_EXCEEDED,
};

/**
 * Registers the hooks that count each request; decorates `app.rateLimits`. Call it before the auth
 * hook: token-bearing requests are counted (and refused tokens checked) before the token is looked
 * up, other requests once their session is known (preParsing).
 */
export async function registerRateLimits(app: FastifyInstance, deps: RateLimitsDeps): Promise<void> {
  if (!deps.limits.enabled) {
    app.decorate('rateLimits', NOT_LIMITED);
    return;
  }
  let lastRedisWarning = 0;
  const store = new RateLimitStore({
    redis: deps.redis,
    prefix: `${deps.redisKeyPrefix}ratelimit:`,
    localKeys: LOCAL_KEYS,
    onRedisError: (error) => {
      // At most one line a minute while Redis is away; limits meanwhile hold per process.
      if (Date.now() - lastRedisWarning < 60_000) return;
      lastRedisWarning = Date.now();
      app.log.warn({ err: error }, 'rate limits: Redis failed, counting in this process');
    },
  });
  const redis = deps.redis;
  if (redis && redis.status !== 'ready') {
    // The first requests count in Redis too, unless it does not answer within a moment of starting.
    app.addHook('onReady', async () => {
      let timer: NodeJS.Timeout | undefined;
      // A refused connection emits 'error' (which rejects `once`): stop waiting then, and start.
      const ready = once(redis, 'ready').catch(() => undefined);
      await Promise.race([ready, new Promise((resolve) => (timer = setTimeout(resolve, REDIS_READY_WAIT_MS)))]);
      clearTimeout(timer);
    });
  }
  const counters = Object.fromEntries(
    Object.entries(deps.limits.categories).map(([category, limit]) => [category, counter(store, category, limit)]),
  ) as Record<RateCategory, ReturnType<typeof counter>>;

  const limiter: RateLimiter = {
    async charge(request, reply, category) {
      const state = await counters[category].hit(clientKey(request, category));
      if (state.exceeded) refuse(reply, category, state);
      setHeaders(reply, state);
    },
    async ensureLeft(request, reply, category) {
      const state = await counters[category].peek(clientKey(request, category));
      if (state.exceeded) refuse(reply, category, state);
    },
    async chargeAfter(request, category) {
      await counters[category].hit(clientKey(request, category));
    },
    counter: (name, limit) => counter(store, name, limit),
  };
  app.decorate('rateLimits', limiter);

  // Guessing tokens is guessing credentials: a request whose bearer token was refused (401) counts
  // against its address, and once the address has sent RATE_LIMIT_AUTHENTICATION of them in a
  // window its token-bearing requests are refused before the token is looked up, until the window
  // ends (valid tokens never count, but from that address they wait too: they cannot be told apart
  // without the lookup the limit saves). Requests without a token are not affected.
  //
  // Both counts a token-bearing request needs (its address's refused tokens, its own category) are
  // read in one round trip here, before the token is looked up: its category key is the token's hash
  // (its address's for authentication), known from the header. Routes that take a browser session
  // are counted once the session is known (preParsing), as requests without a token are.
  const rejectedTokens = counter(store, 'rejected-token', deps.limits.categories.authentication);
  /** Requests counted in their category by the onRequest hook (preParsing then leaves them). */
  const countedEarly = new WeakSet<FastifyRequest>();
  app.addHook('onRequest', async (request, reply) => {
    if (!request.headers.authorization) return;
    const category = request.routeOptions.config.session ? null : routeCategory(request);
    const address = clientAddress(request);
    if (category === null) {
      const state = await rejectedTokens.peek(address);
      if (state.exceeded) refuseUnknownTokens(reply, state);
      return;
    }
    // A GraphQL document is counted once known (preExecution); until then its reads are peeked.
    const counted = category === 'graphql' ? 'reads' : category;
    const { guard, counted: count } = await store.guarded(
      rejectedTokens.key(address),
      counters[counted].key(tokenKey(request, counted)),
      category !== 'graphql',
    );
    if (count === null) refuseUnknownTokens(reply, stateOf(deps.limits.categories.authentication, guard, false));
    countedEarly.add(request);
    const state = stateOf(deps.limits.categories[counted], count, category !== 'graphql');
    if (state.exceeded) refuse(reply, counted, state);
    if (category !== 'graphql') setHeaders(reply, state);
  });

  // After every onRequest hook (the token and session are known), before the body is read.
  app.addHook('preParsing', async (request, reply) => {
    if (countedEarly.has(request)) return;
    const category = routeCategory(request);
    if (category === null) return;
    // A GraphQL document is counted once it is known what it asks for; one refused before
    // (unparsable, invalid, too costly) counts as a read when answered. A client with no reads
    // left is refused at once, since reading the document is the work it would ask for.
    if (category === 'graphql') return limiter.ensureLeft(request, reply, 'reads');
    await limiter.charge(request, reply, category);
  });
  app.addHook('onResponse', async (request, reply) => {
    if (reply.statusCode === 401 && request.headers.authorization && !request.viewer) await rejectedTokens.hit(clientAddress(request));
    if (routeCategory(request) !== 'graphql' || reply.hasHeader('x-ratelimit-limit') || reply.statusCode === 429) return;
    await limiter.chargeAfter(request, 'reads');
  });
}
