// The two job queues behave alike: retries with backoff, dead jobs kept and retriable, dedupe keys,
// and a job whose worker died runs again. The embedded queue always; BullMQ on the real Redis when
// REDIS_URL is set (CI sets it).
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../../../test/support/test-database.js';
import { deleteRedisKeys, redisUrl } from '../../../test/support/redis.js';
import { BullMqJobQueue } from './bullmq-job-queue.js';
import { DatabaseJobQueue } from './database-job-queue.js';
import type { JobQueue } from './job-queue.js';
import { JobsRepository } from './jobs.repository.js';
import { migrateToLatest } from '../db/migrate.js';
import { spawnProgram } from '../../../test/ops/processes.js';

declare module './job-queue.js' {
  interface JobPayloads {
    'test.flaky': { key: string; failures: number };
    'test.always-fails': { key: string };
    'test.record': { key: string };
  }
}

let database: TestDatabase;
beforeAll(async () => {
  database = await createTestDatabase();
  await migrateToLatest(database.handle.db);
});
afterAll(async () => {
  await database.drop();
});

interface Harness {
  queue: JobQueue;
  runs: Map<string, number>;
  done: Set<string>;
}

function defineTestJobs(queue: JobQueue): Harness {
  const runs = new Map<string, number>();
  const done = new Set<string>();
  const count = (key: string) => runs.set(key, (runs.get(key) ?? 0) + 1).get(key)!;
  queue.define({
    name: 'test.flaky',
    attempts: 4,
    backoffMs: 20,
    async handle({ key, failures }) {
      if (count(key) <= failures) throw new Error(`failing on purpose (${key})`);
      done.add(key);
    },
  });
  queue.define({
    name: 'test.always-fails',
    attempts: 2,
    backoffMs: 10,
    async handle({ key }) {
      count(key);
      throw new Error('this job cannot succeed');
    },
  });
  queue.define({
    name: 'test.record',
    async handle({ key }) {
      count(key);
      done.add(key);
    },
  });
  return { queue, runs, done };
}

const kinds: Array<[string, () => JobQueue, () => Promise<void>]> = [
  [
    'embedded (database)',
    () => new DatabaseJobQueue(new JobsRepository(database.handle.db), { pollMs: 20, concurrency: 2, leaseMs: 5000 }),
    async () => undefined,
  ],
];
const url = redisUrl;
if (url) {
  const prefix = `test-jobs-${randomBytes(4).toString('hex')}:`;
  kinds.push([
    'BullMQ (Redis)',
    () => new BullMqJobQueue({ redisUrl: url, prefix, concurrency: 2 }),
    () => deleteRedisKeys(url, prefix),
  ]);
}

describe.each(kinds)('job queue: %s', (_name, makeQueue, cleanUp) => {
  let harness: Harness;
  beforeAll(async () => {
    harness = defineTestJobs(makeQueue());
    await harness.queue.startWorker();
  });
  afterAll(async () => {
    await harness.queue.stop();
    await cleanUp();
  });

  it('retries a failing job with backoff until it succeeds', async () => {
    await harness.queue.enqueue('test.flaky', { key: 'flaky-1', failures: 2 });
    await harness.queue.whenIdle(10_000);
    expect(harness.runs.get('flaky-1')).toBe(3);
    expect(harness.done.has('flaky-1')).toBe(true);
  });

  it('keeps a job that ran out of attempts as dead, and can put it back', async () => {
    await harness.queue.enqueue('test.always-fails', { key: 'doomed' });
    await harness.queue.whenIdle(10_000);
    expect(harness.runs.get('doomed')).toBe(2);
    const dead = await harness.queue.deadJobs(10);
    const mine = dead.find((job) => (job.payload as { key?: string }).key === 'doomed');
    expect(mine?.name).toBe('test.always-fails');
    expect(mine?.error).toContain('this job cannot succeed');
    expect((await harness.queue.counts()).dead).toBeGreaterThanOrEqual(1);

    expect(await harness.queue.retryDead(mine!.id)).toBe(true);
    await harness.queue.whenIdle(10_000);
    expect(harness.runs.get('doomed')).toBeGreaterThan(2);
    expect(await harness.queue.retryDead('999999999')).toBe(false);
  });

  it('adds a job with a pending dedupe key once', async () => {
    await harness.queue.stop();
    const queue = defineTestJobs(makeQueue());
    await queue.queue.enqueue('test.record', { key: 'once' }, { dedupeKey: 'same-key' });
    await queue.queue.enqueue('test.record', { key: 'once' }, { dedupeKey: 'same-key' });
    await queue.queue.startWorker();
    await queue.queue.whenIdle(10_000);
    expect(queue.runs.get('once')).toBe(1);
    await queue.queue.stop();
    harness = defineTestJobs(makeQueue());
    await harness.queue.startWorker();
  });
});

describe('embedded queue: a worker that dies mid-job', () => {
  it('lets another worker run the job once its lease expires, and the job completes once', async () => {
    const jobs = new JobsRepository(database.handle.db);
    const first = new DatabaseJobQueue(jobs, { pollMs: 20, concurrency: 1, leaseMs: 300 });
    const hung = defineTestJobs(first);
    // The first worker claims the job and never finishes it, as if its process were killed.
    first.define({ name: 'test.record', handle: () => new Promise(() => undefined) });
    await first.enqueue('test.record', { key: 'survivor' });
    await first.startWorker();
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect((await first.counts()).active).toBe(1);
    await Promise.race([first.stop(), new Promise((resolve) => setTimeout(resolve, 50))]);

    const second = defineTestJobs(new DatabaseJobQueue(jobs, { pollMs: 20, concurrency: 1, leaseMs: 5000 }));
    await second.queue.startWorker();
    await second.queue.whenIdle(10_000);
    expect(second.runs.get('survivor')).toBe(1);
    expect(hung.done.has('survivor')).toBe(false);
    expect(await first.counts()).toMatchObject({ waiting: 0, active: 0 });
    await second.queue.stop();
  });
});

describe.runIf(redisUrl)('BullMQ: a worker process killed mid-job', () => {
  it('puts the job back once the dead worker stops renewing its lock; another worker completes it once', async () => {
    const prefix = `test-jobs-kill-${randomBytes(4).toString('hex')}:`;
    const leaseMs = 1000;
    const child = spawnProgram('test/support/hung-bullmq-worker.ts', [redisUrl!, prefix, String(leaseMs)], process.env);
    let output = '';
    const saw = (text: string) =>
      new Promise<void>((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`the worker process did not print "${text}": ${output}`)), 20_000);
        const check = () => {
          if (!output.includes(text)) return;
          clearTimeout(timer);
          resolve();
        };
        child.stdout!.setEncoding('utf8').on('data', (chunk: string) => {
          output += chunk;
          check();
        });
        check();
      });
    const second = defineTestJobs(new BullMqJobQueue({ redisUrl: redisUrl!, prefix, concurrency: 1, leaseMs }));
    try {
      await saw('ready');
      await second.queue.enqueue('test.record', { key: 'survivor' });
      await saw('started survivor');
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.kill('SIGKILL');
      await exited;
      expect((await second.queue.counts()).active).toBe(1);

      await second.queue.startWorker();
      await second.queue.whenIdle(15_000);
      expect(second.runs.get('survivor')).toBe(1);
      expect(second.done.has('survivor')).toBe(true);
      expect(await second.queue.counts()).toMatchObject({ waiting: 0, active: 0, dead: 0 });
    } finally {
      child.kill('SIGKILL');
      await second.queue.stop();
      await deleteRedisKeys(redisUrl!, prefix);
    }
  }, 40_000);
});
