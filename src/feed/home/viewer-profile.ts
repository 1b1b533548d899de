// The viewer's affinity profile: how much they engage with each author, board and topic, from the
// rows they made up to a point in time. Weights (summed; a negative total counts as 0 when ranking):
//
//   follows a person: that author +2            follows a board: that board +2
//   owns a board named X: topic X +1             (boards are how people declare interests)
//   saved a pin (last 200 saves): its author +1, its board +1, its board's topic +1, and the topic of
//     the board it was saved onto +1
//   close-up or click on a pin (last 500 events): its author, board and topic +0.5 each
//   hid a pin: its author -2, its board -2
//
// Only rows made at or before `asOfMs` count, so reading the profile again for the same moment gives
// the same profile (a later page that rebuilds its feed relies on it).
import type { AffinityProfile } from './home-feed-ranking.js';
import type { HomeFeedRepository, SignalLimits } from './home-feed.repository.js';

const LIMITS: SignalLimits = { saves: 200, events: 500 };

export async function readProfile(repository: Pick<HomeFeedRepository, 'signals'>, userId: string, asOfMs: number): Promise<AffinityProfile> {
  const rows = await repository.signals(userId, new Date(asOfMs), LIMITS);
  const tables = { author: new Map<string, number>(), board: new Map<string, number>(), topic: new Map<string, number>() };
  for (const row of rows) tables[row.kind].set(row.key, row.weight);
  return {
    asOfMs,
    authors: Object.fromEntries(tables.author),
    boards: Object.fromEntries(tables.board),
    topics: Object.fromEntries(tables.topic),
  };
}

/** The keys of a profile table with a positive weight, heaviest first (ties by key), at most `limit`. */
export function strongest(table: Record<string, number>, limit: number): string[] {
  return Object.entries(table)
    .filter(([, weight]) => weight > 0)
    .sort(([a, x], [b, y]) => y - x || (a < b ? -1 : a > b ? 1 : 0))
    .slice(0, limit)
    .map(([key]) => key);
}
