// The ranking formula and the blend, on their own: what wins between fresh and popular, how affinity
// lifts a pin, how exactly the blend rate holds, and that duplicates of an image are dropped.
import { describe, expect, it } from 'vitest';
import { affinityOf, blend, rankPool, scoreOf, type AffinityProfile, type CandidatePin, type RankedPin } from './home-feed-ranking.js';

const NOW = Date.UTC(2026, 10, 1);
const HOUR = 3_600_000;
const EMPTY: AffinityProfile = { asOfMs: NOW, authors: {}, boards: {}, topics: {} };

let counter = 0;
function pin(fields: Partial<CandidatePin> = {}): CandidatePin {
  counter += 1;
  return {
    pinId: String(1_000_000 + counter),
    ownerId: 'owner',
    boardId: 'board',
    imageId: `image-${counter}`,
    topic: 'dinner ideas',
    createdAtMs: NOW - HOUR,
    saves: 0,
    closeups: 0,
    ...fields,
  };
}

const ids = (ranked: readonly RankedPin[]) => ranked.map((entry) => entry.pin.pinId);

describe('home feed score', () => {
  it('halves with every half-life of age, and doubling engagement makes up for one', () => {
    const fresh = pin({ createdAtMs: NOW });
    const dayOld = pin({ createdAtMs: NOW - 48 * HOUR });
    expect(scoreOf(fresh, 'following', EMPTY, NOW) - scoreOf(dayOld, 'following', EMPTY, NOW)).toBeCloseTo(1);
    // In the picked pool a pin keeps its weight for a week.
    expect(scoreOf(fresh, 'picked', EMPTY, NOW) - scoreOf(pin({ createdAtMs: NOW - 168 * HOUR }), 'picked', EMPTY, NOW)).toBeCloseTo(1);
    // (1 + 3 saves) = 4 = two doublings: a pin two half-lives older with 3 saves ties a fresh one with none.
    const popular = pin({ createdAtMs: NOW - 96 * HOUR, saves: 3 });
    expect(scoreOf(popular, 'following', EMPTY, NOW)).toBeCloseTo(scoreOf(fresh, 'following', EMPTY, NOW));
    // Two close-ups count as one save.
    expect(scoreOf(pin({ closeups: 2 }), 'following', EMPTY, NOW)).toBeCloseTo(scoreOf(pin({ saves: 1 }), 'following', EMPTY, NOW));
  });

  it('adds the viewer affinity to the author, the board and the topic, ignoring negative totals', () => {
    const profile: AffinityProfile = { asOfMs: NOW, authors: { ann: 2, bob: -2 }, boards: { b1: 1 }, topics: { baking: 0.5 } };
    expect(affinityOf(pin({ ownerId: 'ann', boardId: 'b1', topic: 'baking' }), profile)).toBe(3.5);
    expect(affinityOf(pin({ ownerId: 'bob', boardId: 'b1', topic: 'other' }), profile)).toBe(1);
    // A topic named like an Object.prototype member is just an unknown topic.
    expect(affinityOf(pin({ ownerId: 'x', boardId: 'y', topic: 'constructor' }), profile)).toBe(0);
    expect(affinityOf(pin({ ownerId: 'x', boardId: 'y', topic: '__proto__' }), profile)).toBe(0);
  });

  it('ranks a pool best first, and breaks ties the same way for the same seed', () => {
    const profile: AffinityProfile = { asOfMs: NOW, authors: { friend: 3 }, boards: {}, topics: {} };
    const old = pin({ createdAtMs: NOW - 200 * HOUR });
    const fresh = pin({ createdAtMs: NOW });
    const liked = pin({ createdAtMs: NOW - 24 * HOUR, ownerId: 'friend' });
    const saved = pin({ createdAtMs: NOW - 24 * HOUR, saves: 7 });
    expect(ids(rankPool([old, fresh, liked, saved], 'following', profile, NOW, 1))).toEqual([saved.pinId, liked.pinId, fresh.pinId, old.pinId]);

    const ties = Array.from({ length: 20 }, () => pin({ createdAtMs: NOW }));
    const once = ids(rankPool(ties, 'following', EMPTY, NOW, 42));
    expect(ids(rankPool([...ties].reverse(), 'following', EMPTY, NOW, 42))).toEqual(once);
    expect(ids(rankPool(ties, 'following', EMPTY, NOW, 43))).not.toEqual(once);
  });
});

describe('home feed blend', () => {
  const pool = (n: number, kind: 'following' | 'picked') => rankPool(Array.from({ length: n }, () => pin()), kind, EMPTY, NOW, 7);

  it('gives the picked pool floor or ceil of n x rate of any n consecutive slots, wherever the seed puts them', () => {
    for (const rate of [0, 0.1, 0.25, 0.3, 0.5, 0.9, 1]) {
      for (const seed of [1, 2, 3, 99]) {
        const feed = blend(pool(200, 'following'), pool(200, 'picked'), { pickedRate: rate, seed, maxItems: 100 });
        expect(feed).toHaveLength(100);
        for (const window of [10, 25, 100]) {
          for (let start = 0; start + window <= feed.length; start += 5) {
            const picked = feed.slice(start, start + window).filter((entry) => entry.pool === 'picked').length;
            expect(picked).toBeGreaterThanOrEqual(Math.floor(window * rate - 1e-9));
            expect(picked).toBeLessThanOrEqual(Math.ceil(window * rate + 1e-9));
          }
        }
      }
    }
  });

  it('keeps each pool in its own order, and fills from the other pool when one runs out', () => {
    const following = pool(5, 'following');
    const picked = pool(50, 'picked');
    const feed = blend(following, picked, { pickedRate: 0.5, seed: 5, maxItems: 40 });
    expect(feed).toHaveLength(40);
    expect(ids(feed.filter((entry) => entry.pool === 'following'))).toEqual(ids(following));
    expect(ids(feed.filter((entry) => entry.pool === 'picked'))).toEqual(ids(picked).slice(0, 35));
  });

  it('drops a later pin with an image already placed, and a pin already placed', () => {
    const shared = pin({ saves: 10 });
    const copy = pin({ imageId: shared.imageId, saves: 5 });
    const other = pin();
    const following = rankPool([shared, other], 'following', EMPTY, NOW, 1);
    const picked = rankPool([copy, shared, pin()], 'picked', EMPTY, NOW, 1);
    const feed = blend(following, picked, { pickedRate: 0.5, seed: 1, maxItems: 10 });
    const images = feed.map((entry) => entry.pin.imageId);
    expect(new Set(images).size).toBe(images.length);
    expect(ids(feed)).toContain(shared.pinId);
    expect(ids(feed)).not.toContain(copy.pinId);
    expect(feed).toHaveLength(3);
  });
});
