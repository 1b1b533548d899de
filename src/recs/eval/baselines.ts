// The two baselines the evaluation runs beside Pixie, on the same users and seeds:
// - most popular pins in the user's topics: topics are the dataset's communities, read from the names
//   of the user's boards (weighted by the pins on them); a pin scores P(topic | user) x P(pin | topic),
//   P(pin | topic) being its share of the topic's saves. The topic of a pin is its board's.
// - item-to-item co-occurrence: a pin scores, over the user's seed pins, the seed's weight times the
//   number of boards holding both (pins saved on the same boards), on the same pruned graph the walks use.
import { TOPICS } from '../../dataset/topics.js';
import type { GraphState } from '../graph-changes.js';
import type { UserSeeds } from '../related-pins.service.js';
import type { EvalRepository } from './eval.repository.js';

/** Candidates kept per topic (the most saved). */
const TOPIC_POOL = 2000;

export class PopularInTopics {
  private constructor(
    /** Board name -> topic keys (a few names belong to two topics). */
    private readonly topicsOfName: Map<string, string[]>,
    /** Topic -> its pool, most saved first, with P(pin | topic). */
    private readonly pools: Map<string, Array<{ id: string; share: number }>>,
  ) {}

  static async prepare(repository: EvalRepository): Promise<PopularInTopics> {
    const topicsOfName = new Map<string, string[]>();
    for (const topic of TOPICS) {
      for (const name of topic.boardNames) topicsOfName.set(name, [...(topicsOfName.get(name) ?? []), topic.key]);
    }
    const pools = new Map<string, Array<{ id: string; share: number }>>();
    for (const topic of TOPICS) {
      const { pins, totalSaves } = await repository.mostSavedOnBoardsNamed(topic.boardNames, TOPIC_POOL);
      pools.set(topic.key, pins.map((pin) => ({ id: pin.id, share: totalSaves === 0 ? 0 : pin.saves / totalSaves })));
    }
    return new PopularInTopics(topicsOfName, pools);
  }

  /** The user's topic weights (summing to 1) from the pins on their boards, by board name. */
  topicWeights(boards: ReadonlyArray<{ name: string; pins: number }>): Map<string, number> {
    const weights = new Map<string, number>();
    let total = 0;
    for (const board of boards) {
      const topics = this.topicsOfName.get(board.name) ?? [];
      for (const topic of topics) weights.set(topic, (weights.get(topic) ?? 0) + board.pins / topics.length);
      if (topics.length > 0) total += board.pins;
    }
    for (const [topic, weight] of weights) weights.set(topic, total === 0 ? 0 : weight / total);
    return weights;
  }

  rank(boards: ReadonlyArray<{ name: string; pins: number }>, skip: ReadonlySet<string>, limit: number): string[] {
    const scores = new Map<string, number>();
    for (const [topic, weight] of this.topicWeights(boards)) {
      for (const pin of this.pools.get(topic) ?? []) {
        if (!skip.has(pin.id)) scores.set(pin.id, (scores.get(pin.id) ?? 0) + weight * pin.share);
      }
    }
    return topOf(scores, limit);
  }
}

/** Scores per pin node, reused between users (a popular seed touches millions of pins on medium). */
let scratch = new Float64Array(0);

export function cooccurrenceRank(state: GraphState, seeds: UserSeeds, skip: ReadonlySet<string>, limit: number): string[] {
  const { mirror } = state;
  const { pinOffsets, pinBoards, boardOffsets, boardPins, pinCount, boardCount } = mirror.snapshot;
  if (scratch.length < mirror.pinCount) scratch = new Float64Array(mirror.pinCount);
  const touched: number[] = [];
  const add = (pin: number, weight: number) => {
    if (scratch[pin] === 0) touched.push(pin);
    scratch[pin]! += weight;
  };
  const queryNodes = new Set<number>();
  for (const query of seeds.queries) {
    const pin = state.pins.get(query.pinId);
    if (pin < 0) continue;
    queryNodes.add(pin);
    // The snapshot's arrays directly where the pin and board are unchanged (the evaluation's graph has no changes).
    const boards = mirror.pinState[pin] === 0 && pin < pinCount ? pinBoards.subarray(pinOffsets[pin], pinOffsets[pin + 1]) : mirror.boardsOf(pin);
    for (const board of boards) {
      if (!state.isOpen(board)) continue;
      const pins = mirror.boardState[board] === 0 && board < boardCount ? boardPins.subarray(boardOffsets[board], boardOffsets[board + 1]) : mirror.pinsOf(board);
      for (const other of pins) add(other, query.weight);
    }
  }
  const byId = new Map<string, number>();
  for (const pin of touched) {
    const score = scratch[pin]!;
    scratch[pin] = 0;
    if (queryNodes.has(pin) || mirror.isDeadPin(pin)) continue;
    const id = state.pins.idOf(pin);
    if (!skip.has(id)) byId.set(id, score);
  }
  return topOf(byId, limit);
}

/** The `limit` best-scored keys (ties: the smaller id, i.e. the older pin, first), without sorting them all. */
function topOf(scores: Map<string, number>, limit: number): string[] {
  const better = (a: [string, number], b: [string, number]) => a[1] > b[1] || (a[1] === b[1] && compareIds(a[0], b[0]) < 0);
  const kept: Array<[string, number]> = [];
  let worst = -1;
  for (const entry of scores) {
    if (kept.length < limit) {
      kept.push(entry);
      if (worst < 0 || better(kept[worst]!, entry)) worst = kept.length - 1;
    } else if (better(entry, kept[worst]!)) {
      kept[worst] = entry;
      worst = 0;
      for (let i = 1; i < kept.length; i += 1) if (better(kept[worst]!, kept[i]!)) worst = i;
    }
  }
  return kept.sort((a, b) => (better(a, b) ? -1 : better(b, a) ? 1 : 0)).map(([id]) => id);
}

function compareIds(a: string, b: string): number {
  return a.length - b.length || (a < b ? -1 : a > b ? 1 : 0);
}
