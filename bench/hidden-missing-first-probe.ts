// `npx tsx bench/hidden-missing-first-probe.ts` (DATABASE_URL: test apps need it outside vitest, as
// read-path-cost): the case where a stranger's 404 for a hidden pin and for a missing id used to
// differ (docs/security.md#hidden-and-missing-take-the-same-time): the first request for an id, when
// the hidden pin's board is already cached because its owner is browsing it. Whatever is not cached
// is read in one statement (pin-details-reader.ts), so both should send one. Each id is asked for
// once, as an attacker sweeping fresh ids would; hidden and missing probes are interleaved and
// shuffled, and compared with the rank statistics of the timing test, in one process (inject).
// Writes bench/results/<date>-hidden-missing-first-probe-<engine>.md.
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { createTestApp } from '../test/support/test-app.js';
import { createBoard, createPin } from '../test/support/fixtures.js';
import { compareTimings } from '../test/security/timing-statistics.js';
import { countStatements } from '../src/graphql/graphql-test-support.js';

const { values: args } = parseArgs({ options: { pins: { type: 'string', default: '160' }, out: { type: 'string', default: 'bench/results' } } });
const PINS = Number(args.pins);

const t = await createTestApp();
const owner = await t.signUp('hilda');
const stranger = await t.signUp('mallory');
const boards: string[] = [];
for (let i = 0; i < 4; i++) boards.push((await createBoard(t, owner, { name: `Hidden ${i}`, privacy: i % 2 === 0 ? 'SECRET' : 'PROTECTED' })).id);
const hidden: string[] = [];
for (let i = 0; i < PINS; i++) hidden.push((await createPin(t, owner, boards[i % boards.length]!, { title: `Hidden pin ${i}` })).id);
await t.container.background.settle();
// The owner browses their boards (board rows cached); the stranger has asked for one pin of each
// board before (their role on it cached), and for one missing id.
for (const board of boards) await t.request({ method: 'GET', url: `/v5/boards/${board}`, as: owner });
const probe = (id: string) => t.request({ method: 'GET', url: `/v5/pins/${id}`, as: stranger });
const warmUps = hidden.splice(0, boards.length);
for (const id of warmUps) await probe(id);
/** A missing id of the same millisecond as `id` (a sequence number near the top). */
const missingLike = (id: string, n: number) => ((BigInt(id) & ~0xfffn) | BigInt(4095 - n)).toString();
await probe(missingLike(warmUps[0]!, 0));
// The pins' own rows are not cached: each pin is asked for for the first time below.
await t.container.background.cache.clearNamespaces(['pin-v2']);

const probes = [...hidden.map((id) => ({ id, group: 'hidden' as const })), ...hidden.map((id, n) => ({ id: missingLike(id, 1 + n), group: 'missing' as const }))];
for (let i = probes.length - 1; i > 0; i--) {
  const j = Math.floor(Math.random() * (i + 1));
  [probes[i], probes[j]] = [probes[j]!, probes[i]!];
}
const samples = { hidden: [] as number[], missing: [] as number[] };
const statements = { hidden: 0, missing: 0 };
for (const { id, group } of probes) {
  let ms = 0;
  const { statements: sent } = await countStatements(t, async () => {
    const started = performance.now();
    const reply = await probe(id);
    ms = performance.now() - started;
    if (reply.statusCode !== 404) throw new Error(`${group} ${id} answered ${reply.statusCode}`);
  });
  samples[group].push(ms);
  statements[group] += sent.filter((sql) => !/change_log|oauth_tokens|user_activity/.test(sql)).length;
}
await t.close();

const comparison = compareTimings(samples.hidden, samples.missing);
const engine = process.env.DATABASE_URL ? 'PostgreSQL' : 'PGlite';
const date = new Date().toISOString().slice(0, 10);
const report = `# First request for a hidden pin whose board is cached, against a missing id (${engine})

\`npx tsx bench/hidden-missing-first-probe.ts --pins ${PINS}\` on ${date}: ${hidden.length} hidden pins (SECRET and
PROTECTED boards the owner is browsing) and as many missing ids of the same milliseconds, each asked
for once by a stranger (\`GET /v5/pins/{id}\`, inject), interleaved and shuffled. Machine: ${os.cpus().length}
CPUs, load average ${os.loadavg()[0]!.toFixed(1)} (shared).

| | hidden | missing |
|---|---|---|
| statements per request | ${(statements.hidden / hidden.length).toFixed(2)} | ${(statements.missing / hidden.length).toFixed(2)} |
| median (ms) | ${comparison.medians[0].toFixed(3)} | ${comparison.medians[1].toFixed(3)} |

Rank statistics (limits of the timing test: |z| 5, 62 %): ${comparison.summary}.
`;
await fs.mkdir(args.out, { recursive: true });
const file = path.join(args.out, `${date}-hidden-missing-first-probe-${engine === 'PGlite' ? 'pglite' : 'postgres'}.md`);
await fs.writeFile(file, report);
console.log(report);
console.log(`written to ${file}`);
