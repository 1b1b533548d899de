// Test helpers for the real Redis: tests run on it when REDIS_URL is set (CI sets it) and clean up the
// keys their prefix owns.
import { Redis } from 'ioredis';

export const redisUrl = process.env.REDIS_URL;

export async function deleteRedisKeys(url: string, prefix: string): Promise<void> {
  const client = new Redis(url, { maxRetriesPerRequest: 1 });
  try {
    let cursor = '0';
    do {
      const [next, keys] = await client.scan(cursor, 'MATCH', `${prefix}*`, 'COUNT', 1000);
      cursor = next;
      if (keys.length > 0) await client.del(...keys);
    } while (cursor !== '0');
  } finally {
    client.disconnect();
  }
}
