// Users, their boards, board sections and collaborators.
//
// Users join over the first 60% of the time window, have 1-3 interest topics drawn Zipf-wise over the
// topic list, and a power-law popularity (Pareto, alpha 1.2) that decides how many followers they
// attract. Boards per user follow a power law too; each board belongs to one of its owner's topics.
import { groupBy, permute, permuteList, timeOrder } from './columns.js';
import { assignSequences } from './dataset-ids.js';
import type { DatasetOptions } from './options.js';
import {
  INTEREST_SLOTS,
  NO_TOPIC,
  PROTECTED,
  PUBLIC,
  SECRET,
  type BoardsPlan,
  type CollaboratorsPlan,
  type SectionsPlan,
  type UsersPlan,
} from './plan-types.js';
import { Rng } from './prng.js';
import { AliasTable, zipfWeights } from './sampling.js';
import { TOPICS } from './topics.js';

const DAY_MS = 86_400_000;
/** How a user's attention splits over their first, second and third interest. */
export const INTEREST_WEIGHTS = [0.6, 0.3, 0.1] as const;
const TOPIC_ZIPF_EXPONENT = 0.9;
const POPULARITY_ALPHA = 1.2;
const BUSINESS_SHARE = 0.02;
const SECTIONED_BOARD_SHARE = 0.15;
const COLLABORATIVE_BOARD_SHARE = 0.03;
const MAX_BOARDS_PER_USER = 60;

export interface PeoplePlan {
  users: UsersPlan;
  /** Relative rate at which each user creates original pins. */
  pinActivity: Float64Array;
  /** Relative rate at which each user saves other people's pins. */
  saveActivity: Float64Array;
  /** Users who list each topic among their interests. */
  topicMembers: Int32Array[];
}

export function planUsers(options: DatasetOptions, startMs: number): PeoplePlan {
  const rng = Rng.stream(options.seed, 'users');
  const count = options.users;
  const joinWindow = (options.endMs - startMs) * 0.6;
  const createdAt = new Float64Array(count);
  for (let i = 0; i < count; i += 1) createdAt[i] = startMs + Math.floor(joinWindow * rng.float());
  createdAt.sort();

  const topicAlias = new AliasTable(zipfWeights(TOPICS.length, TOPIC_ZIPF_EXPONENT));
  const interests = new Uint8Array(count * INTEREST_SLOTS).fill(NO_TOPIC);
  const popularity = new Float64Array(count);
  const pinActivity = new Float64Array(count);
  const saveActivity = new Float64Array(count);
  const members: number[][] = TOPICS.map(() => []);
  for (let u = 0; u < count; u += 1) {
    const roll = rng.float();
    const wanted = roll < 0.4 ? 1 : roll < 0.75 ? 2 : 3;
    for (let slot = 0; slot < wanted; ) {
      const topic = topicAlias.sample(rng);
      if (interests.subarray(u * INTEREST_SLOTS, u * INTEREST_SLOTS + slot).includes(topic)) continue;
      interests[u * INTEREST_SLOTS + slot] = topic;
      members[topic]?.push(u);
      slot += 1;
    }
    popularity[u] = rng.pareto(1, POPULARITY_ALPHA);
    // Popular accounts tend to be the ones that post a lot; saving is spread more evenly.
    pinActivity[u] = Math.sqrt(popularity[u] as number) * rng.lognormal(1, 0.7);
    saveActivity[u] = rng.lognormal(1, 1);
  }

  const threshold = [...popularity].sort((a, b) => b - a)[Math.floor(count * BUSINESS_SHARE)] ?? Infinity;
  const business = new Uint8Array(count);
  for (let u = 0; u < count; u += 1) business[u] = (popularity[u] as number) > threshold ? 1 : 0;

  const users: UsersPlan = {
    count,
    createdAt,
    seq: assignSequences(createdAt),
    interests,
    popularity,
    business,
    boardCount: new Int32Array(count),
    publicBoardCount: new Int32Array(count),
    pinCount: new Int32Array(count),
    publicPinCount: new Int32Array(count),
    followerCount: new Int32Array(count),
    followingCount: new Int32Array(count),
  };
  return { users, pinActivity, saveActivity, topicMembers: members.map((list) => Int32Array.from(list)) };
}

/** Picks one of the user's interest topics, weighted by INTEREST_WEIGHTS. */
export function pickInterest(users: UsersPlan, user: number, rng: Rng): number {
  const base = user * INTEREST_SLOTS;
  let total = 0;
  for (let slot = 0; slot < INTEREST_SLOTS; slot += 1) {
    if (users.interests[base + slot] !== NO_TOPIC) total += INTEREST_WEIGHTS[slot] ?? 0;
  }
  let roll = rng.float() * total;
  for (let slot = 0; slot < INTEREST_SLOTS; slot += 1) {
    const topic = users.interests[base + slot] as number;
    if (topic === NO_TOPIC) break;
    roll -= INTEREST_WEIGHTS[slot] ?? 0;
    if (roll < 0) return topic;
  }
  return users.interests[base] as number;
}

function uniqueName(base: string, used: Set<string>): string {
  let name = base;
  for (let n = 2; used.has(name.toLowerCase()); n += 1) name = `${base} ${n}`;
  used.add(name.toLowerCase());
  return name;
}

export function planBoards(options: DatasetOptions, users: UsersPlan): BoardsPlan {
  const rng = Rng.stream(options.seed, 'boards');
  const owner: number[] = [];
  const topic: number[] = [];
  const privacy: number[] = [];
  const name: string[] = [];
  const created: number[] = [];
  for (let u = 0; u < users.count; u += 1) {
    const boards = Math.min(MAX_BOARDS_PER_USER, Math.max(1, Math.floor(rng.pareto(1.5, 1.5))));
    const joined = users.createdAt[u] as number;
    const used = new Set<string>();
    for (let b = 0; b < boards; b += 1) {
      // The first board is about the user's main interest and made on the day they join.
      const boardTopic = b === 0 ? (users.interests[u * INTEREST_SLOTS] as number) : pickInterest(users, u, rng);
      const names = TOPICS[boardTopic]?.boardNames ?? [];
      const fresh = names.filter((candidate) => !used.has(candidate.toLowerCase()));
      owner.push(u);
      topic.push(boardTopic);
      name.push(uniqueName(fresh.length > 0 ? rng.pick(fresh) : rng.pick(names), used));
      const roll = rng.float();
      privacy.push(roll < options.secretShare ? SECRET : roll < options.secretShare + options.protectedShare ? PROTECTED : PUBLIC);
      const offset = b === 0 ? rng.float() * DAY_MS : Math.pow(rng.float(), 2) * 0.8 * (options.endMs - joined);
      created.push(Math.min(options.endMs - 1, joined + Math.floor(offset)));
    }
  }
  const order = timeOrder(Float64Array.from(created));
  const createdAt = permute(Float64Array.from(created), order);
  const count = order.length;
  const ownerColumn = permute(Int32Array.from(owner), order);
  return {
    count,
    createdAt,
    seq: assignSequences(createdAt),
    owner: ownerColumn,
    topic: permute(Uint8Array.from(topic), order),
    privacy: permute(Uint8Array.from(privacy), order),
    name: permuteList(name, order),
    pinCount: new Int32Array(count),
    followerCount: new Int32Array(count),
    collaboratorCount: new Int32Array(count),
    pinsModifiedAt: createdAt.slice(),
    byUser: groupBy(ownerColumn, users.count),
  };
}

export function planSections(options: DatasetOptions, boards: BoardsPlan): SectionsPlan {
  const rng = Rng.stream(options.seed, 'sections');
  const board: number[] = [];
  const name: string[] = [];
  const created: number[] = [];
  for (let b = 0; b < boards.count; b += 1) {
    if (!rng.chance(SECTIONED_BOARD_SHARE)) continue;
    const names = [...(TOPICS[boards.topic[b] as number]?.sectionNames ?? [])];
    const wanted = Math.min(names.length, rng.between(2, 4));
    const boardCreated = boards.createdAt[b] as number;
    for (let s = 0; s < wanted; s += 1) {
      const [picked] = names.splice(rng.int(names.length), 1);
      board.push(b);
      name.push(picked ?? `Section ${s + 1}`);
      created.push(boardCreated + Math.floor(rng.float() * 0.3 * (options.endMs - boardCreated)));
    }
  }
  const order = timeOrder(Float64Array.from(created));
  const createdAt = permute(Float64Array.from(created), order);
  const boardColumn = permute(Int32Array.from(board), order);
  return {
    count: order.length,
    createdAt,
    seq: assignSequences(createdAt),
    board: boardColumn,
    name: permuteList(name, order),
    pinCount: new Int32Array(order.length),
    byBoard: groupBy(boardColumn, boards.count),
  };
}

/** A few boards are shared with 1-2 people who share the board's topic (collaborators do not pin here). */
export function planCollaborators(options: DatasetOptions, boards: BoardsPlan, people: PeoplePlan): CollaboratorsPlan {
  const rng = Rng.stream(options.seed, 'collaborators');
  const board: number[] = [];
  const user: number[] = [];
  const editor: number[] = [];
  const created: number[] = [];
  for (let b = 0; b < boards.count; b += 1) {
    if (!rng.chance(COLLABORATIVE_BOARD_SHARE)) continue;
    const members = people.topicMembers[boards.topic[b] as number] ?? new Int32Array(0);
    const owner = boards.owner[b] as number;
    const boardCreated = boards.createdAt[b] as number;
    const chosen = new Set<number>();
    const wanted = rng.between(1, 2);
    for (let attempt = 0; attempt < 10 && chosen.size < wanted && members.length > 1; attempt += 1) {
      const candidate = members[rng.int(members.length)] as number;
      if (candidate === owner || chosen.has(candidate)) continue;
      chosen.add(candidate);
      board.push(b);
      user.push(candidate);
      editor.push(rng.chance(0.7) ? 1 : 0);
      const earliest = Math.max(boardCreated, people.users.createdAt[candidate] as number);
      created.push(earliest + Math.floor(rng.float() * 0.5 * (options.endMs - earliest)));
    }
  }
  return {
    count: board.length,
    board: Int32Array.from(board),
    user: Int32Array.from(user),
    editor: Uint8Array.from(editor),
    createdAt: Float64Array.from(created),
  };
}
