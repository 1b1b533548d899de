// The cache as its readers see it: one load for a stampede, no stale read of one's own write, other
// processes dropping invalidated keys, and database reads when Redis is gone.
import { randomBytes } from 'node:crypto';
import { afterEach, describe, expect, it } from 'vitest';
import { Registry } from 'prom-client';
import { deleteRedisKeys, redisUrl } from '../../../test/support/redis.js';
import { Cache } from './cache.js';
import { CacheMetrics } from './cache-metrics.js';
import { RedisCacheTier } from './redis-cache-tier.js';

const cleanups: Array<() => Promise<void> | void> = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

function makeCache(remote?: RedisCacheTier) {
  const metrics = new CacheMetrics(new Registry());
  const cache = new Cache({ maxEntries: 100, ttlSeconds: 30, remote, metrics, secondDeleteMs: 50 });
  cleanups.push(() => cache.close());
  return { cache, metrics };
}

function makeTier(prefix: string, url = redisUrl!) {
  const tier = new RedisCacheTier({ redisUrl: url, prefix, commandTimeoutMs: 250 });
  cleanups.push(() => tier.close());
  return tier;
}

/** A stand-in database: counts loads, can be slowed down, values can be changed. */
function fakeTable(initial: Record<string, { name: string; at: Date }>) {
  const rows = new Map(Object.entries(initial));
  let loads = 0;
  let delayMs = 0;
  return {
    rows,
    get loads() {
      return loads;
    },
    slow(ms: number) {
      delayMs = ms;
    },
    async load(id: string) {
      loads += 1;
      if (delayMs) await new Promise((resolve) => setTimeout(resolve, delayMs));
      const row = rows.get(id);
      return row ? { ...row } : undefined;
    },
  };
}

describe('cache, in process', () => {
  it('serves a stampede on a cold key with one load, and keeps Dates', async () => {
    const { cache, metrics } = makeCache();
    const table = fakeTable({ a: { name: 'first', at: new Date('2026-01-02T03:04:05Z') } });
    table.slow(30);
    const results = await Promise.all(Array.from({ length: 50 }, () => cache.get('thing', 'a', () => table.load('a'))));
    expect(table.loads).toBe(1);
    expect(results.every((row) => row?.name === 'first')).toBe(true);
    const again = await cache.get('thing', 'a', () => table.load('a'));
    expect(again?.at).toBeInstanceOf(Date);
    expect(again?.at.toISOString()).toBe('2026-01-02T03:04:05.000Z');
    expect(table.loads).toBe(1);
    expect(metrics.tally.miss).toBe(1);
  });

  it('never returns the old value after the writer invalidated it, even when a slow load was in flight', async () => {
    const { cache } = makeCache();
    const table = fakeTable({ a: { name: 'old', at: new Date() } });
    table.slow(40);
    const slowRead = cache.get('thing', 'a', () => table.load('a'));
    await new Promise((resolve) => setTimeout(resolve, 5));
    table.rows.set('a', { name: 'new', at: new Date() });
    await cache.invalidate('thing', ['a']);
    table.slow(0);
    expect((await cache.get('thing', 'a', () => table.load('a')))?.name).toBe('new');
    await slowRead;
    // The slow load saw the old row; it must not have been stored over the new one.
    expect((await cache.get('thing', 'a', () => table.load('a')))?.name).toBe('new');
    // Nothing is remembered about the key once no load of it runs.
    expect(cache.trackedGenerations()).toBe(0);
  });

  it('stores nothing a load across namespaces read that was dropped while it ran, asked for or found on the way', async () => {
    const { cache } = makeCache();
    let finish!: () => void;
    const loading = cache.loadAcross([['pin', '1']], async () => {
      await new Promise<void>((resolve) => (finish = resolve));
      return [
        ['pin', '1', { board: '7' }],
        ['board', '7', { name: 'old' }],
        ['board', '8', { name: 'kept' }],
      ];
    });
    // Another reader of the asked key waits for this load rather than loading again.
    const waiting = cache.pending('pin', '1');
    expect(waiting).toBeDefined();
    await cache.invalidate('board', ['7']);
    finish();
    await loading;
    expect(await waiting).toEqual({ board: '7' });
    expect(cache.peek('pin', '1')).toEqual({ board: '7' });
    expect(cache.peek('board', '7')).toBeUndefined();
    expect(cache.peek('board', '8')).toEqual({ name: 'kept' });
    expect(cache.pending('pin', '1')).toBeUndefined();
    expect(cache.trackedGenerations()).toBe(0);
  });

  it('keeps no memory of keys invalidated while nobody loaded them', async () => {
    const { cache } = makeCache();
    await cache.invalidate('thing', Array.from({ length: 10_000 }, (_, index) => String(index)));
    expect(cache.trackedGenerations()).toBe(0);
  });

  it('loads only the missing ids of a batch, in one call', async () => {
    const { cache } = makeCache();
    const calls: string[][] = [];
    const load = async (ids: string[]) => {
      calls.push(ids);
      return new Map(ids.filter((id) => id !== 'gone').map((id) => [id, { id }]));
    };
    await cache.getMany('thing', ['a', 'b'], load);
    const found = await cache.getMany('thing', ['a', 'b', 'c', 'gone'], load);
    expect(calls).toEqual([['a', 'b'], ['c', 'gone']]);
    expect([...found.keys()].sort()).toEqual(['a', 'b', 'c']);
  });
});

describe('cache with Redis unreachable', () => {
  it('settles at once, and close() releases whoever waits for the second deletes', async () => {
    const { cache } = makeCache(makeTier('test-cache-down:', 'redis://127.0.0.1:1'));
    await cache.invalidate('pin', ['p']);
    const started = Date.now();
    await cache.settled();
    expect(Date.now() - started).toBeLessThan(2000);

    await cache.invalidate('pin', ['q']);
    const waiting = cache.settled();
    cache.close();
    await waiting;
  });
});

describe.runIf(redisUrl)('cache across processes, on the real Redis', () => {
  const prefix = `test-cache-${randomBytes(4).toString('hex')}:`;
  afterEach(() => deleteRedisKeys(redisUrl!, prefix));

  it('shares loaded values and drops a key everywhere when one process writes', async () => {
    const tierA = makeTier(prefix);
    const tierB = makeTier(prefix);
    await Promise.all([tierA.ready(), tierB.ready()]);
    const a = makeCache(tierA);
    const b = makeCache(tierB);
    const table = fakeTable({ p: { name: 'v1', at: new Date() } });

    expect((await a.cache.get('pin', 'p', () => table.load('p')))?.name).toBe('v1');
    expect((await b.cache.get('pin', 'p', () => table.load('p')))?.name).toBe('v1');
    expect(table.loads).toBe(1);
    expect(b.metrics.tally.remote_hit).toBe(1);

    table.rows.set('p', { name: 'v2', at: new Date() });
    await a.cache.invalidate('pin', ['p']);
    // Process B learns through the channel within milliseconds.
    const deadline = Date.now() + 2000;
    let seen: string | undefined;
    while (Date.now() < deadline) {
      seen = (await b.cache.get('pin', 'p', () => table.load('p')))?.name;
      if (seen === 'v2') break;
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
    expect(seen).toBe('v2');
  });

  it('once settled, a value loaded after a write stays cached (the second delete has been made)', async () => {
    const tier = makeTier(prefix);
    await tier.ready();
    const { cache } = makeCache(tier);
    const table = fakeTable({ p: { name: 'v1', at: new Date() } });
    await cache.get('pin', 'p', () => table.load('p'));
    table.rows.set('p', { name: 'v2', at: new Date() });
    await cache.invalidate('pin', ['p']);
    await cache.settled();
    expect((await cache.get('pin', 'p', () => table.load('p')))?.name).toBe('v2');
    await new Promise((resolve) => setTimeout(resolve, 120));
    expect((await cache.get('pin', 'p', () => table.load('p')))?.name).toBe('v2');
    expect(table.loads).toBe(2);
  });

  it('reads through to the loader while Redis is unreachable, and counts it', async () => {
    // A port nothing listens on stands for Redis being down.
    const tier = makeTier(prefix, 'redis://127.0.0.1:1');
    const { cache, metrics } = makeCache(tier);
    const table = fakeTable({ p: { name: 'from the database', at: new Date() } });
    const started = performance.now();
    expect((await cache.get('pin', 'p', () => table.load('p')))?.name).toBe('from the database');
    await cache.invalidate('pin', ['p']);
    expect((await cache.get('pin', 'p', () => table.load('p')))?.name).toBe('from the database');
    expect(performance.now() - started).toBeLessThan(2000);
    expect(metrics.tally.remote_error).toBe(2);
  });
});
