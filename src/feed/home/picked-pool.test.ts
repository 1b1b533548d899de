// The picked pool and the related-pins engine: the feed waits for the engine's picks a short while
// only, asks for few walks at a time, and keeps picks that came late for the viewer's next feed. The
// engine here is a stand-in whose answers arrive when the test says, on the real database and cache.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp, type TestUser } from '../../../test/support/test-app.js';
import { HomeFeedRepository } from './home-feed.repository.js';
import type { AffinityProfile } from './home-feed-ranking.js';
import { PickedPool, type PickedForUserSource } from './picked-pool.js';
import { addPin, makeBoard } from './home-feed-test-support.js';

let t: TestApp;
let author: TestUser;
const related: string[] = [];

beforeAll(async () => {
  t = await createTestApp();
  author = await t.signUp('related_author');
  // A board the pool's own sources never reach (they take PUBLIC boards only): only the engine names these pins.
  const board = await makeBoard(t, author, 'Lamps', 'SECRET');
  for (let n = 0; n < 3; n += 1) related.push((await addPin(t, author, board, { ageHours: 5 + n })).pinId);
});
afterAll(async () => t.close());

/** A related-pins engine whose answers wait until `release()`. */
function slowEngine() {
  const waiting: Array<() => void> = [];
  let calls = 0;
  const source: PickedForUserSource = {
    pickedForUser: async () => {
      calls += 1;
      await new Promise<void>((resolve) => waiting.push(resolve));
      return related.map((pinId) => ({ pinId }));
    },
  };
  return { source, calls: () => calls, release: () => waiting.splice(0).forEach((resolve) => resolve()) };
}

const profile = (): AffinityProfile => ({ asOfMs: Date.now(), authors: {}, boards: {}, topics: {} });

describe('the picked pool and the related-pins engine', () => {
  it('does not wait for a slow engine, asks for two walks at a time, and uses late picks on the next feed', async () => {
    const engine = slowEngine();
    const pool = new PickedPool({ repository: new HomeFeedRepository(t.container.db), cache: t.container.background.cache, related: engine.source, relatedTimeoutMs: 50 });
    const started = performance.now();
    const first = await Promise.all(['1001', '1002', '1003'].map((userId) => pool.pick(userId, profile())));
    expect(performance.now() - started).toBeLessThan(2000);
    for (const picked of first) for (const pinId of related) expect(picked).not.toContain(pinId);
    expect(engine.calls()).toBe(2);

    engine.release();
    await new Promise((resolve) => setTimeout(resolve, 20));
    // The picks that came late are there for those viewers' next feed, without another walk.
    expect(await pool.pick('1001', profile())).toEqual(expect.arrayContaining(related));
    expect(engine.calls()).toBe(2);
  });
});
