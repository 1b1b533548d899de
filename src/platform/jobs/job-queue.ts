// The typed job queue. A feature declares its jobs by adding to JobPayloads (module augmentation),
// so `enqueue('feed.fanout', payload)` is checked against the payload its handler takes:
//
//   declare module '../platform/jobs/job-queue.js' {
//     interface JobPayloads { 'feed.fanout': { changeId: string } }
//   }
//
// Two implementations with one behaviour: DatabaseJobQueue (the embedded default; jobs live in the
// `jobs` table and survive restarts) and BullMqJobQueue (when REDIS_URL is set). Delivery is at least
// once: a handler may run again after a crash or a timeout, so every handler is idempotent. A job that
// keeps failing is retried with exponential backoff, then kept as dead for an operator to see
// (`npm run cli -- jobs`) and retry.
import type { Tx } from '../db/database.js';

// Augmented by features; empty here on purpose.
// eslint-disable-next-line @typescript-eslint/no-empty-object-type
export interface JobPayloads {}

export type JobName = Extract<keyof JobPayloads, string>;

export interface JobContext {
  id: string;
  /** 1 on the first run. */
  attempt: number;
}

export interface JobDefinition<N extends JobName> {
  name: N;
  handle(payload: JobPayloads[N], context: JobContext): Promise<void>;
  /** Runs in all, counting the first (default 5). */
  attempts?: number;
  /** First retry delay; doubles each time (default 1,000 ms). */
  backoffMs?: number;
}

export interface EnqueueOptions {
  /** A job with the same key that is still pending is not added twice. */
  dedupeKey?: string;
  delayMs?: number;
  /** The embedded queue writes the job in this transaction, so it exists exactly when the transaction commits. */
  tx?: Tx;
}

export interface JobCounts {
  waiting: number;
  active: number;
  delayed: number;
  dead: number;
}

export interface DeadJob {
  id: string;
  name: string;
  payload: unknown;
  attempts: number;
  error: string | null;
}

export interface JobQueue {
  readonly kind: 'database' | 'redis';
  define<N extends JobName>(definition: JobDefinition<N>): void;
  enqueue<N extends JobName>(name: N, payload: JobPayloads[N], options?: EnqueueOptions): Promise<void>;
  /** Starts running jobs in this process (the worker role). */
  startWorker(): Promise<void>;
  counts(): Promise<JobCounts>;
  deadJobs(limit: number): Promise<DeadJob[]>;
  /** Puts a dead job back in line; false when there is no such dead job. */
  retryDead(id: string): Promise<boolean>;
  /** Resolves when nothing is waiting, delayed or running (tests, shutdown), or rejects after timeoutMs. */
  whenIdle(timeoutMs: number): Promise<void>;
  /**
   * Stops taking jobs and lets the running ones finish, for at most `withinMs` (then it lets go: a job
   * left unfinished is run again, by its lease or stalled-job check, since delivery is at least once).
   */
  stop(withinMs?: number): Promise<void>;
}

export const DEFAULT_ATTEMPTS = 5;
export const DEFAULT_BACKOFF_MS = 1000;

export class UnknownJobError extends Error {
  constructor(name: string) {
    super(`no handler is defined for job "${name}"`);
  }
}

export async function waitUntil(check: () => Promise<boolean>, timeoutMs: number, what: string): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

export function errorText(error: unknown): string {
  return error instanceof Error ? `${error.name}: ${error.message}` : String(error);
}
