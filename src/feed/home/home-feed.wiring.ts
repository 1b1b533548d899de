// The home feed's read side, built once by the composition root (src/container.ts). Without a stored
// following timeline service it reads timelines straight from the database.
import type { Logger } from 'pino';
import type { Registry } from 'prom-client';
import type { Cache } from '../../platform/cache/cache.js';
import type { ChangeStream } from '../../platform/changes/change-stream.js';
import type { Db } from '../../platform/db/database.js';
import type { ExperimentService } from '../../experiments/experiment.service.js';
import type { PinDetailsReader } from '../../pins/pin-details-reader.js';
import type { FollowingTimeline } from '../timeline/timeline.js';
import { DatabaseFollowingTimeline } from './database-following-timeline.js';
import { FollowedPinsRepository } from './followed-pins.repository.js';
import { HomeFeedMetrics } from './home-feed-metrics.js';
import { HomeFeedRepository } from './home-feed.repository.js';
import { HomeFeedService } from './home-feed.service.js';
import { PickedPool, type PickedForUserSource } from './picked-pool.js';
import { CandidateFeatures } from './candidate-features.js';
import { ViewerInterestsStore } from './viewer-interests.js';

export interface HomeFeedWiringDeps {
  db: Db;
  cache: Cache;
  changes: ChangeStream;
  registry: Registry;
  pins: Pick<PinDetailsReader, 'findPublicDetails'>;
  experiments: Pick<ExperimentService, 'numberFor'>;
  /** FEED_PICKED_RATE. */
  pickedRate: number;
  /** The stored following timelines; the database is read directly without them. */
  timeline?: FollowingTimeline;
  /** The related-pins engine's picks for a user, when it runs. */
  related?: PickedForUserSource;
  logger?: Pick<Logger, 'warn'>;
}

const FOLLOW_CHANGES = new Set(['user.followed', 'user.unfollowed', 'board.followed', 'board.unfollowed']);

export function wireHomeFeed(deps: HomeFeedWiringDeps) {
  const repository = new HomeFeedRepository(deps.db);
  const picked = new PickedPool({ repository, cache: deps.cache, related: deps.related, logger: deps.logger });
  const interests = new ViewerInterestsStore({ repository, picked, cache: deps.cache, now: Date.now });
  const timeline = deps.timeline ?? new DatabaseFollowingTimeline(new FollowedPinsRepository(deps.db));
  const features = new CandidateFeatures({ repository, cache: deps.cache });
  const service = new HomeFeedService({
    timeline,
    repository,
    features,
    pins: deps.pins,
    interests,
    cache: deps.cache,
    experiments: deps.experiments,
    defaultPickedRate: deps.pickedRate,
    metrics: new HomeFeedMetrics(deps.registry),
  });

  // Whom a person follows shapes their affinity and picked pool: drop them when it changes (every
  // process follows the change log; invalidation also reaches the other processes through Redis).
  deps.changes.subscribe('home-feed-features', (changes) => features.changed(changes));
  deps.changes.subscribe('home-feed', async (changes) => {
    const followers = new Set<string>();
    for (const change of changes) if (FOLLOW_CHANGES.has(change.kind) && 'followerId' in change) followers.add(change.followerId);
    if (followers.size === 0) return;
    await interests.forget([...followers]);
  });

  return { service, repository, interests, picked, timeline };
}

export type HomeFeedParts = ReturnType<typeof wireHomeFeed>;
