// Following timelines, fan-out on write and activity tracking, built once by the composition root
// (src/container.ts): the store (Redis with REDIS_URL, else the database), the reader the home feed
// uses, the fan-out jobs and the change-log relay that queues them (worker role), and the
// change-stream subscription that drops cached follow lists in every process.
import type { Logger } from 'pino';
import type { Registry } from 'prom-client';
import type { Config } from '../../config.js';
import type { Background } from '../../platform/background.js';
import type { Db } from '../../platform/db/database.js';
import { ActivityRepository } from '../activity/activity.repository.js';
import { ActivityTracker } from '../activity/activity-tracker.js';
import { FanoutRepository } from '../fanout/fanout.repository.js';
import { FanoutService } from '../fanout/fanout.service.js';
import { defineFanoutJobs } from '../fanout/fanout.jobs.js';
import { createFanoutRelay } from '../fanout/fanout-relay.js';
import { DatabaseTimelineStore } from './database-timeline-store.js';
import { FollowingTimelineService } from './following-timeline.service.js';
import { RedisTimelineStore } from './redis-timeline-store.js';
import { TimelineMetrics } from './timeline-metrics.js';
import { TimelineRepository } from './timeline.repository.js';
import type { TimelineStore } from './timeline-store.js';

/** How often the worker trims database timelines and drops expired ones. */
const MAINTENANCE_EVERY_MS = 10 * 60_000;

export interface TimelineWiringDeps {
  config: Config;
  db: Db;
  background: Background;
  registry: Registry;
  logger?: Logger;
  /** A store to use instead of the configured one (tests that cut Redis off). */
  store?: TimelineStore;
}

export function wireFollowingTimelines(deps: TimelineWiringDeps) {
  const { config, db, background } = deps;
  const settings = config.timelines;
  const store: TimelineStore =
    deps.store ??
    (config.redisUrl
      ? new RedisTimelineStore({ redisUrl: config.redisUrl, prefix: config.redisKeyPrefix, maxItems: settings.maxItems })
      : new DatabaseTimelineStore(db, { maxItems: settings.maxItems }));
  const metrics = new TimelineMetrics(deps.registry);
  const repositories = { timelines: new TimelineRepository(db), activity: new ActivityRepository(db), fanout: new FanoutRepository(db) };
  const timeline = new FollowingTimelineService({
    store,
    timelines: repositories.timelines,
    activity: repositories.activity,
    settings,
    cache: background.cache,
    metrics,
    logger: deps.logger,
  });
  const activity = new ActivityTracker({
    activity: repositories.activity,
    // A timeline lives as long as its owner's activity window: extend it with every recorded visit.
    onRecorded: (userId, at) => store.keepAlive(userId, timeline.expiryFor(at)),
    logger: deps.logger,
  });
  const fanout = new FanoutService({
    store,
    timelines: repositories.timelines,
    fanout: repositories.fanout,
    jobs: background.jobs,
    settings: { activeDays: settings.activeDays, celebrityFollowers: settings.celebrityFollowers, chunkSize: settings.fanoutChunkSize },
    metrics,
    logger: deps.logger,
  });
  defineFanoutJobs(background.jobs, fanout);
  background.addConsumer(createFanoutRelay({ db, logs: background.logs, jobs: background.jobs, idleMs: config.changePollMs, logger: deps.logger }));
  background.addPeriodic('feed-timelines-maintenance', MAINTENANCE_EVERY_MS, () => store.maintain());
  // Every process caches follow lists; every process drops the ones a follow change made stale.
  const unsubscribe = background.changes.subscribe('feed-sources', async (changes) => {
    const followers = changes.flatMap((change) =>
      change.kind === 'user.followed' || change.kind === 'user.unfollowed' || change.kind === 'board.followed' || change.kind === 'board.unfollowed'
        ? [change.followerId]
        : [],
    );
    if (followers.length > 0) await timeline.sourcesChanged([...new Set(followers)]);
  });

  return {
    store,
    repositories,
    timeline,
    activity,
    fanout,
    metrics,
    async stop() {
      unsubscribe();
      await store.close();
    },
  };
}
