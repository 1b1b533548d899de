// Offline quality of a recommender on held-out saves: hit rate@k (users with at least one held-out
// pin among their top k, over all users) and MRR (mean over users of 1 / rank of the first held-out
// pin in the list, 0 when none is in it).

export interface RankedForUser {
  userId?: string;
  /** Pin ids, best first. */
  ranked: readonly string[];
  /** The user's held-out pins. */
  heldOut: ReadonlySet<string>;
}

export interface QualityFigures {
  users: number;
  hitRateAt10: number;
  hitRateAt100: number;
  /** Over the first `mrrDepth` ranks. */
  mrr: number;
  /** Users for whom the method returned nothing. */
  empty: number;
}

/** Rank (1-based) of the first held-out pin within the first `depth` pins, or 0. */
export function firstHitRank(ranked: readonly string[], heldOut: ReadonlySet<string>, depth: number): number {
  const end = Math.min(depth, ranked.length);
  for (let i = 0; i < end; i += 1) if (heldOut.has(ranked[i]!)) return i + 1;
  return 0;
}

export function quality(results: readonly RankedForUser[], mrrDepth = 100): QualityFigures {
  let hits10 = 0;
  let hits100 = 0;
  let reciprocal = 0;
  let empty = 0;
  for (const { ranked, heldOut } of results) {
    if (ranked.length === 0) empty += 1;
    const rank = firstHitRank(ranked, heldOut, Math.max(100, mrrDepth));
    if (rank > 0 && rank <= 10) hits10 += 1;
    if (rank > 0 && rank <= 100) hits100 += 1;
    if (rank > 0 && rank <= mrrDepth) reciprocal += 1 / rank;
  }
  const users = results.length;
  return {
    users,
    hitRateAt10: users === 0 ? 0 : hits10 / users,
    hitRateAt100: users === 0 ? 0 : hits100 / users,
    mrr: users === 0 ? 0 : reciprocal / users,
    empty,
  };
}

/** Users with a held-out pin in their top `k`. */
export function usersWithHit(results: readonly RankedForUser[], k: number): Set<string> {
  return new Set(results.flatMap((result) => (result.userId !== undefined && firstHitRank(result.ranked, result.heldOut, k) > 0 ? [result.userId] : [])));
}

/**
 * Two methods on the same users: users only the first hits, users only the second hits, and the
 * two-sided sign test's p-value over those discordant users (exact binomial, p = 1/2), which is far
 * more sensitive than comparing two hit rates' intervals.
 */
export function pairedComparison(first: ReadonlySet<string>, second: ReadonlySet<string>): { onlyFirst: number; onlySecond: number; pValue: number } {
  const onlyFirst = [...first].filter((user) => !second.has(user)).length;
  const onlySecond = [...second].filter((user) => !first.has(user)).length;
  const n = onlyFirst + onlySecond;
  const k = Math.min(onlyFirst, onlySecond);
  // P(X <= k) for X ~ Binomial(n, 1/2), doubled, in logs to stay exact for large n.
  let logTerm = -n * Math.LN2;
  let tail = Math.exp(logTerm);
  for (let i = 1; i <= k; i += 1) {
    logTerm += Math.log((n - i + 1) / i);
    tail += Math.exp(logTerm);
  }
  return { onlyFirst, onlySecond, pValue: n === 0 ? 1 : Math.min(1, 2 * tail) };
}

/**
 * A 95% interval for a hit rate (Wilson score), so two methods' rates can be told apart from noise
 * on a few hundred users.
 */
export function wilsonInterval(rate: number, users: number): [number, number] {
  if (users === 0) return [0, 0];
  const z = 1.96;
  const denominator = 1 + (z * z) / users;
  const centre = (rate + (z * z) / (2 * users)) / denominator;
  const half = (z * Math.sqrt((rate * (1 - rate)) / users + (z * z) / (4 * users * users))) / denominator;
  return [Math.max(0, centre - half), Math.min(1, centre + half)];
}
