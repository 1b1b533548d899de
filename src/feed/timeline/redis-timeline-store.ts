// Timelines as Redis sorted sets: `<prefix>tl:<userId>`, member = pin id, score = timelineScore.
// A complete timeline holds the marker member "_" at score 0, below every pin (reads start above
// 0); while one is being rebuilt, `<prefix>tl:<userId>:building` exists for a minute so deliveries
// made during the rebuild are kept. Deliveries run as one script per batch of users: add the pins
// where the timeline is complete or building, then trim to the newest FEED_TIMELINE_MAX. A timeline
// expires with its owner's activity window (PEXPIREAT), so an absent user's goes away by itself.
// Commands fail fast while Redis is unreachable (no offline queue, short timeout): readers fall
// back to the database, and fan-out jobs fail and are retried.
import { Redis } from 'ioredis';
import type { TimelineEntry, TimelineReadOptions } from './timeline.js';
import { BUILD_WINDOW_MS, type StoredPage, type TimelineStore } from './timeline-store.js';

const MARKER = '_';

// KEYS: pairs (timeline key, building key) per user. ARGV[1]: cap; ARGV[2..]: score, member pairs.
const DELIVER_SCRIPT = `
local cap = tonumber(ARGV[1])
local delivered = 0
for i = 1, #KEYS, 2 do
  local key = KEYS[i]
  if redis.call('ZSCORE', key, '${MARKER}') or redis.call('EXISTS', KEYS[i + 1]) == 1 then
    redis.call('ZADD', key, unpack(ARGV, 2))
    redis.call('ZREMRANGEBYRANK', key, 1, -(cap + 1))
    delivered = delivered + 1
  end
end
return delivered
`;

/** Users per script call. */
const DELIVER_BATCH = 250;

export interface RedisTimelineStoreOptions {
  redisUrl: string;
  prefix: string;
  maxItems: number;
  commandTimeoutMs?: number;
}

type DeliverCommand = (numKeys: number, ...args: Array<string | number>) => Promise<number>;

export class RedisTimelineStore implements TimelineStore {
  readonly kind = 'redis' as const;
  private readonly client: Redis & { deliverTimeline: DeliverCommand };

  constructor(private readonly options: RedisTimelineStoreOptions) {
    const client = new Redis(options.redisUrl, {
      enableOfflineQueue: false,
      maxRetriesPerRequest: 0,
      commandTimeout: options.commandTimeoutMs ?? 1000,
    });
    client.on('error', () => undefined);
    client.defineCommand('deliverTimeline', { lua: DELIVER_SCRIPT });
    this.client = client as Redis & { deliverTimeline: DeliverCommand };
  }

  private key(userId: string): string {
    return `${this.options.prefix}tl:${userId}`;
  }

  private buildingKey(userId: string): string {
    return `${this.options.prefix}tl:${userId}:building`;
  }

  async read(userId: string, { limit, beforeScore }: TimelineReadOptions): Promise<StoredPage | undefined> {
    const key = this.key(userId);
    const max = beforeScore === undefined ? '+inf' : `(${beforeScore}`;
    const results = await this.client
      .pipeline()
      .zscore(key, MARKER)
      .zrevrangebyscore(key, max, '(0', 'WITHSCORES', 'LIMIT', 0, Math.max(0, limit))
      .zcard(key)
      .exec();
    if (!results) throw new Error('timeline read returned nothing');
    for (const [error] of results) if (error) throw error;
    if (results[0]![1] === null) return undefined;
    const flat = results[1]![1] as string[];
    const entries: TimelineEntry[] = [];
    for (let i = 0; i < flat.length; i += 2) entries.push({ pinId: flat[i]!, score: Number(flat[i + 1]) });
    // The count includes the marker.
    return { entries, full: (results[2]![1] as number) - 1 >= this.options.maxItems };
  }

  async beginBuild(userId: string): Promise<void> {
    await this.client.multi().del(this.key(userId)).set(this.buildingKey(userId), '1', 'PX', BUILD_WINDOW_MS).exec();
  }

  async finishBuild(userId: string, entries: readonly TimelineEntry[], expiresAt: Date): Promise<void> {
    const key = this.key(userId);
    const members: Array<string | number> = [0, MARKER];
    for (const entry of entries) members.push(entry.score, entry.pinId);
    const results = await this.client
      .multi()
      .zadd(key, ...members)
      .zremrangebyrank(key, 1, -(this.options.maxItems + 1))
      .pexpireat(key, expiresAt.getTime())
      .del(this.buildingKey(userId))
      .exec();
    for (const [error] of results ?? []) if (error) throw error;
  }

  async deliver(userIds: readonly string[], entries: readonly TimelineEntry[]): Promise<number> {
    if (userIds.length === 0 || entries.length === 0) return 0;
    const pairs: Array<string | number> = [];
    for (const entry of entries) pairs.push(entry.score, entry.pinId);
    // Scripts block Redis while they run: batches of a few hundred users keep each one short, and
    // go in one pipeline, so a chunk of a fan-out costs one round trip.
    const pipeline = this.client.pipeline() as ReturnType<Redis['pipeline']> & { deliverTimeline: (numKeys: number, ...args: Array<string | number>) => unknown };
    for (let start = 0; start < userIds.length; start += DELIVER_BATCH) {
      const keys: string[] = [];
      for (const userId of userIds.slice(start, start + DELIVER_BATCH)) keys.push(this.key(userId), this.buildingKey(userId));
      pipeline.deliverTimeline(keys.length, ...keys, this.options.maxItems, ...pairs);
    }
    let delivered = 0;
    for (const [error, count] of (await pipeline.exec()) ?? []) {
      if (error) throw error;
      delivered += count as number;
    }
    return delivered;
  }

  async remove(userIds: readonly string[], pinIds: readonly string[]): Promise<void> {
    if (userIds.length === 0 || pinIds.length === 0) return;
    for (let start = 0; start < userIds.length; start += 1000) {
      const pipeline = this.client.pipeline();
      for (const userId of userIds.slice(start, start + 1000)) pipeline.zrem(this.key(userId), ...pinIds);
      const results = await pipeline.exec();
      for (const [error] of results ?? []) if (error) throw error;
    }
  }

  async pinIds(userId: string): Promise<string[]> {
    const members = await this.client.zrangebyscore(this.key(userId), '(0', '+inf');
    return members;
  }

  async keepAlive(userId: string, expiresAt: Date): Promise<void> {
    await this.client.pexpireat(this.key(userId), expiresAt.getTime());
  }

  async drop(userId: string): Promise<void> {
    await this.client.del(this.key(userId), this.buildingKey(userId));
  }

  async maintain(): Promise<void> {
    // Redis trims on every delivery and expires timelines by itself.
  }

  async close(): Promise<void> {
    this.client.disconnect();
  }
}
