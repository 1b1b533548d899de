// `npx tsx bench/read-path-cost.ts`: what one warm read costs the server itself, without HTTP or a
// load generator sharing the cores: a warm GET /v5/pins/{id} and a warm board pins page (25 pins),
// sent one at a time into one process (inject), on the database of DATABASE_URL (REDIS_URL too when
// set). Reported per request: this process's CPU time (process.cpuUsage, user + system), latency
// p50/p99, and every statement and Redis command the process sent meanwhile, background reads of the
// change log included. CPU per request barely moves when other programs share the machine; latency does.
// A third scenario reads a cold pin: a save of another pin (two pins, two boards, an owner), with every
// row cache emptied (here and in Redis) before each request, outside the measured time.
import { parseArgs } from 'node:util';
import type { Redis } from 'ioredis';
import os from 'node:os';
import { createTestApp } from '../test/support/test-app.js';
import { createPin, makeBoard } from '../src/pins/pin-test-support.js';
import { ROW_NAMESPACES } from '../src/platform/cache/cached-rows.js';

const { values: args } = parseArgs({ options: { requests: { type: 'string', default: '3000' }, label: { type: 'string', default: '' } } });
const REQUESTS = Number(args.requests);

const t = await createTestApp();
const ana = await t.signUp('ana');
const ben = await t.signUp('ben');
const boardId = await makeBoard(t, ana, 'Read path');
let pinId = '';
for (let i = 0; i < 25; i++) pinId = (await createPin(t, ana, boardId, { title: `Pin ${i}` })).id;
const bensBoard = await makeBoard(t, ben, 'Saved');
const saved = await t.request({ method: 'POST', url: `/v5/pins/${pinId}/save`, as: ben, payload: { board_id: bensBoard } });
if (saved.statusCode !== 201) throw new Error(`save answered ${saved.statusCode}`);
const savedPinId = saved.json<{ id: string }>().id;
await t.container.background.settle();

let statements = 0;
t.container.database.statements.watch(() => {
  statements += 1;
});
let redisCommands = 0;
const redis: Redis | undefined = t.container.background.redis;
if (redis) {
  const send = redis.sendCommand.bind(redis);
  redis.sendCommand = (...rest: Parameters<Redis['sendCommand']>) => {
    redisCommands += 1;
    return send(...rest);
  };
}

/** Empties every row cache, here and in Redis (before each cold request, not measured). */
async function coldRows(): Promise<void> {
  await t.container.background.cache.clearNamespaces(Object.values(ROW_NAMESPACES));
}

async function measure(name: string, url: string, before?: () => Promise<void>): Promise<void> {
  for (let i = 0; i < 200; i++) {
    await before?.();
    await t.request({ method: 'GET', url, as: ben });
  }
  const latencies = new Float64Array(REQUESTS);
  let statementsCounted = 0;
  let redisCounted = 0;
  let cpuMicros = 0;
  let elapsed = 0;
  for (let i = 0; i < REQUESTS; i++) {
    await before?.();
    const statementsBefore = statements;
    const redisBefore = redisCommands;
    const cpuBefore = process.cpuUsage();
    const sent = performance.now();
    const response = await t.request({ method: 'GET', url, as: ben });
    latencies[i] = performance.now() - sent;
    elapsed += latencies[i]!;
    const cpuUsed = process.cpuUsage(cpuBefore);
    cpuMicros += cpuUsed.user + cpuUsed.system;
    statementsCounted += statements - statementsBefore;
    redisCounted += redisCommands - redisBefore;
    if (response.statusCode !== 200) throw new Error(`${url} answered ${response.statusCode}`);
  }
  latencies.sort();
  const at = (q: number) => latencies[Math.min(REQUESTS - 1, Math.floor(q * REQUESTS))]!;
  console.log(
    `| ${args.label} | ${name} | ${(cpuMicros / REQUESTS).toFixed(0)} | ${at(0.5).toFixed(2)} | ${at(0.99).toFixed(2)} | ` +
      `${((REQUESTS / elapsed) * 1000).toFixed(0)} | ${(statementsCounted / REQUESTS).toFixed(3)} | ${(redisCounted / REQUESTS).toFixed(3)} | ${os.loadavg()[0]!.toFixed(1)} |`,
  );
}

await measure('GET /v5/pins/{id}', `/v5/pins/${pinId}`);
await measure('GET /v5/boards/{id}/pins (25)', `/v5/boards/${boardId}/pins?page_size=25`);
await measure('cold GET /v5/pins/{id} (a save)', `/v5/pins/${savedPinId}`, coldRows);
await t.close();
