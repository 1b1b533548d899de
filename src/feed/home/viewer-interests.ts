// What the home feed knows of a viewer's interests at one moment: their affinity profile and the
// picked pool drawn from it, read together as of `asOfMs` and cached together per viewer
// (CACHE_TTL_SECONDS; dropped when the viewer follows or unfollows someone). A first page takes the
// cached interests and records their `asOfMs` in its bookmark; a later page that must rebuild its
// feed asks for the interests as of that moment, which are the cached ones while they last, and
// otherwise read again with everything made later left out.
import type { Cache } from '../../platform/cache/cache.js';
import type { AffinityProfile } from './home-feed-ranking.js';
import type { HomeFeedRepository } from './home-feed.repository.js';
import type { PickedPool } from './picked-pool.js';
import { readProfile } from './viewer-profile.js';

export const INTERESTS_CACHE = 'home-interests';

export interface ViewerInterests {
  profile: AffinityProfile;
  /** Candidate pin ids of the picked-for-you pool. */
  picked: string[];
}

export interface ViewerInterestsDeps {
  repository: Pick<HomeFeedRepository, 'signals'>;
  picked: Pick<PickedPool, 'pick'>;
  cache: Cache;
  now: () => number;
}

export class ViewerInterestsStore {
  constructor(private readonly deps: ViewerInterestsDeps) {}

  /** The interests as of now, or as of a moment ago when cached. */
  async current(userId: string): Promise<ViewerInterests> {
    const load = () => this.read(userId, this.deps.now());
    return (await this.deps.cache.get(INTERESTS_CACHE, userId, load)) ?? (await load());
  }

  /** The interests as of `asOfMs`: the cached ones if they are of that moment, else read again for it. */
  async at(userId: string, asOfMs: number): Promise<ViewerInterests> {
    const cached = (await this.deps.cache.getMany<ViewerInterests>(INTERESTS_CACHE, [userId], async () => new Map())).get(userId);
    if (cached?.profile.asOfMs === asOfMs) return cached;
    const load = () => this.read(userId, asOfMs);
    return (await this.deps.cache.get(INTERESTS_CACHE, `${userId}@${asOfMs}`, load)) ?? (await load());
  }

  /** Forgets the current interests of these viewers (they followed or unfollowed someone). */
  async forget(userIds: readonly string[]): Promise<void> {
    await this.deps.cache.invalidate(INTERESTS_CACHE, userIds);
  }

  private async read(userId: string, asOfMs: number): Promise<ViewerInterests> {
    const profile = await readProfile(this.deps.repository, userId, asOfMs);
    return { profile, picked: await this.deps.picked.pick(userId, profile) };
  }
}
