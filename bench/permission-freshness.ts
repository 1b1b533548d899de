// `npm run bench:permission-freshness`: what the cross-process permission guarantee costs. A request
// uses the per-process caches of what decides access (tokens, boards, collaborators, pins) only while
// its process's last read of the change log started less than PERMISSION_FRESHNESS_MS ago; past that it
// waits for a fresh read (src/platform/cache/fresh-reads.ts, recent-row-changes.ts). Measured in one
// process, on the database of DATABASE_URL (a database of its own is made and dropped): a warm
// GET /v5/pins/{id} (token, pin, board, pinner all cached), sequentially and with N requests in
// flight, with the freshness rule as shipped and without it (the cache trusted as is: the baseline,
// same process, same run). Reported: p50/p99 latency, requests per second, and change-log reads per
// request.
import fs from 'node:fs/promises';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { createTestApp } from '../test/support/test-app.js';
import { createPin, makeBoard } from '../src/pins/pin-test-support.js';

const { values: args } = parseArgs({
  options: {
    requests: { type: 'string', default: '3000' },
    concurrency: { type: 'string', default: '32' },
    out: { type: 'string', default: path.join(import.meta.dirname, 'results') },
  },
});
const REQUESTS = Number(args.requests);
const CONCURRENCY = Number(args.concurrency);
const CHANGE_LOG_READ = /FROM change_log\s+WHERE id >/;

if (!process.env.DATABASE_URL) {
  console.error('Set DATABASE_URL (PostgreSQL): on PGlite a warm read sends no change-log read at all.');
  process.exit(2);
}

const t = await createTestApp();
const ana = await t.signUp('ana');
const ben = await t.signUp('ben');
const pin = await createPin(t, ana, await makeBoard(t, ana, 'Bench'));
await t.container.background.settle();

let changeLogReads = 0;
t.container.database.statements.watch((sql) => {
  if (CHANGE_LOG_READ.test(sql)) changeLogReads += 1;
});
const rowChanges = t.container.background.rowChanges;
const shipped = rowChanges.fresh.bind(rowChanges);

interface Result {
  mode: string;
  inFlight: number;
  p50: number;
  p99: number;
  perSecond: number;
  readsPerRequest: number;
}

async function run(mode: 'with the change-log read' | 'cache trusted (baseline)', inFlight: number): Promise<Result> {
  rowChanges.fresh = mode === 'with the change-log read' ? shipped : async () => true;
  const one = async () => {
    const started = performance.now();
    const res = await t.request({ method: 'GET', url: `/v5/pins/${pin.id}`, as: ben });
    if (res.statusCode !== 200) throw new Error(`${res.statusCode} ${res.body}`);
    return performance.now() - started;
  };
  for (let i = 0; i < 200; i++) await one();
  // Background polls count too: they are part of what the process sends.
  changeLogReads = 0;
  const times: number[] = [];
  let next = 0;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: inFlight }, async () => {
      while (next < REQUESTS) {
        next += 1;
        times.push(await one());
      }
    }),
  );
  const seconds = (performance.now() - started) / 1000;
  times.sort((a, b) => a - b);
  const at = (q: number) => times[Math.min(times.length - 1, Math.floor(q * times.length))]!;
  return { mode, inFlight, p50: at(0.5), p99: at(0.99), perSecond: REQUESTS / seconds, readsPerRequest: changeLogReads / REQUESTS };
}

const results: Result[] = [];
for (const inFlight of [1, CONCURRENCY]) {
  // A B B A: each mode once early and once late, so drift in the machine's load evens out.
  const order = ['with the change-log read', 'cache trusted (baseline)', 'cache trusted (baseline)', 'with the change-log read'] as const;
  const runs: Result[] = [];
  for (const mode of order) runs.push(await run(mode, inFlight));
  for (const mode of new Set(order)) {
    const mine = runs.filter((r) => r.mode === mode);
    const mean = (pick: (r: Result) => number) => mine.reduce((sum, r) => sum + pick(r), 0) / mine.length;
    results.push({ mode, inFlight, p50: mean((r) => r.p50), p99: mean((r) => r.p99), perSecond: mean((r) => r.perSecond), readsPerRequest: mean((r) => r.readsPerRequest) });
  }
}
rowChanges.fresh = shipped;
await t.close();

const lines = [
  `# Permission freshness: the cost of the change-log read (${new Date().toISOString().slice(0, 10)})`,
  '',
  `Warm \`GET /v5/pins/{id}\` in one process (inject, no network), PostgreSQL ${'(DATABASE_URL)'}; ${REQUESTS} requests per run, each mode run twice (A B B A) and averaged; CHANGE_POLL_MS ${t.config.changePollMs}. Machine: 2 shared cores (load average ${(await fs.readFile('/proc/loadavg', 'utf8')).split(' ')[0]} at the end).`,
  '',
  '| in flight | mode | p50 ms | p99 ms | requests/s | change-log reads per request | p50 vs baseline |',
  '|---|---|---|---|---|---|---|',
  ...results.map((r) => {
    const base = results.find((b) => b.inFlight === r.inFlight && b.mode !== r.mode && r.mode === 'with the change-log read');
    return `| ${r.inFlight} | ${r.mode} | ${r.p50.toFixed(2)} | ${r.p99.toFixed(2)} | ${r.perSecond.toFixed(0)} | ${r.readsPerRequest.toFixed(2)} | ${base ? `${(r.p50 / base.p50).toFixed(2)}x` : '-'} |`;
  }),
  '',
  'Change-log reads per request include the background polls (every CHANGE_POLL_MS) made during the run.',
];
await fs.mkdir(args.out, { recursive: true });
const file = path.join(args.out, `${new Date().toISOString().slice(0, 10)}-permission-freshness.md`);
await fs.writeFile(file, `${lines.join('\n')}\n`);
console.log(lines.join('\n'));
console.log(`\nwritten to ${file}`);
