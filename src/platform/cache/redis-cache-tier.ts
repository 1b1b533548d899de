// The shared tier of the cache on Redis, and the channel that tells every process which keys a write
// made stale. Commands fail fast while Redis is unreachable (no offline queue, short timeout): the
// cache then answers as a miss and the caller reads the database.
import { Redis } from 'ioredis';
import type { Logger } from 'pino';

export interface RedisCacheTierOptions {
  redisUrl: string;
  prefix: string;
  commandTimeoutMs: number;
  logger?: Pick<Logger, 'warn'>;
}

const INVALIDATION_CHUNK = 1000;

/** Deletes the keys matching a glob pattern, with SCAN (so Redis is never blocked). */
export async function deleteKeysMatching(client: Redis, pattern: string): Promise<void> {
  let cursor = '0';
  do {
    const [next, keys] = await client.scan(cursor, 'MATCH', pattern, 'COUNT', 1000);
    cursor = next;
    if (keys.length > 0) await client.del(...keys);
  } while (cursor !== '0');
}

export class RedisCacheTier {
  private readonly client: Redis;
  private readonly subscriber: Redis;
  private readonly channel: string;
  private readonly listeners = new Set<(keys: string[]) => void>();
  private readonly reconnectListeners = new Set<() => void>();

  constructor(private readonly options: RedisCacheTierOptions) {
    const common = { enableOfflineQueue: false, maxRetriesPerRequest: 0, commandTimeout: options.commandTimeoutMs };
    this.client = new Redis(options.redisUrl, common);
    this.client.on('error', () => undefined);
    // The subscriber must queue its SUBSCRIBE until connected, and re-subscribes after a reconnect.
    this.subscriber = new Redis(options.redisUrl, { maxRetriesPerRequest: null });
    this.channel = `${options.prefix}cache:invalidate`;
    let lostConnection = false;
    this.subscriber.on('error', () => undefined);
    this.subscriber.on('close', () => {
      lostConnection = true;
    });
    this.subscriber.on('ready', () => {
      // Invalidations published while we were away were missed: drop what we hold.
      if (lostConnection) for (const listener of this.reconnectListeners) listener();
      lostConnection = false;
    });
    void this.subscriber.subscribe(this.channel).catch((error: unknown) => options.logger?.warn({ err: error }, 'cache: subscribe failed'));
    this.subscriber.on('message', (channel: string, message: string) => {
      if (channel !== this.channel) return;
      const keys = JSON.parse(message) as string[];
      for (const listener of this.listeners) listener(keys);
    });
  }

  private key(key: string): string {
    return `${this.options.prefix}cache:${key}`;
  }

  async getMany(keys: readonly string[]): Promise<Array<string | null>> {
    if (keys.length === 0) return [];
    return this.client.mget(...keys.map((key) => this.key(key)));
  }

  async setMany(entries: ReadonlyArray<[string, string]>, ttlSeconds: number): Promise<void> {
    if (entries.length === 0) return;
    const pipeline = this.client.pipeline();
    for (const [key, value] of entries) pipeline.set(this.key(key), value, 'EX', ttlSeconds);
    await pipeline.exec();
  }

  /** Deletes the keys matching the glob patterns. */
  async deleteMatching(patterns: readonly string[]): Promise<void> {
    for (const pattern of patterns) await deleteKeysMatching(this.client, this.key(pattern));
  }

  /**
   * Deletes the keys and tells every process (this one included) to drop them, in chunks (a board
   * deleted with all its pins can invalidate many thousands at once).
   */
  async invalidate(keys: readonly string[]): Promise<void> {
    for (let start = 0; start < keys.length; start += INVALIDATION_CHUNK) {
      const chunk = keys.slice(start, start + INVALIDATION_CHUNK);
      await this.client.del(...chunk.map((key) => this.key(key)));
      await this.client.publish(this.channel, JSON.stringify(chunk));
    }
  }

  /**
   * Resolves once the invalidations published so far have been delivered to this process: the
   * subscriber connection answers a PING only after the messages queued before it.
   */
  async delivered(): Promise<void> {
    // Offline, nothing is being delivered (and a queued PING would wait for Redis to come back).
    if (this.subscriber.status !== 'ready') return;
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<void>((resolve) => {
      timer = setTimeout(resolve, this.options.commandTimeoutMs);
      timer.unref();
    });
    try {
      await Promise.race([this.subscriber.ping().then(() => undefined), timeout]);
    } finally {
      clearTimeout(timer);
    }
  }

  onInvalidate(listener: (keys: string[]) => void): void {
    this.listeners.add(listener);
  }

  onReconnect(listener: () => void): void {
    this.reconnectListeners.add(listener);
  }

  /** Resolves once the invalidation channel is subscribed (start-up and tests). */
  async ready(timeoutMs = 5000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (Date.now() < deadline) {
      const count = await this.client.pubsub('NUMSUB', this.channel).catch(() => [this.channel, 0]);
      if (Number(count[1]) > 0 && this.subscriber.status === 'ready') return;
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
  }

  /** Resolves when Redis answers a PING (fails at once while disconnected, within the command timeout otherwise). */
  async ping(): Promise<void> {
    await this.client.ping();
  }

  /** The command connection (fail-fast settings), for other short commands such as rate-limit counters. */
  get commands(): Redis {
    return this.client;
  }

  async close(): Promise<void> {
    this.client.disconnect();
    this.subscriber.disconnect();
  }
}
