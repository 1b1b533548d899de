// `npm run bench:rate-limit-overhead`: what counting requests for the rate limits costs each one.
// Two apps in this one process, the same data in each, one with limits on (at levels no request here
// reaches, so every request is counted and none refused) and one with RATE_LIMITS=off; the same warm
// requests, each with a bearer token, sent into each (inject: no HTTP or load generator sharing the
// cores), one at a time (--concurrency N keeps N in flight: a server's waits for Redis then overlap,
// as under real load, and work done per second rather than per request, such as change-log polls,
// weighs less on slower requests), in alternating rounds (on, off, off, on, ...) so that other programs on the
// machine weigh on both alike. Reported per request: this process's CPU time (process.cpuUsage, user +
// system: the robust figure on a shared machine), latency p50/p99, and the statements and Redis
// commands sent meanwhile. Needs DATABASE_URL (test apps, as read-path-cost); without REDIS_URL the
// counts live in process memory, with it every count is a Redis round trip. Writes bench/results/<date>-rate-limit-overhead-<engine>.md.
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import type { Redis } from 'ioredis';
import { createTestApp, type TestApp, type TestUser } from '../test/support/test-app.js';
import { createPin, makeBoard } from '../src/pins/pin-test-support.js';
import { toGlobalId } from '../src/graphql/relay.js';

const { values: args } = parseArgs({
  options: {
    requests: { type: 'string', default: '2000' },
    rounds: { type: 'string', default: '4' },
    concurrency: { type: 'string', default: '1' },
    out: { type: 'string', default: 'bench/results' },
  },
});
const REQUESTS = Number(args.requests);
const ROUNDS = Number(args.rounds);
const CONCURRENCY = Number(args.concurrency);

interface Side {
  label: 'limits on' | 'limits off';
  t: TestApp;
  viewer: TestUser;
  pinId: string;
  statements: number;
  redisCommands: number;
}

async function side(label: Side['label']): Promise<Side> {
  const t = await createTestApp({ RATE_LIMITS: label === 'limits on' ? 'on' : 'off' });
  const ana = await t.signUp('ana');
  const viewer = await t.signUp('ben');
  const boardId = await makeBoard(t, ana, 'Rate limits');
  const pinId = (await createPin(t, ana, boardId, { title: 'Counted' })).id;
  await t.container.background.settle();
  const result: Side = { label, t, viewer, pinId, statements: 0, redisCommands: 0 };
  t.container.database.statements.watch(() => {
    result.statements += 1;
  });
  const redis: Redis | undefined = t.container.background.redis;
  if (redis) {
    const send = redis.sendCommand.bind(redis);
    redis.sendCommand = (...rest: Parameters<Redis['sendCommand']>) => {
      result.redisCommands += 1;
      return send(...rest);
    };
  }
  return result;
}

interface Scenario {
  name: string;
  send(side: Side): Promise<number>;
}

const scenarios: Scenario[] = [
  {
    name: 'GET /v5/pins/{id} (warm, token)',
    send: async (s) => (await s.t.request({ method: 'GET', url: `/v5/pins/${s.pinId}`, as: s.viewer })).statusCode,
  },
  {
    name: 'GraphQL pin(id) (warm, token)',
    send: async (s) =>
      (await s.t.request({ method: 'POST', url: '/graphql', as: s.viewer, payload: { query: `{ pin(id: "${toGlobalId('Pin', s.pinId)}") { id title } }` } })).statusCode,
  },
];

interface Totals {
  cpuMicros: number;
  requests: number;
  statements: number;
  redisCommands: number;
  latencies: number[];
}

async function measure(scenario: Scenario, s: Side, totals: Totals): Promise<void> {
  const [statementsBefore, redisBefore] = [s.statements, s.redisCommands];
  const cpuBefore = process.cpuUsage();
  let next = 0;
  const worker = async () => {
    while (next < REQUESTS) {
      next += 1;
      const sent = performance.now();
      const status = await scenario.send(s);
      totals.latencies.push(performance.now() - sent);
      if (status !== 200) throw new Error(`${scenario.name} (${s.label}) answered ${status}`);
    }
  };
  await Promise.all(Array.from({ length: CONCURRENCY }, worker));
  const cpu = process.cpuUsage(cpuBefore);
  totals.cpuMicros += cpu.user + cpu.system;
  totals.requests += REQUESTS;
  totals.statements += s.statements - statementsBefore;
  totals.redisCommands += s.redisCommands - redisBefore;
}

const quantile = (values: number[], q: number): number => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))]!;
};

const engine = `${process.env.DATABASE_URL ? 'PostgreSQL' : 'PGlite'}${process.env.REDIS_URL ? ' + Redis' : ' (counts in process)'}`;
const on = await side('limits on');
const off = await side('limits off');
const loadBefore = os.loadavg()[0]!;
const rows: string[] = [];
for (const scenario of scenarios) {
  const totals = new Map<Side, Totals>([on, off].map((s) => [s, { cpuMicros: 0, requests: 0, statements: 0, redisCommands: 0, latencies: [] }]));
  // Warm-up: JIT, caches, the token verified.
  for (const s of [on, off]) for (let i = 0; i < 200; i++) await scenario.send(s);
  for (let round = 0; round < ROUNDS; round++) {
    const order = round % 2 === 0 ? [on, off] : [off, on];
    for (const s of order) await measure(scenario, s, totals.get(s)!);
  }
  const cpu = (s: Side) => totals.get(s)!.cpuMicros / totals.get(s)!.requests;
  for (const s of [on, off]) {
    const total = totals.get(s)!;
    rows.push(
      `| ${scenario.name} | ${s.label} | ${cpu(s).toFixed(0)} | ${quantile(total.latencies, 0.5).toFixed(3)} | ${quantile(total.latencies, 0.99).toFixed(3)} | ` +
        `${(total.statements / total.requests).toFixed(3)} | ${(total.redisCommands / total.requests).toFixed(3)} |`,
    );
  }
  rows.push(`| ${scenario.name} | **on - off** | **${(cpu(on) - cpu(off)).toFixed(0)}** (${(((cpu(on) - cpu(off)) / cpu(off)) * 100).toFixed(1)} %) | | | | |`);
}
const loadAfter = os.loadavg()[0]!;
await Promise.all([on.t.close(), off.t.close()]);

const date = new Date().toISOString().slice(0, 10);
const report = `# Rate-limit overhead (${engine})

\`npm run bench:rate-limit-overhead\` on ${date}: two apps in one process (limits on at levels no request
reaches, and \`RATE_LIMITS=off\`), ${ROUNDS} alternating rounds of ${REQUESTS} warm requests each per app
and scenario, ${CONCURRENCY} in flight (inject), each with a bearer token (latency includes waiting behind the others in flight). Machine: ${os.cpus().length} CPUs, Node
${process.version}, load average ${loadBefore.toFixed(1)} before and ${loadAfter.toFixed(1)} after (other programs
share the machine: latency moves with them, CPU per request much less).

| request | rate limits | CPU per request (µs) | p50 (ms) | p99 (ms) | statements per request | Redis commands per request |
|---|---|---|---|---|---|---|
${rows.join('\n')}

CPU per request is this process's (the app and the counting; Redis's own CPU is not in it). Redis
commands per request include everything the app sent meanwhile (background reads included).
`;
await fs.mkdir(args.out, { recursive: true });
const file = path.join(args.out, `${date}-rate-limit-overhead-${process.env.REDIS_URL ? 'redis' : 'in-process'}.md`);
await fs.writeFile(file, report);
console.log(report);
console.log(`written to ${file}`);
