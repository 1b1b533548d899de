// How long the server takes to answer hostile GraphQL documents (npm run bench:graphql-limits), against
// a trivial query measured in the same run: the 2^n fragment chains that used to hold the event loop,
// and the largest documents of each kind the limits let through or refuse. Each document is sent
// `--runs` times to a real server process (src/main.ts, embedded database in a temporary DATA_DIR),
// with a deadline; a document that misses it is reported as such, and the server is restarted, since
// it is still busy. Writes bench/results/<date>-graphql-limits[-label].md.
//   --runs N (20)  --deadline-ms N (20000)  --label text
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { freePort, ROOT, ServerProcess } from './processes.js';

const args = process.argv.slice(2);
const option = (name: string, fallback: string) => {
  const at = args.indexOf(`--${name}`);
  return at >= 0 && args[at + 1] !== undefined ? args[at + 1]! : fallback;
};
const RUNS = Number(option('runs', '20'));
const DEADLINE_MS = Number(option('deadline-ms', '20000'));
const LABEL = option('label', '');

const range = (n: number) => Array.from({ length: n }, (_, i) => i);
function chain(n: number, spreads = 2, extra = ''): string {
  return [
    'query Q { ...F0 }',
    ...range(n).map((i) => `fragment F${i} on Query { ${extra.replace('#', String(i))}${` ...F${i + 1}`.repeat(spreads)} }`),
    `fragment F${n} on Query { __typename }`,
  ].join('\n');
}
const nestedPins = (levels: number): string => (levels === 0 ? 'id' : `pins(first: 1) { edges { node { board { ${nestedPins(levels - 1)} } } } }`);

interface Case {
  name: string;
  body: unknown;
}

const CASES: Case[] = [
  { name: 'baseline: `{ __typename }`', body: { query: '{ __typename }' } },
  ...[12, 16, 18, 20, 22, 40].map((n) => ({ name: `2^${n} fragment chain (${Buffer.byteLength(chain(n))} B)`, body: { query: chain(n) } })),
  { name: '3^30 chain with aliased fields', body: { query: chain(30, 3, 'a#: __typename') } },
  { name: '120 levels of nested selections', body: { query: `{ board(id: "1") { ${nestedPins(30)} } }` } },
  { name: '250 aliases', body: { query: `{ ${range(250).map((i) => `a${i}: __typename`).join(' ')} }` } },
  { name: '120 directives', body: { query: `{ __typename ${'@skip(if: false) '.repeat(120)}}` } },
  { name: '16 KB of one repeated field (token cap)', body: { query: `{ ${'board(id: "1") { id } '.repeat(700)}}` } },
  { name: '110 copies of one field, 990 tokens (worst case under the token cap)', body: { query: `{ ${'board(id: "1") { id } '.repeat(110)}}` } },
  {
    name: '50 copies of a field with a sub-selection (accepted)',
    body: { query: `{ ${'board(id: "1") { owner { username } pins { edges { cursor } } } '.repeat(50)}}` },
  },
  {
    name: 'a 100,000-item JSON variable',
    body: { query: 'query Q($a: JSON) { experimentAssignments(attributes: $a) { experimentKey } }', variables: { a: { list: range(100_000) } } },
  },
];

interface Result {
  name: string;
  status: string;
  samples: number[];
  missed: boolean;
}

const percentile = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] ?? NaN;

const dataDirs: string[] = [];

/** A server on a data dir of its own (a killed server leaves its embedded database locked). */
async function startServer(): Promise<ServerProcess> {
  const dataDir = await fs.mkdtemp(path.join(os.tmpdir(), 'corkboard-bench-graphql-'));
  dataDirs.push(dataDir);
  const port = await freePort();
  const server = ServerProcess.start(
    'corkboard',
    'src/main.ts',
    [],
    { PORT: String(port), HOST: '127.0.0.1', DATA_DIR: dataDir, SEED_DEMO: 'false', LOG_LEVEL: 'warn', DATABASE_URL: undefined, REDIS_URL: undefined, RELATED_PINS_WORKERS: '1' },
    port,
  );
  await server.waitReady('/healthz');
  for (let i = 0; i < 5; i += 1) await fetch(`${server.url}/graphql?query=${encodeURIComponent('{ __typename }')}`);
  return server;
}

async function main(): Promise<void> {
  let server = await startServer();
  const results: Result[] = [];
  try {
    for (const testCase of CASES) {
      const samples: number[] = [];
      let status = '';
      let missed = false;
      for (let run = 0; run < RUNS && !missed; run += 1) {
        const started = performance.now();
        try {
          const response = await fetch(`${server.url}/graphql`, {
            method: 'POST',
            headers: { 'content-type': 'application/json' },
            body: JSON.stringify(testCase.body),
            signal: AbortSignal.timeout(DEADLINE_MS),
          });
          const body = (await response.json()) as { errors?: Array<{ extensions?: { code?: string } }> };
          samples.push(performance.now() - started);
          status = `${response.status} ${body.errors?.[0]?.extensions?.code ?? ''}`.trim();
        } catch {
          missed = true;
          status = `no answer within ${DEADLINE_MS / 1000} s`;
        }
      }
      results.push({ name: testCase.name, status, samples, missed });
      console.log(`${testCase.name}: ${status}`);
      if (missed) {
        // Still busy with it: start afresh for the next document.
        server.child.kill('SIGKILL');
        await server.stop(0);
        server = await startServer();
      }
    }
  } finally {
    await server.stop();
    for (const dataDir of dataDirs) await fs.rm(dataDir, { recursive: true, force: true });
  }

  const baseline = percentile([...results[0]!.samples].sort((a, b) => a - b), 50);
  const rows = results.map(({ name, status, samples, missed }) => {
    const sorted = [...samples].sort((a, b) => a - b);
    if (missed && sorted.length === 0) return `| ${name} | ${status} | > ${DEADLINE_MS} | > ${DEADLINE_MS} | > ${Math.round(DEADLINE_MS / baseline)} |`;
    const p50 = percentile(sorted, 50);
    return `| ${name} | ${status} | ${p50.toFixed(1)} | ${percentile(sorted, 99).toFixed(1)} | ${(p50 / baseline).toFixed(1)} |`;
  });
  const date = new Date().toISOString().slice(0, 10);
  const report = `# GraphQL limits: time to answer hostile documents${LABEL ? ` (${LABEL})` : ''}

${date}. \`npm run bench:graphql-limits -- --runs ${RUNS}${LABEL ? ` --label ${LABEL}` : ''}\`: each document sent ${RUNS} times by POST,
one at a time, to a server process on the embedded database (no data: refusals happen before any
is read), ${os.cpus().length} CPUs (${os.loadavg()[0]!.toFixed(1)} load average at the end: the machine is shared). Times are
from the request's start to its whole answer, in ms; the ratio is p50 over the baseline's p50 in the same run.
A document with no answer within ${DEADLINE_MS / 1000} s is measured once and the server restarted.

| document | answer | p50 ms | p99 ms | × baseline |
|---|---|---|---|---|
${rows.join('\n')}
`;
  const file = path.join(ROOT, 'bench/results', `${date}-graphql-limits${LABEL ? `-${LABEL}` : ''}.md`);
  await fs.writeFile(file, report);
  console.log(`\n${report}\nwritten to ${path.relative(ROOT, file)}`);
}

await main();
