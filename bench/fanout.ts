// `npm run bench:fanout`: fan-out on write on PostgreSQL + Redis. For accounts with 10,000 and
// 100,000 followers (synthetic, added to the loaded dataset for the run and removed after it), each
// pin is created through the pin service (what POST /v5/pins runs, minus HTTP) and timed from the
// moment it is acknowledged until it sits in the stored timeline of every active follower (80% of
// them are active, 20% were last seen two months ago and get nothing). The worker runs in this
// process (the change-log relay and JOB_CONCURRENCY job slots on BullMQ).
//
// Baselines, measured in the same run against the same Redis and the same timeline keys: a bare
// pipelined ZADD of one member into every active follower's sorted set (the ceiling: no database,
// no job queue, no checks), and a naive loop awaiting one ZADD per follower.
//
//   DATABASE_URL=postgres://... REDIS_URL=redis://... npm run bench:fanout -- --followers 10000,100000 --pins 10
//
// Writes bench/results/<date>-fanout-<dataset>.{json,md}.
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import { Redis } from 'ioredis';
import { sql } from 'kysely';
import { loadConfig } from '../src/config.js';
import { createContainer, type Container } from '../src/container.js';
import { V5_SCOPES, type Viewer } from '../src/platform/http/viewer.js';
import { timelineScore } from '../src/feed/timeline/timeline.js';
import { benchPng } from './png.js';

interface Options {
  followers: number[];
  pins: number;
  burst: number;
  activeShare: number;
  dataset: string;
  out: string;
}

function parseOptions(argv: string[]): Options {
  const options: Options = { followers: [10_000, 100_000], pins: 10, burst: 10, activeShare: 0.8, dataset: 'medium', out: 'bench/results' };
  for (let i = 0; i < argv.length; i += 2) {
    const [flag, value] = [argv[i], String(argv[i + 1])];
    if (flag === '--followers') options.followers = value.split(',').map(Number);
    else if (flag === '--pins') options.pins = Number(value);
    else if (flag === '--burst') options.burst = Number(value);
    else if (flag === '--active-share') options.activeShare = Number(value);
    else if (flag === '--dataset') options.dataset = value;
    else if (flag === '--out') options.out = value;
    else {
      throw new Error(
        `unknown option ${flag}; options: --followers 10000,100000 --pins N (10, timed one by one) --burst N (10, back to back) ` +
          '--active-share 0.8 --dataset NAME (for the report) --out DIR',
      );
    }
  }
  return options;
}

function percentile(values: readonly number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] ?? NaN;
}

const round = (value: number, digits = 1) => Number(value.toFixed(digits));

interface Account {
  followers: number;
  viewer: Viewer;
  boardId: string;
  active: string[];
  inactive: string[];
}

interface SizeResult {
  followers: number;
  activeFollowers: number;
  pinsTimed: number;
  ackMs: { p50: number; p99: number };
  latencyMs: { p50: number; p99: number; max: number };
  deliveriesPerSecond: { p50: number; p99Low: number };
  burst: { pins: number; seconds: number; deliveriesPerSecond: number };
  baselinePipelinedZadd: { p50Ms: number; deliveriesPerSecond: number };
  baselineNaiveZadd: { ms: number; deliveriesPerSecond: number };
  ratioToPipelinedZadd: number;
  ratioToNaiveZadd: number;
  allDelivered: boolean;
  inactiveUntouched: boolean;
}

async function main(): Promise<void> {
  const options = parseOptions(process.argv.slice(2));
  if (!process.env.DATABASE_URL || !process.env.REDIS_URL) throw new Error('set DATABASE_URL and REDIS_URL (this benchmark measures fan-out on Redis)');
  const runId = randomBytes(4).toString('hex');
  const prefix = `bench-fanout-${runId}:`;
  const config = loadConfig({
    ...process.env,
    SEED_DEMO: 'false',
    REDIS_KEY_PREFIX: prefix,
    // Every account of this run is fanned out: none counts as a celebrity.
    FEED_CELEBRITY_FOLLOWERS: '100000000',
    DATA_DIR: await fs.mkdtemp(path.join(os.tmpdir(), 'corkboard-fanout-bench-')),
  });
  const loadBefore = os.loadavg()[0]!;
  const container = await createContainer(config);
  const redis = new Redis(config.redisUrl!);
  const dataset = await datasetSize(container);
  console.log(`dataset: ${JSON.stringify(dataset)}`);
  const accounts: Account[] = [];
  const results: SizeResult[] = [];
  try {
    const maxFollowers = Math.max(...options.followers);
    console.log(`adding ${maxFollowers} synthetic followers (run ${runId}) ...`);
    const followerIds = await addUsers(container, runId, 'f', maxFollowers);
    for (const size of options.followers) accounts.push(await addAccount(container, runId, followerIds.slice(0, size), options.activeShare));
    // Complete (empty) stored timelines for the active followers: they follow nothing else.
    const activeAll = [...new Set(accounts.flatMap((account) => account.active))];
    const expiry = new Date(Date.now() + 7 * 86_400_000);
    for (let start = 0; start < activeAll.length; start += 500) {
      await Promise.all(activeAll.slice(start, start + 500).map((userId) => container.timelineParts.store.finishBuild(userId, [], expiry)));
    }
    // What autovacuum would do after this bulk insert (visibility map, statistics), done now so that
    // it does not run in the middle of a measurement.
    await sql`VACUUM (ANALYZE) users, user_follows, user_activity`.execute(container.db);
    // The worker role only: this process does not serve reads, so the related-pins graph is not loaded.
    await container.start({ worker: true, api: false });
    await container.background.settle(60_000);

    for (const account of accounts) results.push(await measure(container, redis, prefix, account, options));
  } finally {
    console.log('removing the synthetic accounts ...');
    await removeRun(container, runId);
    await deleteKeys(redis, prefix);
    redis.disconnect();
    await container.close();
    await fs.rm(config.dataDir, { recursive: true, force: true });
  }

  const report = {
    date: new Date().toISOString(),
    dataset: { name: options.dataset, ...dataset },
    machine: { cpus: os.cpus().length, model: os.cpus()[0]?.model, memoryGiB: round(os.totalmem() / 2 ** 30), loadAverage: { before: round(loadBefore, 2), after: round(os.loadavg()[0]!, 2) } },
    settings: {
      jobConcurrency: config.jobs.concurrency,
      fanoutChunk: config.timelines.fanoutChunkSize,
      changePollMs: config.changePollMs,
      activeShare: options.activeShare,
      pinsTimedPerSize: options.pins,
      burstPins: options.burst,
    },
    results,
  };
  await fs.mkdir(options.out, { recursive: true });
  const base = path.join(options.out, `${report.date.slice(0, 10)}-fanout-${options.dataset}`);
  await fs.writeFile(`${base}.json`, `${JSON.stringify(report, null, 2)}\n`);
  await fs.writeFile(`${base}.md`, markdown(report));
  console.log(`wrote ${base}.md and .json`);
}

async function datasetSize(container: Container) {
  const result = await sql<{ users: number; boards: number; pins: number; user_follows: number; board_follows: number }>`
    SELECT (SELECT count(*)::int FROM users) AS users, (SELECT count(*)::int FROM boards) AS boards,
      (SELECT reltuples::bigint::int FROM pg_class WHERE relname = 'pins') AS pins,
      (SELECT count(*)::int FROM user_follows) AS user_follows, (SELECT count(*)::int FROM board_follows) AS board_follows
  `.execute(container.db);
  return result.rows[0]!;
}

/** Inserts `count` users named bench_<run>_<tag><i>, in bulk and without change-log rows. */
async function addUsers(container: Container, runId: string, tag: string, count: number): Promise<string[]> {
  const ids: string[] = [];
  for (let start = 0; start < count; start += 10_000) {
    const batch = Array.from({ length: Math.min(10_000, count - start) }, () => container.ids.next());
    const names = batch.map((_, index) => `bench_${runId}_${tag}${start + index}`);
    await container.db.transaction().execute(async (tx) => {
      await sql`SET LOCAL corkboard.skip_change_log = 'on'`.execute(tx);
      await sql`
        INSERT INTO users (id, username, email, password_hash)
        SELECT id, name, name || '@bench.invalid', 'bench-no-login' FROM unnest(${batch}::bigint[], ${names}::text[]) AS u (id, name)
      `.execute(tx);
    });
    ids.push(...batch);
  }
  return ids;
}

async function addAccount(container: Container, runId: string, followers: string[], activeShare: number): Promise<Account> {
  const [authorId] = await addUsers(container, runId, `author${followers.length}_`, 1);
  const viewer: Viewer = { userId: authorId!, username: `bench_${runId}_author${followers.length}_0`, scopes: new Set(V5_SCOPES), isAdmin: false };
  const board = await container.services.boards.create(viewer, { name: `Fan-out ${followers.length}`, privacy: 'PUBLIC' });
  await container.db.transaction().execute(async (tx) => {
    await sql`SET LOCAL corkboard.skip_change_log = 'on'`.execute(tx);
    await sql`INSERT INTO user_follows (follower_id, followee_id) SELECT unnest(${followers}::bigint[]), ${authorId}`.execute(tx);
    await sql`UPDATE users SET follower_count = ${followers.length} WHERE id = ${authorId}`.execute(tx);
  });
  // Every fifth follower (with the default share) was last seen two months ago.
  const cutoff = Math.round(1 / (1 - activeShare));
  const inactive = followers.filter((_, index) => index % cutoff === cutoff - 1);
  const inactiveSet = new Set(inactive);
  const active = followers.filter((id) => !inactiveSet.has(id));
  await container.timelineParts.repositories.activity.setLastActive(active, new Date());
  await container.timelineParts.repositories.activity.setLastActive(inactive, new Date(Date.now() - 60 * 86_400_000));
  return { followers: followers.length, viewer, boardId: board.board.id, active, inactive };
}

let imageVariant = 0;

async function createPin(container: Container, account: Account): Promise<string> {
  imageVariant += 1;
  const mediaSource = { source_type: 'image_base64', content_type: 'image/png', data: benchPng(imageVariant).toString('base64') };
  const details = await container.services.pins.create(account.viewer, {
    board_id: account.boardId,
    title: `Fan-out ${imageVariant}`,
    media_source: mediaSource,
  });
  return details.pin.id;
}

async function deliveredSoFar(container: Container): Promise<number> {
  const metric = await container.timelineParts.metrics.deliveries.get();
  return metric.values[0]?.value ?? 0;
}

async function waitForDeliveries(container: Container, target: number, timeoutMs: number): Promise<number> {
  const deadline = performance.now() + timeoutMs;
  for (;;) {
    if ((await deliveredSoFar(container)) >= target) return performance.now();
    if (performance.now() > deadline) throw new Error(`fan-out did not finish within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 2));
  }
}

async function measure(container: Container, redis: Redis, prefix: string, account: Account, options: Options): Promise<SizeResult> {
  const active = account.active.length;
  console.log(`account with ${account.followers} followers (${active} active)`);
  const latencies: number[] = [];
  const acks: number[] = [];
  const pinIds: string[] = [];
  // One unmeasured pin warms up the statements and connections.
  for (let i = 0; i <= options.pins; i += 1) {
    const before = await deliveredSoFar(container);
    const started = performance.now();
    const pinId = await createPin(container, account);
    const acknowledged = performance.now();
    const done = await waitForDeliveries(container, before + active, 300_000);
    if (i === 0) continue;
    pinIds.push(pinId);
    acks.push(acknowledged - started);
    latencies.push(done - acknowledged);
    console.log(`  pin ${i}: acknowledged in ${(acknowledged - started).toFixed(1)} ms, in all ${active} timelines ${(done - acknowledged).toFixed(0)} ms later`);
  }
  await container.background.settle(120_000);

  // Every active follower's timeline holds every timed pin; no inactive follower has a timeline.
  let allDelivered = true;
  for (let start = 0; start < account.active.length; start += 5000) {
    const pipeline = redis.pipeline();
    for (const userId of account.active.slice(start, start + 5000)) for (const pinId of pinIds) pipeline.zscore(`${prefix}tl:${userId}`, pinId);
    for (const [error, score] of (await pipeline.exec()) ?? []) if (error || score === null) allDelivered = false;
  }
  const inactiveKeys = await redis.exists(...account.inactive.slice(0, 1000).map((userId) => `${prefix}tl:${userId}`));

  // Throughput: pins back to back.
  const burstBefore = await deliveredSoFar(container);
  const burstStart = performance.now();
  for (let i = 0; i < options.burst; i += 1) await createPin(container, account);
  const burstDone = await waitForDeliveries(container, burstBefore + active * options.burst, 600_000);
  const burstSeconds = (burstDone - burstStart) / 1000;
  await container.background.settle(120_000);

  // Baselines on the same keys, with members of their own (removed afterwards).
  const baselineTimes: number[] = [];
  for (let i = 0; i < 5; i += 1) {
    const member = `9${i}${Date.now()}`;
    const started = performance.now();
    for (let start = 0; start < account.active.length; start += 1000) {
      const pipeline = redis.pipeline();
      for (const userId of account.active.slice(start, start + 1000)) pipeline.zadd(`${prefix}tl:${userId}`, timelineScore(member), member);
      await pipeline.exec();
    }
    baselineTimes.push(performance.now() - started);
    await removeMember(redis, prefix, account.active, member);
  }
  const naiveMember = `8${Date.now()}`;
  const naiveStarted = performance.now();
  for (const userId of account.active) await redis.zadd(`${prefix}tl:${userId}`, timelineScore(naiveMember), naiveMember);
  const naiveMs = performance.now() - naiveStarted;
  await removeMember(redis, prefix, account.active, naiveMember);

  const latencyP50 = percentile(latencies, 50);
  const baselineP50 = percentile(baselineTimes, 50);
  return {
    followers: account.followers,
    activeFollowers: active,
    pinsTimed: latencies.length,
    ackMs: { p50: round(percentile(acks, 50)), p99: round(percentile(acks, 99)) },
    latencyMs: { p50: round(latencyP50), p99: round(percentile(latencies, 99)), max: round(Math.max(...latencies)) },
    deliveriesPerSecond: { p50: Math.round(active / (latencyP50 / 1000)), p99Low: Math.round(active / (percentile(latencies, 99) / 1000)) },
    burst: { pins: options.burst, seconds: round(burstSeconds, 2), deliveriesPerSecond: Math.round((active * options.burst) / burstSeconds) },
    baselinePipelinedZadd: { p50Ms: round(baselineP50), deliveriesPerSecond: Math.round(active / (baselineP50 / 1000)) },
    baselineNaiveZadd: { ms: round(naiveMs), deliveriesPerSecond: Math.round(active / (naiveMs / 1000)) },
    ratioToPipelinedZadd: round(latencyP50 / baselineP50, 2),
    ratioToNaiveZadd: round(latencyP50 / naiveMs, 2),
    allDelivered,
    inactiveUntouched: inactiveKeys === 0,
  };
}

async function removeMember(redis: Redis, prefix: string, userIds: readonly string[], member: string): Promise<void> {
  for (let start = 0; start < userIds.length; start += 1000) {
    const pipeline = redis.pipeline();
    for (const userId of userIds.slice(start, start + 1000)) pipeline.zrem(`${prefix}tl:${userId}`, member);
    await pipeline.exec();
  }
}

/**
 * Deletes the run's users and everything they made. Foreign-key and change-log triggers are switched
 * off for the transaction (session_replication_role), and every referencing row the run created is
 * deleted explicitly: a cascade would check each of 100,000 users against every referencing table.
 */
async function removeRun(container: Container, runId: string): Promise<void> {
  await container.db.transaction().execute(async (tx) => {
    await sql`SET LOCAL session_replication_role = replica`.execute(tx);
    const pattern = `bench${String.raw`\_`}${runId}${String.raw`\_`}%`;
    await sql`CREATE TEMP TABLE bench_users ON COMMIT DROP AS SELECT id FROM users WHERE username LIKE ${pattern}`.execute(tx);
    await sql`DELETE FROM user_follows WHERE follower_id IN (SELECT id FROM bench_users) OR followee_id IN (SELECT id FROM bench_users)`.execute(tx);
    await sql`DELETE FROM user_activity WHERE user_id IN (SELECT id FROM bench_users)`.execute(tx);
    await sql`DELETE FROM feed_timelines WHERE user_id IN (SELECT id FROM bench_users)`.execute(tx);
    await sql`DELETE FROM feed_timeline_heads WHERE user_id IN (SELECT id FROM bench_users)`.execute(tx);
    await sql`DELETE FROM pins WHERE owner_id IN (SELECT id FROM bench_users)`.execute(tx);
    await sql`DELETE FROM boards WHERE owner_id IN (SELECT id FROM bench_users)`.execute(tx);
    await sql`DELETE FROM users WHERE id IN (SELECT id FROM bench_users)`.execute(tx);
  });
}

async function deleteKeys(redis: Redis, prefix: string): Promise<void> {
  let cursor = '0';
  do {
    const [next, keys] = await redis.scan(cursor, 'MATCH', `${prefix}*`, 'COUNT', 5000);
    cursor = next;
    if (keys.length > 0) await redis.del(...keys);
  } while (cursor !== '0');
}

type Report = {
  date: string;
  dataset: Record<string, unknown> & { name: string };
  machine: { cpus: number; model: string | undefined; memoryGiB: number; loadAverage: { before: number; after: number } };
  settings: Record<string, unknown>;
  results: SizeResult[];
};

function markdown(report: Report): string {
  const n = (value: number) => value.toLocaleString('en-US');
  const lines = [
    `# Fan-out on write (${report.dataset.name} dataset, PostgreSQL + Redis)`,
    '',
    `${report.date.slice(0, 10)}, ${report.machine.cpus} CPUs (${report.machine.model ?? 'unknown'}), ${report.machine.memoryGiB} GiB, ` +
      `shared with other work: 1-minute load average ${report.machine.loadAverage.before} at the start, ${report.machine.loadAverage.after} at the end. ` +
      `Dataset: ${n(Number(report.dataset.users))} users, ${n(Number(report.dataset.boards))} boards, about ${n(Number(report.dataset.pins))} pins, ` +
      `${n(Number(report.dataset.user_follows))} user follows, ${n(Number(report.dataset.board_follows))} board follows, plus the synthetic followers of the run.`,
    '',
    `Settings: JOB_CONCURRENCY=${String(report.settings.jobConcurrency)}, FEED_FANOUT_CHUNK=${String(report.settings.fanoutChunk)}, ` +
      `CHANGE_POLL_MS=${String(report.settings.changePollMs)}; one process runs the worker role (the pin service is called in process); ` +
      `${Math.round(Number(report.settings.activeShare) * 100)}% of each account's followers are active.`,
    '',
    '**Latency** is from the moment the pin service acknowledged the pin until the last active follower\'s stored timeline held it ' +
      '(the change-log poll, the relay, the fan-out jobs: recipients query, reachability check, Redis script, re-check). ' +
      '**Deliveries/s** is active followers divided by that latency; **burst** creates pins back to back and divides all deliveries by the time until the last landed.',
    '',
    '**Baselines** (same run, same keys): one pipelined `ZADD` per follower in batches of 1,000 with nothing else (the Redis ceiling), ' +
      'and a naive loop awaiting one `ZADD` per follower.',
    '',
    '| followers (active) | pins | create p50 / p99 | latency p50 / p99 | deliveries/s (p50) | burst deliveries/s | pipelined ZADD (ceiling) | x ceiling | naive ZADD loop | x naive | all delivered |',
    '|---|---|---|---|---|---|---|---|---|---|---|',
  ];
  for (const r of report.results) {
    lines.push(
      `| ${n(r.followers)} (${n(r.activeFollowers)}) | ${r.pinsTimed} | ${r.ackMs.p50} / ${r.ackMs.p99} ms | ${n(r.latencyMs.p50)} / ${n(r.latencyMs.p99)} ms | ` +
        `${n(r.deliveriesPerSecond.p50)} | ${n(r.burst.deliveriesPerSecond)} (${r.burst.pins} pins in ${r.burst.seconds} s) | ` +
        `${n(r.baselinePipelinedZadd.p50Ms)} ms (${n(r.baselinePipelinedZadd.deliveriesPerSecond)}/s) | ${r.ratioToPipelinedZadd} | ` +
        `${n(r.baselineNaiveZadd.ms)} ms (${n(r.baselineNaiveZadd.deliveriesPerSecond)}/s) | ${r.ratioToNaiveZadd} | ${r.allDelivered && r.inactiveUntouched ? 'yes' : 'NO'} |`,
    );
  }
  lines.push(
    '',
    `With ${String(report.settings.pinsTimedPerSize)} timed pins per account, p99 is the slowest of them. ` +
      '"x ceiling" and "x naive" are the fan-out latency divided by the baseline\'s time for the same followers (lower is better; 1 would match it). ' +
      '"All delivered": every timed pin was in every active follower\'s timeline afterwards and no inactive follower had a timeline.',
    '',
  );
  return lines.join('\n');
}

await main();
