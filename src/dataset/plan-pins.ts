// Images, original pins, saves and the held-out saves.
//
// Original pins are made by their owners (rate: pinActivity) onto their own boards, with an image of
// the board's topic. Saves are simulated in time order: a saver (rate: saveActivity) picks one of their
// boards, and a source pin of that board's topic is drawn from a preferential-attachment urn that holds
// every original pin on a PUBLIC board once when it appears plus once more per save it gets, so popular
// pins get more popular. Pins on SECRET or PROTECTED boards never enter the urn: nobody else saves them.
import { groupBy, permute, timeOrder } from './columns.js';
import { assignSequences } from './dataset-ids.js';
import type { DatasetOptions } from './options.js';
import type { PeoplePlan } from './plan-people.js';
import { NONE, PUBLIC, type BoardsPlan, type HeldOutSave, type ImagesPlan, type PinsPlan, type SectionsPlan } from './plan-types.js';
import { Rng } from './prng.js';
import { AliasTable, IntList, PairSet } from './sampling.js';
import { TOPICS } from './topics.js';

const IMAGE_WIDTH = 600;
const IMAGE_HEIGHTS = [450, 600, 750, 800, 900, 1000, 1200] as const;
const SECTION_SHARE_ORIGINALS = 0.7;
const SECTION_SHARE_SAVES = 0.5;
/** Share of saves drawn from the newest urn entries (what is fresh or trending right now). */
const RECENT_SHARE = 0.2;
/** Share of saves drawn uniformly from the topic's public pins (search and browsing, not popularity). */
const UNIFORM_SHARE = 0.25;
const RECENT_WINDOW = 200;
const SAVE_ATTEMPTS = 40;
const MIN_SAVES_FOR_HOLDOUT = 5;

export function planImages(options: DatasetOptions, startMs: number): ImagesPlan {
  const rng = Rng.stream(options.seed, 'images');
  const count = options.images;
  const createdAt = new Float64Array(count);
  const topic = new Uint8Array(count);
  const width = new Uint16Array(count).fill(IMAGE_WIDTH);
  const height = new Uint16Array(count);
  for (let i = 0; i < count; i += 1) {
    // Images exist before the first pin that shows them: one a second, ending at the window's start.
    createdAt[i] = startMs - (count - i) * 1000;
    topic[i] = i % TOPICS.length;
    height[i] = rng.pick(IMAGE_HEIGHTS);
  }
  return { count, createdAt, seq: assignSequences(createdAt), topic, width, height };
}

/** Picks one of a user's boards, older boards more often (they are the user's main ones). */
function pickBoard(boards: BoardsPlan, user: number, rng: Rng): number {
  const start = boards.byUser.start[user] as number;
  const owned = (boards.byUser.start[user + 1] as number) - start;
  const f = rng.float();
  return boards.byUser.list[start + Math.floor(owned * f * f)] as number;
}

function pickSection(sections: SectionsPlan, board: number, share: number, rng: Rng): number {
  const start = sections.byBoard.start[board] as number;
  const count = (sections.byBoard.start[board + 1] as number) - start;
  if (count === 0 || !rng.chance(share)) return NONE;
  return sections.byBoard.list[start + rng.int(count)] as number;
}

interface Originals {
  count: number;
  owner: Int32Array;
  board: Int32Array;
  section: Int32Array;
  image: Int32Array;
  createdAt: Float64Array;
}

export function planOriginals(
  options: DatasetOptions,
  people: PeoplePlan,
  boards: BoardsPlan,
  sections: SectionsPlan,
  images: ImagesPlan,
): Originals {
  const rng = Rng.stream(options.seed, 'pins');
  const count = options.pins;
  const imagesByTopic = groupBy(Int32Array.from(images.topic), TOPICS.length);
  const creators = new AliasTable(people.pinActivity);
  const owner = new Int32Array(count);
  const board = new Int32Array(count);
  const section = new Int32Array(count);
  const image = new Int32Array(count);
  const createdAt = new Float64Array(count);
  for (let i = 0; i < count; i += 1) {
    const user = creators.sample(rng);
    const b = pickBoard(boards, user, rng);
    const topic = boards.topic[b] as number;
    const boardCreated = boards.createdAt[b] as number;
    owner[i] = user;
    board[i] = b;
    section[i] = pickSection(sections, b, SECTION_SHARE_ORIGINALS, rng);
    const first = imagesByTopic.start[topic] as number;
    const available = (imagesByTopic.start[topic + 1] as number) - first;
    image[i] = imagesByTopic.list[first + rng.int(available)] as number;
    // sqrt skews towards the end of the window: activity grows over time.
    createdAt[i] = boardCreated + Math.floor(Math.sqrt(rng.float()) * (options.endMs - boardCreated));
  }
  const order = timeOrder(createdAt);
  return {
    count,
    owner: permute(owner, order),
    board: permute(board, order),
    section: permute(section, order),
    image: permute(image, order),
    createdAt: permute(createdAt, order),
  };
}

interface Saves {
  count: number;
  owner: Int32Array;
  board: Int32Array;
  section: Int32Array;
  source: Int32Array;
  createdAt: Float64Array;
  skipped: number;
}

export function planSaves(
  options: DatasetOptions,
  startMs: number,
  people: PeoplePlan,
  boards: BoardsPlan,
  sections: SectionsPlan,
  originals: Originals,
): Saves {
  const rng = Rng.stream(options.seed, 'saves');
  const wanted = options.saves;
  const span = options.endMs - startMs;
  const times = new Float64Array(wanted);
  for (let j = 0; j < wanted; j += 1) times[j] = startMs + Math.floor(span * (0.02 + 0.98 * Math.sqrt(rng.float())));
  times.sort();

  const savers = new AliasTable(people.saveActivity);
  const urns = TOPICS.map(() => new IntList(1024));
  const pools = TOPICS.map(() => new IntList(1024));
  const savedTo = new PairSet(wanted);
  const owner = new Int32Array(wanted);
  const board = new Int32Array(wanted);
  const section = new Int32Array(wanted);
  const source = new Int32Array(wanted);
  const createdAt = new Float64Array(wanted);
  let count = 0;
  let skipped = 0;
  let next = 0;
  for (let j = 0; j < wanted; j += 1) {
    const t = times[j] as number;
    for (; next < originals.count && (originals.createdAt[next] as number) <= t; next += 1) {
      const b = originals.board[next] as number;
      if (boards.privacy[b] !== PUBLIC) continue;
      urns[boards.topic[b] as number]?.push(next);
      pools[boards.topic[b] as number]?.push(next);
    }
    let placed = false;
    for (let attempt = 0; attempt < SAVE_ATTEMPTS && !placed; attempt += 1) {
      const saver = savers.sample(rng);
      if ((people.users.createdAt[saver] as number) > t) continue;
      const b = pickBoard(boards, saver, rng);
      if ((boards.createdAt[b] as number) > t) continue;
      const urn = urns[boards.topic[b] as number];
      const pool = pools[boards.topic[b] as number];
      if (!urn || !pool || pool.length === 0) continue;
      const channel = rng.float();
      const pin =
        channel < RECENT_SHARE
          ? urn.get(urn.length - 1 - rng.int(Math.min(urn.length, RECENT_WINDOW)))
          : channel < RECENT_SHARE + UNIFORM_SHARE
            ? pool.get(rng.int(pool.length))
            : urn.get(rng.int(urn.length));
      if (originals.owner[pin] === saver || savedTo.has(b, pin)) continue;
      savedTo.add(b, pin);
      urn.push(pin);
      owner[count] = saver;
      board[count] = b;
      section[count] = pickSection(sections, b, SECTION_SHARE_SAVES, rng);
      source[count] = pin;
      createdAt[count] = t;
      count += 1;
      placed = true;
    }
    if (!placed) skipped += 1;
  }
  return {
    count,
    owner: owner.subarray(0, count),
    board: board.subarray(0, count),
    section: section.subarray(0, count),
    source: source.subarray(0, count),
    createdAt: createdAt.subarray(0, count),
    skipped,
  };
}

/**
 * Picks `holdoutUsers` users with at least 5 saves and holds back their last 1-3 saves.
 * Returns which saves are held back (by save index) and the records for the holdout file.
 */
export function planHoldout(options: DatasetOptions, userCount: number, saves: Saves): { heldBack: Uint8Array; heldOut: HeldOutSave[] } {
  const rng = Rng.stream(options.seed, 'holdout');
  const heldBack = new Uint8Array(saves.count);
  const heldOut: HeldOutSave[] = [];
  if (options.holdoutUsers === 0) return { heldBack, heldOut };
  const byUser = groupBy(saves.owner, userCount);
  const eligible: number[] = [];
  for (let u = 0; u < userCount; u += 1) {
    if ((byUser.start[u + 1] as number) - (byUser.start[u] as number) >= MIN_SAVES_FOR_HOLDOUT) eligible.push(u);
  }
  const chosen = Math.min(options.holdoutUsers, eligible.length);
  for (let i = 0; i < chosen; i += 1) {
    const j = i + rng.int(eligible.length - i);
    [eligible[i], eligible[j]] = [eligible[j] as number, eligible[i] as number];
  }
  const picked = eligible.slice(0, chosen).sort((a, b) => a - b);
  for (const user of picked) {
    const end = byUser.start[user + 1] as number;
    for (let k = end - rng.between(1, 3); k < end; k += 1) {
      const save = byUser.list[k] as number;
      heldBack[save] = 1;
      heldOut.push({
        user,
        sourcePin: saves.source[save] as number,
        board: saves.board[save] as number,
        createdAt: saves.createdAt[save] as number,
      });
    }
  }
  return { heldBack, heldOut };
}

/** Original pins and the saves that are not held back, with IDs in time order. */
export function assemblePins(originals: Originals, saves: Saves, heldBack: Uint8Array): PinsPlan {
  let kept = 0;
  for (let s = 0; s < saves.count; s += 1) if (heldBack[s] === 0) kept += 1;
  const total = originals.count + kept;
  const owner = new Int32Array(total);
  const board = new Int32Array(total);
  const section = new Int32Array(total);
  const image = new Int32Array(total);
  const parent = new Int32Array(total).fill(NONE);
  const createdAt = new Float64Array(total);
  owner.set(originals.owner);
  board.set(originals.board);
  section.set(originals.section);
  image.set(originals.image);
  createdAt.set(originals.createdAt);
  let row = originals.count;
  for (let s = 0; s < saves.count; s += 1) {
    if (heldBack[s] === 1) continue;
    const source = saves.source[s] as number;
    owner[row] = saves.owner[s] as number;
    board[row] = saves.board[s] as number;
    section[row] = saves.section[s] as number;
    image[row] = originals.image[source] as number;
    parent[row] = source;
    createdAt[row] = saves.createdAt[s] as number;
    row += 1;
  }

  // Originals and saves are each in time order; walk them merged (an original first on a tie, so a
  // pin's ID is always below the IDs of its saves) to number rows sharing a millisecond.
  const mergedTimes = new Float64Array(total);
  const mergedRows = new Int32Array(total);
  for (let i = 0, j = originals.count, k = 0; k < total; k += 1) {
    const takeOriginal = j >= total || (i < originals.count && (createdAt[i] as number) <= (createdAt[j] as number));
    const pick = takeOriginal ? i++ : j++;
    mergedRows[k] = pick;
    mergedTimes[k] = createdAt[pick] as number;
  }
  const mergedSeq = assignSequences(mergedTimes);
  const seq = new Uint16Array(total);
  for (let k = 0; k < total; k += 1) {
    const pick = mergedRows[k] as number;
    seq[pick] = mergedSeq[k] as number;
    createdAt[pick] = mergedTimes[k] as number;
  }
  return {
    count: total,
    originals: originals.count,
    createdAt,
    seq,
    owner,
    board,
    section,
    image,
    parent,
    saveCount: new Int32Array(total),
  };
}
