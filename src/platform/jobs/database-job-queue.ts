// The embedded job queue: jobs are rows of the `jobs` table, so they survive a restart and need no
// other service. The worker polls for due jobs, leases them, and runs up to `concurrency` at a time.
import type { Logger } from 'pino';
import {
  DEFAULT_ATTEMPTS,
  DEFAULT_BACKOFF_MS,
  errorText,
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
import type { ClaimedJob, JobsRepository } from './jobs.repository.js';
import type { JobMetrics } from './job-metrics.js';
import { settledWithin } from '../deadline.js';

export interface DatabaseJobQueueOptions {
  pollMs: number;
  concurrency: number;
  /** How long a claimed job may run before another worker may take it over. */
  leaseMs: number;
  logger?: Pick<Logger, 'warn' | 'error'>;
  metrics?: JobMetrics;
}

export class DatabaseJobQueue implements JobQueue {
  readonly kind = 'database' as const;
  private readonly definitions = new Map<string, JobDefinition<JobName>>();
  private timer: NodeJS.Timeout | undefined;
  private loop: Promise<void> | undefined;
  private working = false;
  private stopped = true;
  private inFlight = 0;

  constructor(
    private readonly jobs: JobsRepository,
    private readonly options: DatabaseJobQueueOptions,
  ) {}

  define<N extends JobName>(definition: JobDefinition<N>): void {
    this.definitions.set(definition.name, definition);
  }

  async enqueue<N extends JobName>(name: N, payload: JobPayloads[N], options: EnqueueOptions = {}): Promise<void> {
    const definition = this.definitions.get(name);
    await this.jobs.insert(
      {
        name,
        payload,
        dedupeKey: options.dedupeKey,
        delayMs: options.delayMs,
        maxAttempts: definition?.attempts ?? DEFAULT_ATTEMPTS,
        backoffMs: definition?.backoffMs ?? DEFAULT_BACKOFF_MS,
      },
      options.tx,
    );
    this.options.metrics?.enqueued.inc({ name });
    // A worker in this process picks it up now rather than at the next poll.
    if (!this.stopped && !options.tx) this.kick();
  }

  async startWorker(): Promise<void> {
    this.stopped = false;
    this.kick();
  }

  counts(): Promise<JobCounts> {
    return this.jobs.counts();
  }

  deadJobs(limit: number): Promise<DeadJob[]> {
    return this.jobs.dead(limit);
  }

  retryDead(id: string): Promise<boolean> {
    return this.jobs.retryDead(id);
  }

  async whenIdle(timeoutMs: number): Promise<void> {
    await waitUntil(
      async () => {
        if (this.inFlight > 0) return false;
        const counts = await this.jobs.counts();
        return counts.waiting + counts.active + counts.delayed === 0;
      },
      timeoutMs,
      'the job queue to be idle',
    );
  }

  async stop(withinMs?: number): Promise<void> {
    this.stopped = true;
    clearTimeout(this.timer);
    // An unfinished job keeps its lease until it runs out; another worker then runs it again.
    if (this.loop) await (withinMs === undefined ? this.loop : settledWithin(this.loop, withinMs));
  }

  private kick(): void {
    clearTimeout(this.timer);
    if (this.working) return;
    this.working = true;
    this.loop = this.work().finally(() => {
      this.working = false;
      if (!this.stopped) {
        this.timer = setTimeout(() => this.kick(), this.options.pollMs);
        this.timer.unref();
      }
    });
  }

  /** Claims and runs batches until none is due. */
  private async work(): Promise<void> {
    while (!this.stopped) {
      let claimed: ClaimedJob[];
      try {
        claimed = await this.jobs.claim(this.options.concurrency, this.options.leaseMs);
      } catch (error) {
        this.options.logger?.error({ err: error }, 'could not claim jobs');
        return;
      }
      if (claimed.length === 0) return;
      await Promise.all(claimed.map((job) => this.run(job)));
    }
  }

  private async run(job: ClaimedJob): Promise<void> {
    this.inFlight += 1;
    const started = performance.now();
    try {
      const definition = this.definitions.get(job.name);
      if (!definition) throw new UnknownJobError(job.name);
      await definition.handle(job.payload as never, { id: job.id, attempt: job.attempts });
      await this.jobs.complete(job.id);
      this.options.metrics?.observe(job.name, 'completed', (performance.now() - started) / 1000);
    } catch (error) {
      const outcome = await this.jobs.fail(job, errorText(error)).catch(() => 'retry' as const);
      this.options.metrics?.observe(job.name, outcome === 'dead' ? 'dead' : 'failed', (performance.now() - started) / 1000);
      this.options.logger?.warn({ err: error, job: job.name, id: job.id, attempt: job.attempts, outcome }, 'job failed');
    } finally {
      this.inFlight -= 1;
    }
  }
}
