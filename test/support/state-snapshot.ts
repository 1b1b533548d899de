// Everything a write could leave behind, captured so two captures can be compared: a refused request
// (401, 403, 404) must change none of it.
//
// - Every table of the database, found in the catalog (a new table is covered without a change here):
//   its row count and a digest of its rows in a fixed order. Counters are columns, so they are in it.
//   Timelines and feeds on the database engine (feed_timelines, feed_timeline_heads), the change log
//   and the job queue are tables too.
// - The cache: this process's tier (key -> encoded value) and, with REDIS_URL, the app's Redis keys
//   and their values: the cache's shared tier, timelines (`tl:`), BullMQ's jobs.
// - The stored image files (name -> size, modification time, inode).
// In-process state derived from the change log (the related-pins graph, other processes' caches)
// follows the change log, so an unchanged change log covers it.
//
// Left out, because they legitimately change while nothing is written (each is a read's own trace or
// the background's heartbeat, not a write's):
// - user_activity, and feed_timeline_heads.expires_at: any authenticated request records that its
//   caller is active (a row on their first request, then at most every few minutes), which extends
//   their timeline's life. That is a trace of the request, refused or not, not of what it asked for.
// - log_consumers.updated_at: a durable reader notes when it last looked, moved on or not.
// - jobs named maintenance.periodic (database queue) and BullMQ's bookkeeping keys: the purge tasks are
//   enqueued on a clock (once per slot), whatever requests come; the job hashes of every other job are
//   kept, so a refusal that enqueued work shows.
// - rate-limit counters (`ratelimit:`): refused requests count, by design.
// - Redis TTLs: reads do not extend them, but they tick.
// Cache entries may appear (a refusal reads, and reads fill the cache), but an entry present before
// must be present after with the same value: a refusal has nothing to invalidate. Callers make the
// cache's TTL longer than the test (CACHE_TTL_SECONDS) so no entry expires between two captures.
import { readdir, stat } from 'node:fs/promises';
import path from 'node:path';
import { sql } from 'kysely';
import type { TestApp } from './test-app.js';

export interface StateSnapshot {
  /** table -> "<row count>:<md5 of its rows>" */
  tables: Record<string, string>;
  /** This process's cache tier: key -> encoded value. */
  cache: Record<string, string>;
  /** The app's Redis keys (prefix removed) -> type and value; empty without REDIS_URL. */
  redis: Record<string, string>;
  /** Stored files under the media directory -> size, modification time and inode. */
  blobs: Record<string, string>;
}

/** Columns a read may rewrite (see above), by table. */
const VOLATILE_COLUMNS: Record<string, readonly string[]> = {
  feed_timeline_heads: ['expires_at'],
  log_consumers: ['updated_at'],
};
/** Rows kept, by table (an SQL condition on alias `r`): what the clock or any request writes is left out. */
const CLOCKED_ROWS: Record<string, string> = {
  jobs: "r.name <> 'maintenance.periodic'",
  user_activity: 'false',
};
/** Redis keys (after the app's prefix) left out: counters of requests, and BullMQ's bookkeeping (`:<queue>:<what>`). */
const VOLATILE_REDIS = [/^ratelimit:/, /^:[^:]+:(?:events|id|meta|stalled-check|stalled|marker|metrics:.*|wait|paused|active|completed|failed|delayed|prioritized|pc|limiter|de:.*)$/];
const CACHE_PREFIX = 'cache:';

/** Waits until the background has nothing left to do (jobs, log readers, invalidations), then captures. */
export async function snapshotState(t: TestApp): Promise<StateSnapshot> {
  await t.container.background.settle();
  const [tables, redis, blobs] = await Promise.all([tableDigests(t), redisValues(t), blobDigests(path.join(t.config.dataDir, 'media'))]);
  return { tables, cache: Object.fromEntries(t.container.background.cache.entries()), redis, blobs };
}

/**
 * What changed from `before` to `after`, one line each (empty when nothing did). New cache entries
 * (local or Redis `cache:` keys) are not changes: reads fill the cache.
 */
export function stateChanges(before: StateSnapshot, after: StateSnapshot): string[] {
  const changes: string[] = [];
  const compare = (what: string, a: Record<string, string>, b: Record<string, string>, mayAppear: (key: string) => boolean) => {
    for (const [key, value] of Object.entries(a)) {
      if (!(key in b)) changes.push(`${what} ${key}: gone (was ${value.slice(0, 120)})`);
      else if (b[key] !== value) changes.push(`${what} ${key}: ${value.slice(0, 120)} -> ${b[key]!.slice(0, 120)}`);
    }
    for (const [key, value] of Object.entries(b)) if (!(key in a) && !mayAppear(key)) changes.push(`${what} ${key}: new (${value.slice(0, 120)})`);
  };
  compare('table', before.tables, after.tables, () => false);
  compare('cache', before.cache, after.cache, () => true);
  compare('redis', before.redis, after.redis, (key) => key.startsWith(CACHE_PREFIX));
  compare('blob', before.blobs, after.blobs, () => false);
  return changes;
}

async function tableDigests(t: TestApp): Promise<Record<string, string>> {
  const { db } = t.container;
  const names = await sql<{ name: string }>`
    SELECT table_name AS name FROM information_schema.tables
    WHERE table_schema = current_schema() AND table_type = 'BASE TABLE' ORDER BY table_name
  `.execute(db);
  // One statement for every table: a row as JSON text, minus its volatile columns, ordered by that text.
  const parts = names.rows.map(({ name }) => {
    const dropped = VOLATILE_COLUMNS[name] ?? [];
    const row = dropped.length > 0 ? `(to_jsonb(r) - ARRAY[${dropped.map((c) => `'${c}'`).join(',')}]::text[])::text` : 'to_jsonb(r)::text';
    const where = CLOCKED_ROWS[name] ? ` WHERE ${CLOCKED_ROWS[name]}` : '';
    return `SELECT '${name}' AS name, count(*)::int AS n, coalesce(md5(string_agg(x, E'\\n' ORDER BY x)), '') AS digest FROM (SELECT ${row} AS x FROM "${name}" r${where}) s`;
  });
  const digests = await sql<{ name: string; n: number; digest: string }>`${sql.raw(parts.join(' UNION ALL '))}`.execute(db);
  return Object.fromEntries(digests.rows.map((row) => [row.name, `${row.n}:${row.digest}`]));
}

async function redisValues(t: TestApp): Promise<Record<string, string>> {
  const redis = t.container.background.redis;
  if (!redis) return {};
  const prefix = t.config.redisKeyPrefix;
  const keys: string[] = [];
  let cursor = '0';
  do {
    const [next, found] = await redis.scan(cursor, 'MATCH', `${prefix}*`, 'COUNT', 1000);
    cursor = next;
    keys.push(...found);
  } while (cursor !== '0');
  const kept = keys.map((key) => key.slice(prefix.length)).filter((key) => !VOLATILE_REDIS.some((pattern) => pattern.test(key)));
  kept.sort();
  const types = await Promise.all(kept.map((key) => redis.type(prefix + key)));
  const values = await Promise.all(
    kept.map(async (key, index): Promise<unknown> => {
      const full = prefix + key;
      switch (types[index]) {
        case 'string':
          return redis.get(full);
        case 'hash':
          return sortedEntries(await redis.hgetall(full));
        case 'zset':
          return redis.zrange(full, '0', '-1', 'WITHSCORES');
        case 'list':
          return redis.lrange(full, 0, -1);
        case 'set':
          return (await redis.smembers(full)).sort();
        case 'none':
          return undefined;
        default:
          return `(${types[index]})`;
      }
    }),
  );
  const result: Record<string, string> = {};
  kept.forEach((key, index) => {
    const value = values[index];
    if (value === undefined) return; // expired between SCAN and read
    if (isPeriodicJob(value)) return;
    result[key] = `${types[index]} ${JSON.stringify(value)}`;
  });
  return result;
}

function sortedEntries(hash: Record<string, string>): Array<[string, string]> {
  return Object.entries(hash).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
}

/** A BullMQ job hash of the clocked maintenance job (see CLOCKED_ROWS). */
function isPeriodicJob(value: unknown): boolean {
  return Array.isArray(value) && value.some((entry) => Array.isArray(entry) && entry[0] === 'name' && entry[1] === 'maintenance.periodic');
}

async function blobDigests(root: string): Promise<Record<string, string>> {
  const result: Record<string, string> = {};
  const walk = async (dir: string): Promise<void> => {
    let entries;
    try {
      entries = await readdir(dir, { withFileTypes: true });
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return;
      throw error;
    }
    await Promise.all(
      entries.map(async (entry) => {
        const full = path.join(dir, entry.name);
        // In-flight writes are renamed into place or removed; only what readers can see counts.
        if (entry.isDirectory()) {
          if (entry.name !== '.tmp') await walk(full);
          return;
        }
        // Files are written whole and renamed into place, so new bytes mean a new inode and time.
        const { size, mtimeMs, ino } = await stat(full);
        result[path.relative(root, full)] = `${size}:${mtimeMs}:${ino}`;
      }),
    );
  };
  await walk(root);
  return result;
}
