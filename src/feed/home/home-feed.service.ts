// The home feed: the following pool (the viewer's following timeline) and the picked-for-you pool
// (picked-pool.ts), each ranked (home-feed-ranking.ts), interleaved at the viewer's blend rate, with
// duplicate images and pins the viewer has already seen removed, then served page by page.
//
// The first page fixes a snapshot (home-feed-cursor.ts) and builds the feed's whole ordered list of
// pin ids for it (at most 500), which is cached under the snapshot; later pages are slices of that
// list, so nothing repeats and nothing is skipped however many pins arrive meanwhile. When the list
// has left the cache (CACHE_TTL_SECONDS, or another process without Redis), a later page builds it
// again from the snapshot: pins created by the snapshot time only, the viewer's interests as of the
// first page (viewer-interests.ts), impressions and close-ups recorded by then, the same seed and
// blend rate. The list comes out the same unless pins were deleted, or save and close-up counts (the
// candidates' features are cached per pin, candidate-features.ts), board followers or the related-pins
// engine's picks moved meanwhile; the page continues right after the previous page's
// last pin, and pins the viewer was shown since the snapshot are left out.
//
// Both pools leave out the pins of people and boards the viewer unfollowed (until they follow them
// again), read fresh with the pins they have seen; pages of a feed opened before an unfollow continue
// as listed.
//
// A page is hydrated from the list through the row caches (PinDetailsReader.findPublicDetails, the
// same details every pin list presents), which checks once more that each pin is still on a PUBLIC
// board.
import type { Cache } from '../../platform/cache/cache.js';
import { DEFAULT_PAGE_SIZE, type CursorKey, type Page, type PageQuery } from '../../platform/http/pagination.js';
import type { Viewer } from '../../platform/http/viewer.js';
import type { ExperimentService } from '../../experiments/experiment.service.js';
import type { PinDetails } from '../../pins/pin.repository.js';
import type { PinDetailsReader } from '../../pins/pin-details-reader.js';
import type { FollowingTimeline } from '../timeline/timeline.js';
import { decodePosition, maxPinIdAt, positionKey, snapshotKey, type FeedPosition, type FeedSnapshot } from './home-feed-cursor.js';
import type { HomeFeedMetrics, ListSource } from './home-feed-metrics.js';
import { blend, rankPool, type CandidatePin } from './home-feed-ranking.js';
import type { HomeFeedRepository } from './home-feed.repository.js';
import type { CandidateFeatures } from './candidate-features.js';
import type { ViewerInterests, ViewerInterestsStore } from './viewer-interests.js';

export const LIST_CACHE = 'home-feed-list';
/** The experiment whose variation value is the viewer's picked-pool rate (FEED_PICKED_RATE otherwise). */
export const BLEND_EXPERIMENT = 'home-feed-blend-rate';

export const HOME_FEED = {
  /** Entries read from the following timeline for one feed. */
  followingPool: 300,
  /** Length of a feed's list: 20 pages of 25. */
  maxItems: 500,
  /** The viewer's most recent impressions (last 30 days) and hides (last year) that count as seen, of each. */
  seenLimit: 3000,
  /** Extra list entries hydrated with a page, so a pin deleted meanwhile rarely costs a second statement. */
  hydrationMargin: 5,
} as const;

export interface HomeFeedItem {
  details: PinDetails;
  /** The bookmark key of the position right after this item. */
  key: CursorKey;
}

export interface HomeFeedServiceDeps {
  timeline: FollowingTimeline;
  repository: Pick<HomeFeedRepository, 'leftOut'>;
  features: Pick<CandidateFeatures, 'forViewer'>;
  pins: Pick<PinDetailsReader, 'findPublicDetails'>;
  interests: Pick<ViewerInterestsStore, 'current' | 'at'>;
  cache: Cache;
  experiments: Pick<ExperimentService, 'numberFor'>;
  /** FEED_PICKED_RATE: the rate of viewers the blend experiment does not cover. */
  defaultPickedRate: number;
  metrics?: HomeFeedMetrics;
  now?: () => number;
  /** A 32-bit seed for a new snapshot. */
  randomSeed?: () => number;
}

interface BuiltList {
  list: string[];
  /** Pins shown to the viewer after the snapshot (left out of a rebuilt feed's remaining pages). */
  seenSince: Set<string>;
}

export class HomeFeedService {
  private readonly now: () => number;
  private readonly randomSeed: () => number;

  constructor(private readonly deps: HomeFeedServiceDeps) {
    this.now = deps.now ?? Date.now;
    this.randomSeed = deps.randomSeed ?? (() => Math.floor(Math.random() * 2 ** 32));
  }

  async page(viewer: Viewer, query: PageQuery): Promise<Page<HomeFeedItem>> {
    const limit = query.page_size ?? DEFAULT_PAGE_SIZE;
    return query.bookmark ? this.nextPage(viewer, decodePosition(query.bookmark), limit) : this.firstPage(viewer, limit);
  }

  /** The blend rate for this viewer: the experiment's variation value, else FEED_PICKED_RATE. */
  async pickedRate(viewer: Viewer): Promise<number> {
    const value = await this.deps.experiments.numberFor(viewer, BLEND_EXPERIMENT, this.deps.defaultPickedRate);
    return Number.isFinite(value) ? Math.min(1, Math.max(0, value)) : this.deps.defaultPickedRate;
  }

  private async firstPage(viewer: Viewer, limit: number): Promise<Page<HomeFeedItem>> {
    const [interests, pickedRate] = await Promise.all([this.deps.interests.current(viewer.userId), this.pickedRate(viewer)]);
    // Taken after the interests were read, so they are never newer than the snapshot.
    const asOfMs = interests.profile.asOfMs;
    const snapshot: FeedSnapshot = { snapshotMs: Math.max(this.now(), asOfMs), asOfMs, seed: this.randomSeed() >>> 0, pickedRate };
    const built = await this.build(viewer, snapshot, interests);
    const list = (await this.deps.cache.get(LIST_CACHE, snapshotKey(viewer.userId, snapshot), async () => built.list)) ?? built.list;
    return this.fill(viewer, snapshot, list, 0, new Set(), limit, 'new');
  }

  private async nextPage(viewer: Viewer, position: FeedPosition, limit: number): Promise<Page<HomeFeedItem>> {
    let rebuilt: BuiltList | undefined;
    const rebuild = async () => {
      const interests = await this.deps.interests.at(viewer.userId, position.asOfMs);
      rebuilt = await this.build(viewer, position, interests);
      return rebuilt.list;
    };
    const list = (await this.deps.cache.get(LIST_CACHE, snapshotKey(viewer.userId, position), rebuild)) ?? (await rebuild());
    return this.fill(viewer, position, list, resumeAt(list, position), rebuilt?.seenSince ?? new Set(), limit, rebuilt ? 'rebuilt' : 'cached');
  }

  /** The feed's ordered list of pin ids for a snapshot. */
  private async build(viewer: Viewer, snapshot: FeedSnapshot, { profile, picked: pickedIds }: ViewerInterests): Promise<BuiltList> {
    const { userId } = viewer;
    const [timeline, leftOut] = await Promise.all([
      this.deps.timeline.read(userId, { limit: HOME_FEED.followingPool, beforeScore: snapshot.snapshotMs + 1 }),
      this.deps.repository.leftOut(userId, HOME_FEED.seenLimit),
    ]);
    const seenBefore = new Set<string>();
    const seenSince = new Set<string>();
    for (const row of leftOut.seen) (row.atMs <= snapshot.snapshotMs ? seenBefore : seenSince).add(row.pinId);
    // Read with the seen pins, from the database: an unfollow that has answered counts at once, on
    // every process, whether or not its timeline clean-up (a job) and the caches have caught up.
    const unfollowed = (pin: CandidatePin) => leftOut.unfollowedUsers.has(pin.ownerId) || leftOut.unfollowedBoards.has(pin.boardId);

    const followingIds = [...new Set(timeline.map((entry) => entry.pinId))].filter((id) => !seenBefore.has(id));
    const inFollowing = new Set(followingIds);
    const pickedOnly = pickedIds.filter((id) => !inFollowing.has(id) && !seenBefore.has(id));
    const features = await this.deps.features.forViewer([...followingIds, ...pickedOnly], userId, maxPinIdAt(snapshot.snapshotMs));
    const byId = new Map(features.map((pin) => [pin.pinId, pin]));
    const pinsOf = (ids: string[]) =>
      ids.flatMap((id): CandidatePin[] => {
        const pin = byId.get(id);
        return pin && !unfollowed(pin) ? [pin] : [];
      });
    const ranked = blend(
      rankPool(pinsOf(followingIds), 'following', profile, snapshot.snapshotMs, snapshot.seed),
      rankPool(pinsOf(pickedOnly), 'picked', profile, snapshot.snapshotMs, snapshot.seed),
      { pickedRate: snapshot.pickedRate, seed: snapshot.seed, maxItems: HOME_FEED.maxItems },
    );
    return { list: ranked.map((entry) => entry.pin.pinId), seenSince };
  }

  /** Up to `limit` hydrated pins of `list` from `start`, skipping pins gone, no longer public, or in `skip`. */
  private async fill(
    viewer: Viewer,
    snapshot: FeedSnapshot,
    list: readonly string[],
    start: number,
    skip: ReadonlySet<string>,
    limit: number,
    source: ListSource,
  ): Promise<Page<HomeFeedItem>> {
    this.deps.metrics?.page(source);
    const items: HomeFeedItem[] = [];
    let index = start;
    while (items.length < limit && index < list.length) {
      const window = list.slice(index, index + limit - items.length + HOME_FEED.hydrationMargin);
      const wanted = window.filter((pinId) => !skip.has(pinId));
      const found = new Map((await this.deps.pins.findPublicDetails(wanted, viewer)).map((details) => [details.pin.id, details]));
      for (const pinId of window) {
        index += 1;
        const details = skip.has(pinId) ? undefined : found.get(pinId);
        if (!details) continue;
        items.push({ details, key: positionKey({ ...snapshot, offset: index, lastPinId: pinId }) });
        if (items.length === limit) break;
      }
    }
    const last = items[items.length - 1];
    return { items, next: last && index < list.length ? last.key : null };
  }
}

/**
 * Where the next page starts: right after the previous page's last pin. That is the bookmark's
 * offset in the list it was cut from; in a rebuilt list that differs, wherever that pin is now.
 */
export function resumeAt(list: readonly string[], position: FeedPosition): number {
  if (list[position.offset - 1] === position.lastPinId) return position.offset;
  const index = list.indexOf(position.lastPinId);
  return index >= 0 ? index + 1 : Math.min(position.offset, list.length);
}
