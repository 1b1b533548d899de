// The ranking features of candidate pins (author, board, image, topic, age, saves, close-ups), cached
// per pin in the two-tier cache: the same pin is a candidate in many viewers' feeds (popular pins of
// a topic, a followed account's new pins), so a first page reads from the database only the pins no
// recent feed has looked at. Save and close-up counts may lag by up to CACHE_TTL_SECONDS, which moves
// a pin's rank a little and nothing else: whether a pin may be shown (still there, still PUBLIC) is
// checked again when the page is hydrated. A pin's entry is dropped when the pin is updated, moved
// or deleted, or saved (its save count changed), as the change log reports it to every process.
import type { Cache } from '../../platform/cache/cache.js';
import type { LoggedChange } from '../../platform/changes/change.js';
import type { CandidatePin } from './home-feed-ranking.js';
import type { HomeFeedRepository } from './home-feed.repository.js';

export const FEATURES_CACHE = 'home-pin-features';

export class CandidateFeatures {
  constructor(
    private readonly deps: {
      repository: Pick<HomeFeedRepository, 'pinFeatures'>;
      cache: Cache;
    },
  ) {}

  /** Features of those of `pinIds` that are on a PUBLIC board, not the viewer's own, and no newer than `maxPinId`. */
  async forViewer(pinIds: readonly string[], viewerId: string, maxPinId: string): Promise<CandidatePin[]> {
    const unique = [...new Set(pinIds)];
    const features = await this.deps.cache.getMany<CandidatePin>(FEATURES_CACHE, unique, (missing) => this.deps.repository.pinFeatures(missing));
    const newest = BigInt(maxPinId);
    const result: CandidatePin[] = [];
    for (const pinId of unique) {
      const pin = features.get(pinId);
      if (pin && pin.ownerId !== viewerId && BigInt(pin.pinId) <= newest) result.push(pin);
    }
    return result;
  }

  /** Drops the entries these changes made stale. */
  async changed(changes: readonly LoggedChange[]): Promise<void> {
    const stale = new Set<string>();
    for (const change of changes) {
      if (change.kind === 'pin.created' || change.kind === 'pin.deleted') {
        stale.add(change.pinId);
        if (change.parentPinId) stale.add(change.parentPinId);
      } else if (change.kind === 'pin.updated' || change.kind === 'pin.moved') {
        stale.add(change.pinId);
      }
    }
    if (stale.size > 0) await this.deps.cache.invalidate(FEATURES_CACHE, [...stale]);
  }
}
