// Test helpers for the real Redis: tests run on it when REDIS_URL is set (CI sets it) and clean up the
// keys their prefix owns.
import { Redis } from 'ioredis';
import { deleteKeysMatching } from '../../src/platform/cache/redis-cache-tier.js';

export const redisUrl = process.env.REDIS_URL;

export async function deleteRedisKeys(url: string, prefix: string): Promise<void> {
  const client = new Redis(url, { maxRetriesPerRequest: 1 });
  try {
    await deleteKeysMatching(client, `${prefix}*`);
  } finally {
    client.disconnect();
  }
}
