// Finding 4: password hashing must not starve everything else that needs libuv's thread pool. scrypt
// runs there, and so do file reads: a sign-in flood held all four threads and /media waited seconds.
// Hashing is bounded (PASSWORD_HASH_CONCURRENCY at once, PASSWORD_HASH_QUEUE waiting, then 503 with
// Retry-After). Checked by order of completion, not by timing: with hashes of a high cost queued, an
// image file is served before the first hash ends; without the bound (PASSWORD_HASH_CONCURRENCY=0)
// the same image waits for a hash to free a thread. The speed-up is measured in bench/password-flood.ts.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PasswordHasher } from '../../src/auth/password-hasher.js';
import { createTestApp, type TestApp } from '../support/test-app.js';
import { createBoard, imageSource } from '../support/fixtures.js';

// A well-formed stored hash at N = 2^16 (64 MiB, a few hundred milliseconds): verifying any password
// against it costs that, whatever the server's own cost setting.
const COSTLY_HASH = 'scrypt$16$8$1$AAAAAAAAAAAAAAAAAAAAAA$AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA';

describe('the hashing bound', () => {
  it('runs at most `concurrency` hashes, queues `queueLimit` and refuses the rest at once', async () => {
    const hasher = new PasswordHasher({ concurrency: 1, queueLimit: 2 });
    const attempts = Array.from({ length: 6 }, () => hasher.verify('guess', COSTLY_HASH).then(() => 'done', (error: { kind?: string; retryAfterSeconds?: number }) => `${error.kind} ${error.retryAfterSeconds}`));
    expect(hasher.load).toEqual({ running: 1, waiting: 2 });
    const outcomes = await Promise.all(attempts);
    expect(outcomes).toEqual(['done', 'done', 'done', 'PASSWORD_HASHING_BUSY 1', 'PASSWORD_HASHING_BUSY 1', 'PASSWORD_HASHING_BUSY 1']);
    expect(hasher.load).toEqual({ running: 0, waiting: 0 });
  }, 60_000);
});

async function appWithImage(env: Record<string, string>): Promise<{ t: TestApp; mediaPath: string }> {
  const t = await createTestApp(env);
  const owner = await t.signUp('photographer');
  const board = await createBoard(t, owner, { name: 'Shots' });
  const pin = await t.request({ method: 'POST', url: '/v5/pins', as: owner, payload: { board_id: board.id, media_source: await imageSource() } });
  expect(pin.statusCode, pin.body).toBe(201);
  const url = Object.values(pin.json<{ media: { images: Record<string, { url: string }> } }>().media.images)[0]!.url;
  const parsed = new URL(url);
  return { t, mediaPath: parsed.pathname + parsed.search };
}

/** Queues `hashes` costly verifications, then fetches the image: answers which finished first. */
async function imageVersusHashes(t: TestApp, mediaPath: string, hashes: number): Promise<'image' | 'hash'> {
  let first: 'image' | 'hash' | undefined;
  const verifications = Array.from({ length: hashes }, () =>
    t.container.hasher.verify('guess', COSTLY_HASH).then(
      () => void (first ??= 'hash'),
      () => undefined,
    ),
  );
  // Let the hashes reach the thread pool first.
  await new Promise((resolve) => setImmediate(resolve));
  const image = await t.request({ method: 'GET', url: mediaPath });
  expect(image.statusCode).toBe(200);
  first ??= 'image';
  await Promise.all(verifications);
  return first;
}

describe('a sign-in flood and /media', () => {
  let bounded: { t: TestApp; mediaPath: string };
  beforeAll(async () => {
    bounded = await appWithImage({ PASSWORD_HASH_CONCURRENCY: '2', PASSWORD_HASH_QUEUE: '16' });
  });
  afterAll(async () => bounded?.t.close());

  it('serves an image while hashes queue, before the first hash ends', async () => {
    expect(await imageVersusHashes(bounded.t, bounded.mediaPath, 8)).toBe('image');
  }, 60_000);

  it('answers a sign-in that finds the queue full with 503, Retry-After and nothing issued', async () => {
    const t = await createTestApp({ PASSWORD_HASH_CONCURRENCY: '1', PASSWORD_HASH_QUEUE: '0' });
    try {
      await t.signUp('crowd');
      const tokensBefore = await t.container.db.selectFrom('oauth_tokens').select('id').execute();
      const busy = t.container.hasher.verify('guess', COSTLY_HASH);
      expect(t.container.hasher.load.running).toBe(1);
      const reply = await t.request({
        method: 'POST',
        url: '/v5/oauth/token',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        payload: new URLSearchParams({ grant_type: 'password', username: 'crowd', password: 'pw-crowd-secret' }).toString(),
      });
      await busy;
      expect(reply.statusCode).toBe(503);
      expect(reply.headers['retry-after']).toBe('1');
      expect(reply.json()).toEqual({ code: 5031, message: 'Too many sign-ins are being checked right now; retry in a moment.' });
      expect(await t.container.db.selectFrom('oauth_tokens').select('id').execute()).toEqual(tokensBefore);
    } finally {
      await t.close();
    }
  }, 60_000);

  it('(control) without the bound, the same image waits for a hash to free a thread', async () => {
    const unbounded = await appWithImage({ PASSWORD_HASH_CONCURRENCY: '0' });
    try {
      expect(await imageVersusHashes(unbounded.t, unbounded.mediaPath, 8)).toBe('hash');
    } finally {
      await unbounded.t.close();
    }
  }, 60_000);
});
