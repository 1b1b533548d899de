// The shared runtime pieces behind the request path: the cache, the job queue, the change stream every
// process follows, and the durable log readers the worker runs. Built once by the container; the API
// role starts the change stream, the worker role also the job worker, the readers and the maintenance
// schedule. With REDIS_URL the cache gains its Redis tier and jobs run on BullMQ; without it, both live
// in process and in the database.
import type { Logger } from 'pino';
import { Gauge, type Registry } from 'prom-client';
import type { Config } from '../config.js';
import type { Db } from './db/database.js';
import { Cache } from './cache/cache.js';
import { CacheMetrics } from './cache/cache-metrics.js';
import { RedisCacheTier } from './cache/redis-cache-tier.js';
import { PERMISSION_NAMESPACES, invalidateChangedRows } from './cache/cached-rows.js';
import { FreshReads } from './cache/fresh-reads.js';
import { RecentRowChanges } from './cache/recent-row-changes.js';
import type { Redis } from 'ioredis';
import { ChangeStream } from './changes/change-stream.js';
import { LogRepository } from './changes/log.repository.js';
import type { DurableConsumer } from './changes/durable-consumer.js';
import type { LogRow } from './changes/log.repository.js';
import { BullMqJobQueue } from './jobs/bullmq-job-queue.js';
import { DatabaseJobQueue } from './jobs/database-job-queue.js';
import { JobMetrics } from './jobs/job-metrics.js';
import type { JobQueue } from './jobs/job-queue.js';
import { JobsRepository } from './jobs/jobs.repository.js';

export interface Background {
  cache: Cache;
  cacheMetrics: CacheMetrics;
  jobs: JobQueue;
  changes: ChangeStream;
  /** Drops cached rows as their changes commit (cached-rows.ts); a writing request pokes it. */
  rowChanges: RecentRowChanges;
  /** Whether a request may use the cached rows that decide access (fresh-reads.ts). */
  freshReads: FreshReads;
  logs: LogRepository;
  /** Resolves when Redis answers (readiness); absent without REDIS_URL. */
  pingRedis?: () => Promise<void>;
  /** The cache's Redis command connection (fails fast while Redis is away); absent without REDIS_URL. */
  redis?: Redis;
  /** Adds a durable log reader the worker role runs. */
  addConsumer(consumer: DurableConsumer<LogRow>): void;
  /** Adds a task the worker runs every `everyMs` (through the job queue, so once across workers). */
  addPeriodic(name: string, everyMs: number, run: () => Promise<void>): void;
  start(options: { worker: boolean }): Promise<void>;
  /** Runs every reader and job until nothing is left to do (tests, and the end of a benchmark). */
  settle(timeoutMs?: number): Promise<void>;
  /** Stops everything; the job queue lets go of unfinished jobs after `withinMs` (see JobQueue.stop). */
  stop(withinMs?: number): Promise<void>;
}

declare module './jobs/job-queue.js' {
  interface JobPayloads {
    'maintenance.periodic': { task: string; slot: number };
  }
}

export interface BackgroundOptions {
  logger?: Logger;
  /** On PGlite: statements sent through the one handle that may log row changes (RecentRowChanges). */
  writesSent?: () => number;
  /** Changes of access this process has made (RecentRowChanges). */
  accessChangesMade?: () => number;
}

export function createBackground(config: Config, db: Db, registry: Registry, options: BackgroundOptions = {}): Background {
  const { logger } = options;
  const cacheMetrics = new CacheMetrics(registry);
  const remote = config.redisUrl
    ? new RedisCacheTier({ redisUrl: config.redisUrl, prefix: config.redisKeyPrefix, commandTimeoutMs: 250, logger })
    : undefined;
  const cache = new Cache({
    maxEntries: config.cache.maxEntries,
    ttlSeconds: config.cache.ttlSeconds,
    remote,
    metrics: cacheMetrics,
    logger,
    localOnly: PERMISSION_NAMESPACES,
  });
  const jobMetrics = new JobMetrics(registry);
  const jobs: JobQueue = config.redisUrl
    ? new BullMqJobQueue({ redisUrl: config.redisUrl, prefix: config.redisKeyPrefix, concurrency: config.jobs.concurrency, leaseMs: config.jobs.leaseMs, logger, metrics: jobMetrics })
    : new DatabaseJobQueue(new JobsRepository(db), { ...config.jobs, logger, metrics: jobMetrics });
  const logs = new LogRepository(db);
  const changes = new ChangeStream(logs, { pollMs: config.changePollMs, logger });
  // Cached rows are dropped by two readers of the same entries: by id, as soon as they commit, and in
  // commit order as the backstop for what the first gave up on (recent-row-changes.ts).
  const rowChanges = new RecentRowChanges(logs, (found) => invalidateChangedRows(cache, found), {
    pollMs: config.changePollMs,
    logger,
    onLostTrack: () => cache.clearLocal(),
    ...(options.writesSent ? { writesSent: options.writesSent } : {}),
    ...(options.accessChangesMade ? { accessChangesMade: options.accessChangesMade } : {}),
  });
  const freshReads = new FreshReads(rowChanges, config.databaseQueryTimeoutMs, config.permissionFreshnessMs);
  changes.subscribe('cached-rows', (found) => invalidateChangedRows(cache, rowChanges.notYetApplied(found)));
  const consumers: Array<DurableConsumer<LogRow>> = [];
  const periodic = new Map<string, { everyMs: number; run: () => Promise<void> }>();
  // Read at scrape time: a worker whose reader falls behind (or keeps failing) shows it here.
  new Gauge({
    name: 'corkboard_log_reader_behind_seconds',
    help: 'Per durable log reader in this process: seconds since it last had nothing left to read (0 while it keeps up; take the max across workers).',
    labelNames: ['reader'],
    registers: [registry],
    collect() {
      this.reset();
      for (const consumer of consumers) this.set({ reader: consumer.name }, consumer.behindSeconds());
    },
  });
  new Gauge({
    name: 'corkboard_log_reader_failures',
    help: 'Per durable log reader in this process: consecutive failed batches (0 once one succeeds).',
    labelNames: ['reader'],
    registers: [registry],
    collect() {
      this.reset();
      for (const consumer of consumers) this.set({ reader: consumer.name }, consumer.consecutiveFailures);
    },
  });
  const timers: NodeJS.Timeout[] = [];

  jobs.define({
    name: 'maintenance.periodic',
    attempts: 3,
    async handle({ task }) {
      await periodic.get(task)?.run();
    },
  });

  return {
    cache,
    cacheMetrics,
    jobs,
    changes,
    rowChanges,
    freshReads,
    logs,
    ...(remote ? { pingRedis: () => remote.ping(), redis: remote.commands } : {}),
    addConsumer(consumer) {
      consumers.push(consumer);
    },
    addPeriodic(name, everyMs, run) {
      periodic.set(name, { everyMs, run });
    },
    async start({ worker }) {
      await changes.start();
      await rowChanges.start();
      if (!worker) return;
      await jobs.startWorker();
      for (const consumer of consumers) consumer.start();
      for (const [task, { everyMs }] of periodic) {
        // Every worker schedules; the slot's dedupe key lets one job per slot through.
        const enqueue = () => {
          const slot = Math.floor(Date.now() / everyMs);
          jobs.enqueue('maintenance.periodic', { task, slot }, { dedupeKey: `periodic:${task}:${slot}` }).catch(() => undefined);
        };
        enqueue();
        const timer = setInterval(enqueue, Math.min(everyMs, 60_000));
        timer.unref();
        timers.push(timer);
      }
    },
    async settle(timeoutMs = 10_000) {
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        await changes.poke();
        let handled = 0;
        for (const consumer of consumers) handled += await consumer.drain();
        await jobs.whenIdle(Math.max(1, deadline - Date.now()));
        if (handled === 0) break;
      }
      await changes.poke();
      await rowChanges.poke();
      // Invalidations made above are followed by a second delete a moment later; wait for it, or a
      // value cached right after settling would be dropped by it.
      await cache.settled();
    },
    async stop(withinMs) {
      const started = Date.now();
      for (const timer of timers) clearInterval(timer);
      await Promise.all(consumers.map((consumer) => consumer.stop()));
      await changes.stop();
      await rowChanges.stop();
      await jobs.stop(withinMs === undefined ? undefined : Math.max(0, withinMs - (Date.now() - started)));
      cache.close();
      await remote?.close();
    },
  };
}
