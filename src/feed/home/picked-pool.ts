// The picked-for-you pool: pins popular in the boards and topics the viewer engages with, whoever
// made them. Sources, merged in this order (each pin once):
// - the 6 most saved of the newest 24 pins of each of the viewer's 15 strongest boards (followed,
//   saved from, engaged with);
// - the 3 most saved of the newest 24 pins of each of the 12 most followed PUBLIC boards named like
//   one of the viewer's 6 strongest topics; which boards those are is the same for everyone, so it is
//   cached per topic (CACHE_TTL_SECONDS), not per viewer;
// - pins picked for the viewer by the related-pins engine, when one is wired in: at most two walks
//   asked at a time per process, waited for 300 ms at most, and picks that come later kept for the
//   viewer's next feed (its walks are costly and queue for a thread under load);
// - for a viewer with fewer than 60 of these (new, or with little history), 3 of the newest 24 pins
//   of each of the 30 most followed boards overall.
// Only pins created by the profile's time count, so picking again for the same profile picks the same
// pins as long as save counts and the boards' followers stay put.
import type { Logger } from 'pino';
import type { Cache } from '../../platform/cache/cache.js';
import { maxPinIdAt } from './home-feed-cursor.js';
import type { AffinityProfile } from './home-feed-ranking.js';
import type { HomeFeedRepository } from './home-feed.repository.js';
import { strongest } from './viewer-profile.js';

export const TOPIC_BOARDS_CACHE = 'home-topic-boards';
export const POPULAR_BOARDS_CACHE = 'home-popular-boards';
/** The related-pins engine's picks per viewer, kept for their next feed when they came too late for this one. */
export const RELATED_CACHE = 'home-related';
/** Walks the feed asks the related-pins engine for at the same time, per process. */
const RELATED_IN_FLIGHT = 2;

/** What the related-pins engine offers the home feed (RelatedPinsService.pickedForUser). */
export interface PickedForUserSource {
  pickedForUser(userId: string, limit: number): Promise<ReadonlyArray<string | { pinId: string }>>;
}

export const PICKED_SOURCES = {
  boards: 15,
  pinsPerBoard: 6,
  /** A board's newest pins among which its most saved are taken (bounds the rows read per board). */
  recentPerBoard: 24,
  topics: 6,
  boardsPerTopic: 12,
  pinsPerTopicBoard: 3,
  related: 100,
  /** How long the feed waits for the related-pins engine's picks. */
  relatedTimeoutMs: 300,
  /** Below this many candidates the most followed boards' pins are added. */
  coldStartBelow: 60,
  popularBoards: 30,
  pinsPerPopularBoard: 3,
} as const;

export interface PickedPoolDeps {
  repository: Pick<HomeFeedRepository, 'popularOnBoards' | 'topicBoards' | 'mostFollowedBoards'>;
  cache: Cache;
  related?: PickedForUserSource;
  /** PICKED_SOURCES.relatedTimeoutMs unless given. */
  relatedTimeoutMs?: number;
  logger?: Pick<Logger, 'warn'>;
}

export class PickedPool {
  private relatedInFlight = 0;

  constructor(private readonly deps: PickedPoolDeps) {}

  /** Candidate pin ids for the viewer (unranked; privacy, seen and snapshot are checked later). */
  async pick(userId: string, profile: AffinityProfile): Promise<string[]> {
    const { repository, cache } = this.deps;
    const maxPinId = maxPinIdAt(profile.asOfMs);
    const topics = strongest(profile.topics, PICKED_SOURCES.topics);
    const [topicBoards, related] = await Promise.all([
      cache.getMany<string[]>(TOPIC_BOARDS_CACHE, topics, (missing) => repository.topicBoards(missing, PICKED_SOURCES.boardsPerTopic)),
      this.related(userId),
    ]);
    const places = new Map<string, number>();
    for (const boardId of strongest(profile.boards, PICKED_SOURCES.boards)) places.set(boardId, PICKED_SOURCES.pinsPerBoard);
    for (const topic of topics) {
      for (const boardId of topicBoards.get(topic) ?? []) if (!places.has(boardId)) places.set(boardId, PICKED_SOURCES.pinsPerTopicBoard);
    }
    const fromBoards = await repository.popularOnBoards(toPlaces(places), PICKED_SOURCES.recentPerBoard, maxPinId);
    const ids = new Set([...fromBoards, ...related.filter((id) => BigInt(id) <= BigInt(maxPinId))]);
    if (ids.size < PICKED_SOURCES.coldStartBelow) {
      const load = () => repository.mostFollowedBoards(PICKED_SOURCES.popularBoards);
      const popular = (await cache.get(POPULAR_BOARDS_CACHE, 'boards', load)) ?? [];
      const extra = new Map(popular.filter((boardId) => !places.has(boardId)).map((boardId) => [boardId, PICKED_SOURCES.pinsPerPopularBoard]));
      for (const id of await repository.popularOnBoards(toPlaces(extra), PICKED_SOURCES.recentPerBoard, maxPinId)) ids.add(id);
    }
    return [...ids];
  }

  /**
   * The related-pins engine's picks for the viewer. Its walks are costly and queue for a thread, so
   * the feed asks for at most RELATED_IN_FLIGHT walks at a time (a viewer arriving while they run goes
   * without), waits for one at most relatedTimeoutMs, and keeps picks that come late for the viewer's
   * next feed (RELATED_CACHE).
   */
  private async related(userId: string): Promise<string[]> {
    const source = this.deps.related;
    if (!source) return [];
    const { cache } = this.deps;
    const kept = (await cache.getMany<string[]>(RELATED_CACHE, [userId], async () => new Map())).get(userId);
    if (kept) return kept;
    if (this.relatedInFlight >= RELATED_IN_FLIGHT) return [];
    this.relatedInFlight += 1;
    const walk = source
      .pickedForUser(userId, PICKED_SOURCES.related)
      .then((picked) => picked.map((item) => (typeof item === 'string' ? item : item.pinId)))
      .then(async (ids) => {
        await cache.get(RELATED_CACHE, userId, async () => ids);
        return ids;
      })
      .catch((error: unknown) => {
        // The feed still has its other sources; related pins come back with the engine.
        this.deps.logger?.warn({ err: error }, 'home feed: related pins unavailable');
        return [];
      })
      .finally(() => {
        this.relatedInFlight -= 1;
      });
    let timer: NodeJS.Timeout | undefined;
    const late = new Promise<string[]>((resolve) => {
      timer = setTimeout(() => resolve([]), this.deps.relatedTimeoutMs ?? PICKED_SOURCES.relatedTimeoutMs);
      timer.unref();
    });
    try {
      return await Promise.race([walk, late]);
    } finally {
      clearTimeout(timer);
    }
  }
}

function toPlaces(limits: Map<string, number>): Array<{ boardId: string; limit: number }> {
  return [...limits].map(([boardId, limit]) => ({ boardId, limit }));
}
