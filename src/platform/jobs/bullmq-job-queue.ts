// The job queue on Redis, through BullMQ, when REDIS_URL is set: many worker processes share it.
// Jobs that run out of attempts stay in BullMQ's failed set (removeOnFail: false): that set is the
// dead-letter list. Enqueueing fails fast while Redis is unreachable (no offline queue), so callers
// know the job was not taken; the change relay then keeps its position and tries again later.
import { Queue, Worker, type Job } from 'bullmq';
import { Redis } from 'ioredis';
import type { Logger } from 'pino';
import {
  DEFAULT_ATTEMPTS,
  DEFAULT_BACKOFF_MS,
  UnknownJobError,
  waitUntil,
  type DeadJob,
  type EnqueueOptions,
  type JobCounts,
  type JobDefinition,
  type JobName,
  type JobPayloads,
  type JobQueue,
} from './job-queue.js';
import type { JobMetrics } from './job-metrics.js';
import { settledWithin } from '../deadline.js';

export interface BullMqJobQueueOptions {
  redisUrl: string;
  /** Key prefix, so several deployments (or test files) can share one Redis. */
  prefix: string;
  concurrency: number;
  /**
   * How long a job's lock lives without renewal (JOB_LEASE_MS). A live worker renews it; a worker
   * process that died stops renewing, and another worker's stalled-job check puts the job back in line
   * within about twice this (capped at 30 s between checks).
   */
  leaseMs?: number;
  logger?: Pick<Logger, 'warn' | 'error'>;
  metrics?: JobMetrics;
}

const QUEUE_NAME = 'jobs';
/** How long stop() waits for running jobs and Redis when not told. */
const STOP_DEFAULT_MS = 10_000;

export class BullMqJobQueue implements JobQueue {
  readonly kind = 'redis' as const;
  private readonly definitions = new Map<string, JobDefinition<JobName>>();
  private readonly producerConnection: Redis;
  private readonly queue: Queue;
  private worker: Worker | undefined;
  private workerConnection: Redis | undefined;

  constructor(private readonly options: BullMqJobQueueOptions) {
    this.producerConnection = new Redis(options.redisUrl, {
      enableOfflineQueue: false,
      maxRetriesPerRequest: 1,
      lazyConnect: false,
    });
    // Connection errors surface on the commands that fail; the client reconnects by itself.
    this.producerConnection.on('error', () => undefined);
    this.queue = new Queue(QUEUE_NAME, { connection: this.producerConnection, prefix: options.prefix });
    this.queue.on('error', () => undefined);
  }

  define<N extends JobName>(definition: JobDefinition<N>): void {
    this.definitions.set(definition.name, definition);
  }

  async enqueue<N extends JobName>(name: N, payload: JobPayloads[N], options: EnqueueOptions = {}): Promise<void> {
    const definition = this.definitions.get(name);
    await this.queue.add(name, payload, {
      // BullMQ ignores an add whose jobId already exists: that is the dedupe.
      ...(options.dedupeKey ? { jobId: sanitizeJobId(options.dedupeKey) } : {}),
      delay: options.delayMs,
      attempts: definition?.attempts ?? DEFAULT_ATTEMPTS,
      backoff: { type: 'exponential', delay: definition?.backoffMs ?? DEFAULT_BACKOFF_MS },
      removeOnComplete: { age: 3600, count: 10_000 },
      removeOnFail: false,
    });
    this.options.metrics?.enqueued.inc({ name });
  }

  async startWorker(): Promise<void> {
    if (this.worker) return;
    this.workerConnection = new Redis(this.options.redisUrl, { maxRetriesPerRequest: null });
    this.workerConnection.on('error', () => undefined);
    this.worker = new Worker(QUEUE_NAME, (job) => this.run(job), {
      connection: this.workerConnection,
      prefix: this.options.prefix,
      concurrency: this.options.concurrency,
      ...(this.options.leaseMs ? { lockDuration: this.options.leaseMs, stalledInterval: Math.min(30_000, this.options.leaseMs) } : {}),
    });
    this.worker.on('error', (error) => this.options.logger?.warn({ err: error }, 'job worker connection error'));
    this.worker.on('failed', (job, error) => {
      if (!job) return;
      const dead = job.attemptsMade >= (job.opts.attempts ?? 1);
      this.options.metrics?.observe(job.name, dead ? 'dead' : 'failed', 0);
      this.options.logger?.warn({ err: error, job: job.name, id: job.id, attempt: job.attemptsMade, dead }, 'job failed');
    });
  }

  async counts(): Promise<JobCounts> {
    const counts = await this.queue.getJobCounts('waiting', 'active', 'delayed', 'failed', 'prioritized');
    return {
      waiting: (counts.waiting ?? 0) + (counts.prioritized ?? 0),
      active: counts.active ?? 0,
      delayed: counts.delayed ?? 0,
      dead: counts.failed ?? 0,
    };
  }

  async deadJobs(limit: number): Promise<DeadJob[]> {
    const jobs = await this.queue.getFailed(0, Math.max(0, limit - 1));
    return jobs.map((job) => ({ id: String(job.id), name: job.name, payload: job.data as unknown, attempts: job.attemptsMade, error: job.failedReason ?? null }));
  }

  async retryDead(id: string): Promise<boolean> {
    const job = await this.queue.getJob(id);
    if (!job || !(await job.isFailed())) return false;
    await job.retry('failed');
    return true;
  }

  async whenIdle(timeoutMs: number): Promise<void> {
    await waitUntil(
      async () => {
        const counts = await this.counts();
        return counts.waiting + counts.active + counts.delayed === 0;
      },
      timeoutMs,
      'the job queue to be idle',
    );
  }

  async stop(withinMs = STOP_DEFAULT_MS): Promise<void> {
    // A graceful close waits for the running jobs and says goodbye to Redis; with Redis unreachable
    // the goodbye would wait for ever. After withinMs the connections are dropped instead: a job
    // still running is put back in line by another worker's stalled-job check.
    const graceful = (async () => {
      await this.worker?.close();
      await this.queue.close();
    })();
    const inTime = await settledWithin(graceful, withinMs);
    this.producerConnection.disconnect();
    this.workerConnection?.disconnect();
    if (!inTime) this.options.logger?.warn({ withinMs }, 'job queue: not closed in time (Redis unreachable?); its connections were dropped');
  }

  private async run(job: Job): Promise<void> {
    const definition = this.definitions.get(job.name);
    if (!definition) throw new UnknownJobError(job.name);
    const started = performance.now();
    await definition.handle(job.data as never, { id: String(job.id), attempt: job.attemptsMade + 1 });
    this.options.metrics?.observe(job.name, 'completed', (performance.now() - started) / 1000);
  }
}

/** BullMQ reserves ':' in custom job ids. */
function sanitizeJobId(key: string): string {
  return key.replace(/:/g, '_');
}
