// How the home feed orders what its two pools bring: a score per pin from recency, engagement and the
// viewer's affinity, each pool sorted by it, then the pools interleaved at the blend rate with
// duplicates of the same pin or the same image dropped. Pure functions of their inputs (the snapshot
// time and seed included), so the same inputs give the same feed on every process and every page.
//
//   score = -age / halfLife(pool) + log2(1 + saves + 0.5 * closeups) + log2(1 + affinity)
//
// Read as a product: 2^score = 0.5^(age / halfLife) * (1 + engagement) * (1 + affinity). A pin loses
// half its weight every half-life (48 hours in the following pool, where freshness is the point; a
// week in the picked pool, where popular pins stay good longer); doubling its engagement, or the
// viewer's affinity, makes up for one half-life. Ages are measured from the feed's snapshot time, not
// from the moment a page is served, so later pages score exactly as the first did.

import { hashString } from '../../platform/hash.js';

export type Pool = 'following' | 'picked';

/** What ranking needs to know about a candidate pin (read in one statement per feed). */
export interface CandidatePin {
  pinId: string;
  ownerId: string;
  boardId: string;
  imageId: string;
  /** The topic of the pin: its board's name, lower-cased ("dinner ideas"). */
  topic: string;
  createdAtMs: number;
  /** Saves of this pin by anyone (pins.save_count). */
  saves: number;
  /** Close-ups of this pin recorded by clients before the snapshot. */
  closeups: number;
}

/**
 * How much the viewer engages with authors, boards and topics (see viewer-profile.ts for the
 * weights). Built from rows created at or before `asOfMs`.
 */
export interface AffinityProfile {
  asOfMs: number;
  authors: Record<string, number>;
  boards: Record<string, number>;
  topics: Record<string, number>;
}

export const RANKING = {
  halfLifeHours: { following: 48, picked: 168 } as Record<Pool, number>,
  /** A close-up counts as half a save. */
  closeupWeight: 0.5,
} as const;

export interface RankedPin {
  pin: CandidatePin;
  pool: Pool;
  score: number;
}

/** The viewer's affinity to a pin: to its author, plus to its board, plus to its topic (negatives count as 0). */
export function affinityOf(pin: CandidatePin, profile: AffinityProfile): number {
  // Own properties only: a board named "constructor" must not read Object.prototype's.
  const weight = (table: Record<string, number>, key: string) => (Object.hasOwn(table, key) ? Math.max(0, table[key] ?? 0) : 0);
  return weight(profile.authors, pin.ownerId) + weight(profile.boards, pin.boardId) + weight(profile.topics, pin.topic);
}

export function scoreOf(pin: CandidatePin, pool: Pool, profile: AffinityProfile, snapshotMs: number): number {
  const ageHours = Math.max(0, snapshotMs - pin.createdAtMs) / 3_600_000;
  const engagement = pin.saves + RANKING.closeupWeight * pin.closeups;
  return -ageHours / RANKING.halfLifeHours[pool] + Math.log2(1 + engagement) + Math.log2(1 + affinityOf(pin, profile));
}

/** A pool's pins, best first. Equal scores are ordered by a hash of (seed, pin id), then by pin id. */
export function rankPool(pins: readonly CandidatePin[], pool: Pool, profile: AffinityProfile, snapshotMs: number, seed: number): RankedPin[] {
  const ranked = pins.map((pin) => ({ pin, pool, score: scoreOf(pin, pool, profile, snapshotMs), tie: mix(seed, pin.pinId) }));
  ranked.sort((a, b) => b.score - a.score || b.tie - a.tie || compareIds(b.pin.pinId, a.pin.pinId));
  return ranked.map(({ pin, score }) => ({ pin, pool, score }));
}

export interface BlendOptions {
  /** Share of the feed's slots that go to the picked pool, 0 to 1. */
  pickedRate: number;
  seed: number;
  maxItems: number;
}

/**
 * Interleaves the two ranked pools. Slot i goes to the picked pool when floor((i + 1) r + u) passes
 * an integer (r the rate, u in [0, 1) from the seed), so any run of n slots holds floor or ceil of
 * n r picked pins, and the seed only shifts where they fall. A pin, or another pin with the same
 * image, that is already placed is skipped (the first, better placed, one stays). When one pool runs
 * out, the other fills the remaining slots.
 */
export function blend(following: readonly RankedPin[], picked: readonly RankedPin[], options: BlendOptions): RankedPin[] {
  const rate = Math.min(1, Math.max(0, options.pickedRate));
  const phase = (mix(options.seed, 'phase') % 1000) / 1000;
  const placedPins = new Set<string>();
  const placedImages = new Set<string>();
  const cursors = { following: 0, picked: 0 };
  const pools = { following, picked };
  const result: RankedPin[] = [];

  /** The next pin of a pool that is not a duplicate of one already placed, or undefined. */
  const take = (pool: Pool): RankedPin | undefined => {
    const list = pools[pool];
    while (cursors[pool] < list.length) {
      const candidate = list[cursors[pool]++]!;
      if (placedPins.has(candidate.pin.pinId) || placedImages.has(candidate.pin.imageId)) continue;
      return candidate;
    }
    return undefined;
  };

  while (result.length < options.maxItems) {
    const slot = result.length;
    const wantsPicked = Math.floor((slot + 1) * rate + phase) > Math.floor(slot * rate + phase);
    const first: Pool = wantsPicked ? 'picked' : 'following';
    const next = take(first) ?? take(first === 'picked' ? 'following' : 'picked');
    if (!next) break;
    placedPins.add(next.pin.pinId);
    placedImages.add(next.pin.imageId);
    result.push(next);
  }
  return result;
}

/** A 32-bit hash of (seed, text): stable across processes and versions. */
export function mix(seed: number, text: string): number {
  return hashString(text, seed);
}

function compareIds(a: string, b: string): number {
  return a.length - b.length || (a < b ? -1 : a > b ? 1 : 0);
}
