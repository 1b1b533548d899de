// Measures of a planned dataset's shape, reported in the summary and checked by the tests.
import { INTEREST_SLOTS, NO_TOPIC, SECRET, type DatasetPlan } from './plan-types.js';

export interface DatasetShape {
  /** Share of all saves held by the most-saved 1% of original pins. */
  topOnePercentSaveShare: number;
  /** Share of user follows where follower and followee share an interest topic. */
  inTopicFollowShare: number;
  /** The same share for two users drawn at random (what follows would show without clustering). */
  randomPairTopicShare: number;
  secretBoardShare: number;
  maxFollowers: number;
  medianFollowing: number;
}

function topicMask(plan: DatasetPlan, user: number): number {
  let mask = 0;
  for (let slot = 0; slot < INTEREST_SLOTS; slot += 1) {
    const topic = plan.users.interests[user * INTEREST_SLOTS + slot] as number;
    if (topic !== NO_TOPIC) mask |= 1 << topic;
  }
  return mask;
}

export function topSaveShare(plan: DatasetPlan, fraction: number): number {
  const { pins } = plan;
  const saves = pins.count - pins.originals;
  if (saves === 0) return 0;
  const counts = pins.saveCount.slice(0, pins.originals).sort().reverse();
  const top = Math.max(1, Math.ceil(pins.originals * fraction));
  let held = 0;
  for (let i = 0; i < top; i += 1) held += counts[i] as number;
  return held / saves;
}

export function measureShape(plan: DatasetPlan): DatasetShape {
  const { users, userFollows, boards } = plan;
  const masks = Int32Array.from({ length: users.count }, (_, u) => topicMask(plan, u));
  let inTopic = 0;
  for (let f = 0; f < userFollows.count; f += 1) {
    if (((masks[userFollows.from[f] as number] as number) & (masks[userFollows.to[f] as number] as number)) !== 0) inTopic += 1;
  }
  // Exact baseline over all ordered pairs of distinct users, grouped by interest set.
  const bySet = new Map<number, number>();
  for (const mask of masks) bySet.set(mask, (bySet.get(mask) ?? 0) + 1);
  let sharing = 0;
  for (const [a, countA] of bySet) {
    for (const [b, countB] of bySet) {
      if ((a & b) !== 0) sharing += countA * (a === b ? countB - 1 : countB);
    }
  }
  let secret = 0;
  for (let b = 0; b < boards.count; b += 1) if (boards.privacy[b] === SECRET) secret += 1;
  const following = users.followingCount.slice().sort();
  return {
    topOnePercentSaveShare: topSaveShare(plan, 0.01),
    inTopicFollowShare: userFollows.count === 0 ? 0 : inTopic / userFollows.count,
    randomPairTopicShare: sharing / (users.count * (users.count - 1)),
    secretBoardShare: boards.count === 0 ? 0 : secret / boards.count,
    maxFollowers: users.followerCount.reduce((max, n) => Math.max(max, n), 0),
    medianFollowing: following[Math.floor(following.length / 2)] ?? 0,
  };
}
