// Who follows whom. Each user follows a lognormal number of accounts (median 24, a few hundred for the
// keenest) and a few boards. Targets are chosen preferentially by popularity among the people (or
// public boards) of one of the follower's own topics, with a small share chosen across all topics, so
// follows cluster by topic and follower counts follow a power law.
import type { DatasetOptions } from './options.js';
import { pickInterest, type PeoplePlan } from './plan-people.js';
import { PUBLIC, type BoardsPlan, type FollowsPlan } from './plan-types.js';
import { Rng } from './prng.js';
import { AliasTable } from './sampling.js';
import { TOPICS } from './topics.js';

const MEDIAN_FOLLOWS = 24;
const FOLLOWS_SIGMA = 1;
const MAX_FOLLOWS = 2_000;
const IN_TOPIC_SHARE = 0.85;
const MEDIAN_BOARD_FOLLOWS = 3;
const BOARD_FOLLOWS_SIGMA = 1.2;
const MAX_BOARD_FOLLOWS = 200;

interface Candidates {
  items: Int32Array;
  alias: AliasTable;
}

function candidates(items: Int32Array, weightOf: (item: number) => number): Candidates | undefined {
  if (items.length === 0) return undefined;
  return { items, alias: new AliasTable(Array.from(items, weightOf)) };
}

function toPlan(from: number[], to: number[], created: number[]): FollowsPlan {
  return {
    count: from.length,
    from: Int32Array.from(from),
    to: Int32Array.from(to),
    createdAt: Float64Array.from(created),
  };
}

export function planUserFollows(options: DatasetOptions, people: PeoplePlan): FollowsPlan {
  const rng = Rng.stream(options.seed, 'follows');
  const { users } = people;
  const popularityOf = (user: number) => users.popularity[user] as number;
  const byTopic = people.topicMembers.map((members) => candidates(members, popularityOf));
  const everyone = candidates(Int32Array.from({ length: users.count }, (_, i) => i), popularityOf);
  // Small datasets cannot give everyone 24 distinct follows without exhausting the candidates.
  const cap = Math.min(MAX_FOLLOWS, Math.floor((users.count - 1) / 2));
  const from: number[] = [];
  const to: number[] = [];
  const created: number[] = [];
  for (let u = 0; u < users.count; u += 1) {
    const wanted = Math.min(cap, Math.round(rng.lognormal(MEDIAN_FOLLOWS, FOLLOWS_SIGMA)));
    const followed = new Set<number>();
    for (let attempt = 0; attempt < wanted * 4 + 20 && followed.size < wanted; attempt += 1) {
      const pool = rng.chance(IN_TOPIC_SHARE) ? byTopic[pickInterest(users, u, rng)] : everyone;
      if (!pool) continue;
      const target = pool.items[pool.alias.sample(rng)] as number;
      if (target === u || followed.has(target)) continue;
      followed.add(target);
      const earliest = Math.max(users.createdAt[u] as number, users.createdAt[target] as number);
      from.push(u);
      to.push(target);
      created.push(earliest + Math.floor(rng.float() * (options.endMs - earliest)));
    }
  }
  return toPlan(from, to, created);
}

export function planBoardFollows(options: DatasetOptions, people: PeoplePlan, boards: BoardsPlan): FollowsPlan {
  const rng = Rng.stream(options.seed, 'board-follows');
  const { users } = people;
  const publicByTopic: number[][] = TOPICS.map(() => []);
  for (let b = 0; b < boards.count; b += 1) {
    if (boards.privacy[b] === PUBLIC) publicByTopic[boards.topic[b] as number]?.push(b);
  }
  const byTopic = publicByTopic.map((list) =>
    candidates(Int32Array.from(list), (board) => users.popularity[boards.owner[board] as number] as number),
  );
  const from: number[] = [];
  const to: number[] = [];
  const created: number[] = [];
  for (let u = 0; u < users.count; u += 1) {
    const wanted = Math.min(MAX_BOARD_FOLLOWS, Math.floor(rng.lognormal(MEDIAN_BOARD_FOLLOWS, BOARD_FOLLOWS_SIGMA)));
    const followed = new Set<number>();
    for (let attempt = 0; attempt < wanted * 4 + 10 && followed.size < wanted; attempt += 1) {
      const pool = byTopic[pickInterest(users, u, rng)];
      if (!pool) continue;
      const board = pool.items[pool.alias.sample(rng)] as number;
      if (boards.owner[board] === u || followed.has(board)) continue;
      followed.add(board);
      const earliest = Math.max(users.createdAt[u] as number, boards.createdAt[board] as number);
      from.push(u);
      to.push(board);
      created.push(earliest + Math.floor(rng.float() * (options.endMs - earliest)));
    }
  }
  return toPlan(from, to, created);
}
