// A BullMQ worker process whose `test.record` handler never finishes: it prints "started <key>" when it
// takes a job, then waits to be killed. job-queue.test.ts kills it with SIGKILL mid-job.
// Usage: node --import tsx test/support/hung-bullmq-worker.ts <redisUrl> <prefix> <leaseMs>
import { BullMqJobQueue } from '../../src/platform/jobs/bullmq-job-queue.js';

declare module '../../src/platform/jobs/job-queue.js' {
  interface JobPayloads {
    'test.record': { key: string };
  }
}

const [redisUrl, prefix, leaseMs] = process.argv.slice(2);
if (!redisUrl || !prefix || !leaseMs) throw new Error('usage: hung-bullmq-worker <redisUrl> <prefix> <leaseMs>');
const queue = new BullMqJobQueue({ redisUrl, prefix, concurrency: 1, leaseMs: Number(leaseMs) });
queue.define({
  name: 'test.record',
  handle: ({ key }) => {
    process.stdout.write(`started ${key}\n`);
    return new Promise(() => undefined);
  },
});
await queue.startWorker();
process.stdout.write('ready\n');
