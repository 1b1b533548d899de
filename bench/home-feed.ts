// `npm run bench:home`: the home feed under load. Prepares the database like `npm run bench` (same
// options; --reuse for a loaded dataset), picks a population of viewers ranked for a Zipf draw and
// counts the database statements of each kind of feed request in this process; then starts Corkboard
// and the bare Fastify baseline as separate processes and measures, from this process (127.0.0.1
// only), the first page over REST and GraphQL and the next page over REST, each against the baseline
// answering the same bytes, with the cache hit ratio read from /metrics around each run.
// Extra options: --feed-viewers N (2000) and --zipf S (1.0). See bench/README.md.
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { Rng } from '../src/dataset/prng.js';
import { renderChart, type ChartRow } from './chart.js';
import { prepareDatabase } from './database.js';
import { countStatements, feedGraphql, feedPage, feedViewers, openContainer, ZipfViewers, type StatementReport } from './home-feed-setup.js';
import { counterDelta, readCounters, type CacheFigures } from './server-counters.js';
import { combineRuns, runLoadRaw, type LoadOptions, type LoadStats, type RawRun } from './load.js';
import { cpuSnapshot, otherLoad, waitForQuiet, type OtherLoad } from './machine-load.js';
import { BenchUsageError, parseBenchOptions, USAGE, type BenchOptions } from './options.js';
import { freePort, ROOT, ServerProcess, waitForRelatedGraph } from './processes.js';
import { ratiosOf, type Ratios } from './report.js';
import type { BenchRequest } from './scenarios.js';

interface HomeScenario {
  name: 'home-feed' | 'home-feed-graphql' | 'home-feed-next';
  title: string;
  request: string;
  /** A new stream of requests; `label` seeds it. */
  stream(label: string): () => BenchRequest;
}

interface HomeResult {
  name: string;
  title: string;
  request: string;
  real: LoadStats | null;
  baseline: LoadStats | null;
  ratio: Ratios | null;
  cache: CacheFigures | null;
  otherLoad: OtherLoad | undefined;
  bodyBytes: number;
  failure?: string;
}

const ENGINE_NAMES = { pglite: 'PGlite (embedded)', postgres: 'PostgreSQL' } as const;
/** The next-page scenario's viewers: the most active of the population. */
const NEXT_PAGE_VIEWERS = 100;

function extraOptions(argv: string[]): { rest: string[]; feedViewers: number; zipf: number; statementRequests: number } {
  const rest: string[] = [];
  const values: Record<string, string> = {};
  for (let index = 0; index < argv.length; index += 1) {
    const arg = argv[index]!;
    const name = ['--feed-viewers', '--zipf', '--statement-requests'].find((option) => arg === option || arg.startsWith(`${option}=`));
    if (!name) {
      rest.push(arg);
      continue;
    }
    values[name] = arg.includes('=') ? arg.slice(arg.indexOf('=') + 1) : (argv[++index] ?? '');
  }
  const number = (name: string, fallback: number, integer: boolean) => {
    const raw = values[name];
    if (raw === undefined) return fallback;
    const value = Number(raw);
    if (!Number.isFinite(value) || value <= 0 || (integer && !Number.isInteger(value))) throw new BenchUsageError(`${name} must be a positive number, got "${raw}"`);
    return value;
  };
  return { rest, feedViewers: number('--feed-viewers', 2000, true), zipf: number('--zipf', 1.0, false), statementRequests: number('--statement-requests', 200, true) };
}

/** Alternating rounds against Corkboard and the baseline (A B B A ...), as `npm run bench` measures. */
async function measure(options: BenchOptions, real: LoadOptions, baseline: LoadOptions): Promise<{ real: LoadStats; baseline: LoadStats }> {
  const perRound = { durationSeconds: options.durationSeconds / options.rounds, maxRequests: Math.max(options.connections, Math.ceil(options.maxRequests / options.rounds)) };
  if (options.warmupSeconds > 0) {
    await runLoadRaw({ ...real, durationSeconds: options.warmupSeconds });
    await runLoadRaw({ ...baseline, durationSeconds: options.warmupSeconds });
  }
  const realRuns: RawRun[] = [];
  const baselineRuns: RawRun[] = [];
  for (let round = 0; round < options.rounds; round += 1) {
    const order: Array<[LoadOptions, RawRun[]]> = [
      [real, realRuns],
      [baseline, baselineRuns],
    ];
    if (round % 2 === 1) order.reverse();
    for (const [target, runs] of order) runs.push(await runLoadRaw({ ...target, ...perRound }));
  }
  return { real: combineRuns(realRuns), baseline: combineRuns(baselineRuns) };
}

async function send(baseUrl: string, request: BenchRequest): Promise<{ status: number; body: string }> {
  const response = await fetch(`${baseUrl}${request.path}`, { method: request.method, headers: request.headers, body: request.body, signal: AbortSignal.timeout(120_000) });
  return { status: response.status, body: await response.text() };
}

const fmt = (value: number, digits = 1) => value.toFixed(digits);
const ms = (value: number) => (value >= 100 ? value.toFixed(0) : value >= 10 ? value.toFixed(1) : value.toFixed(2));
const pct = (value: number) => `${(value * 100).toFixed(1)} %`;

function markdown(report: Record<string, unknown>, results: HomeResult[], statements: StatementReport, svg: string): string {
  const dataset = report.dataset as { label: string; rows: Record<string, number> };
  const settings = report.settings as { durationSeconds: number; warmupSeconds: number; connections: number; feedViewers: number; zipf: number; statementRequests: number };
  const machine = report.machine as { cpus: number; cpuModel: string };
  const lines = [
    `# Home feed, ${dataset.label} dataset on ${ENGINE_NAMES[report.engine as 'pglite' | 'postgres']}${report.redis ? ' + Redis' : ''}, ${String(report.startedAt).slice(0, 10)}`,
    '',
    `${report.engineVersion as string}; ${(dataset.rows.pins ?? 0).toLocaleString('en')} pins, ${(dataset.rows.users ?? 0).toLocaleString('en')} users, ` +
      `${(dataset.rows.boards ?? 0).toLocaleString('en')} boards, ${(dataset.rows.user_follows ?? 0).toLocaleString('en')} follows. ` +
      `${settings.feedViewers} viewers drawn Zipf-wise (s = ${settings.zipf}); ${settings.connections} connections, ${settings.warmupSeconds} s warm-up, ` +
      `${settings.durationSeconds} s measured per side in alternating rounds; ${machine.cpus} CPUs (${machine.cpuModel}) shared by the server, the database and the load generator. ` +
      `Measured once the server's related-pins graph was built (${fmt(report.relatedGraphBuildSeconds as number, 0)} s after it was ready).`,
    '',
    `![chart](${svg})`,
    '',
    '| scenario | req/s | p50 ms | p99 ms | non-2xx | baseline req/s | baseline p50 / p99 ms | throughput vs baseline | p50 / p99 vs baseline | body bytes | other programs\' CPU |',
    '|---|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|',
  ];
  for (const result of results) {
    const { real, baseline, ratio } = result;
    if (!real || !baseline || !ratio) {
      lines.push(`| ${result.title} | not measured: ${result.failure ?? 'unknown'} | | | | | | | | | |`);
      continue;
    }
    lines.push(
      `| ${result.title} | ${Math.round(real.requestsPerSecond).toLocaleString('en')} | ${ms(real.latencyMs.p50)} | ${ms(real.latencyMs.p99)} | ${real.non2xx} | ` +
        `${Math.round(baseline.requestsPerSecond).toLocaleString('en')} | ${ms(baseline.latencyMs.p50)} / ${ms(baseline.latencyMs.p99)} | ${pct(ratio.throughput)} | ` +
        `${fmt(ratio.p50)}x / ${fmt(ratio.p99)}x | ${result.bodyBytes.toLocaleString('en')} | ${result.otherLoad ? pct(result.otherLoad.otherShare) : 'n/a'} |`,
    );
  }
  lines.push('', '## Cache hit ratio under the Zipf load', '', '| scenario | namespace | reads | local hits | Redis hits | loaded | hit ratio |', '|---|---|--:|--:|--:|--:|--:|');
  for (const result of results) {
    for (const [namespace, figures] of Object.entries(result.cache?.namespaces ?? {}).sort()) {
      lines.push(`| ${result.title} | \`${namespace}\` | ${figures.reads} | ${figures.localHit} | ${figures.remoteHit} | ${figures.miss} | ${pct(figures.hitRatio)} |`);
    }
  }
  lines.push('', 'Feed pages served during each scenario, by how their list was obtained (`new` first page, `cached` later page from the stored list, `rebuilt` later page whose list had left the cache):', '');
  for (const result of results) lines.push(`- ${result.title}: ${Object.entries(result.cache?.pages ?? {}).map(([list, n]) => `${list} ${n}`).join(', ') || 'none'}`);
  lines.push(
    '',
    'Where else the server\'s time went during each scenario (both sides of the alternating rounds, warm-up included): garbage collection, the related-pins engine\'s walks for picked pools (their time includes waiting for a walk thread), and the longest event-loop delay:',
    '',
  );
  for (const result of results) {
    const figures = result.cache;
    if (!figures) continue;
    const gc = Object.entries(figures.gcSeconds).filter(([, seconds]) => seconds > 0).map(([kind, seconds]) => `${kind} ${fmt(seconds, 2)} s`).join(', ');
    lines.push(
      `- ${result.title}: GC ${gc || 'none'}; ${figures.walks.count} walks, ${fmt(figures.walks.seconds, 1)} s in all` +
        `${figures.walks.count > 0 ? ` (mean ${ms((figures.walks.seconds / figures.walks.count) * 1000)} ms)` : ''}; longest event-loop delay ${ms(figures.eventLoopMaxSeconds * 1000)} ms`,
    );
  }
  lines.push(
    '',
    '## Database statements per feed request',
    '',
    `Counted in the bench process over ${settings.statementRequests} first pages (viewers drawn from the same Zipf stream), each followed by its next page, the same next page again after its list was dropped from the cache, and a GraphQL first page. Requests go one at a time to an app whose background side is not started (no change-log or job polling), so every statement counted is the request's. The related-pins graph is not loaded in this process, so the statements of its picks (on an interests cache miss) are not included.`,
    '',
    '| request | requests | mean | p50 | max | mean time in process, ms | mean per request, by purpose |',
    '|---|--:|--:|--:|--:|--:|---|',
  );
  const rows: Array<[string, keyof StatementReport]> = [
    ['First page, viewer not seen before (interests read)', 'firstPageNewViewer'],
    ['First page, viewer seen before (interests cached)', 'firstPageRepeatViewer'],
    ['Next page, list cached', 'nextPageCachedList'],
    ['Next page, list rebuilt from the bookmark', 'nextPageRebuiltList'],
    ['GraphQL first page with pinner and board', 'graphqlFirstPage'],
  ];
  for (const [label, key] of rows) {
    const s = statements[key];
    const purposes = Object.entries(s.byKind)
      .sort(([, a], [, b]) => b - a)
      .map(([kind, mean]) => `${kind} ${fmt(mean, 2)}`)
      .join('; ');
    lines.push(`| ${label} | ${s.requests} | ${fmt(s.mean, 2)} | ${s.p50} | ${s.max} | ${ms(s.meanMs)} | ${purposes} |`);
  }
  lines.push('', '## Scenarios', '');
  for (const result of results) lines.push(`- **${result.title}**: ${result.request}`);
  lines.push('');
  return lines.join('\n');
}

async function main(): Promise<void> {
  const extra = extraOptions(process.argv.slice(2));
  const options = parseBenchOptions(extra.rest);
  if (options.help) {
    console.log(`${USAGE.replace(/npm run bench\b/, 'npm run bench:home').replace(/\n {2}--scenarios[^\n]*/, '')}\nHome feed:\n  --feed-viewers 2000             viewers in the Zipf population (each gets a token)\n  --zipf 1.0                      Zipf exponent over the viewers\n  --statement-requests 200        first pages sent in process to count statements\n`);
    return;
  }
  const databaseUrl = process.env.DATABASE_URL?.trim() || undefined;
  if (options.reuse && !options.dataDir && !databaseUrl) throw new BenchUsageError('--reuse needs --data-dir DIR (or DATA_DIR), or DATABASE_URL');
  const scratchDir = await fs.mkdtemp(path.join(os.tmpdir(), 'corkboard-home-'));
  const dataDir = path.resolve(options.dataDir ?? path.join(scratchDir, 'data'));
  const running: ServerProcess[] = [];
  const stop = () => Promise.all(running.map((server) => server.stop()));
  process.once('SIGINT', () => void stop().finally(() => process.exit(130)));
  process.once('SIGTERM', () => void stop().finally(() => process.exit(143)));
  try {
    const startedAt = new Date();
    const prepared = await prepareDatabase(options, { dataDir, databaseUrl });
    console.log(`Dataset: ${Object.entries(prepared.rows).map(([table, n]) => `${table} ${n}`).join(', ')}.`);

    const container = await openContainer(dataDir, databaseUrl);
    let statements: StatementReport;
    let viewers;
    try {
      viewers = await feedViewers(container, extra.feedViewers);
      console.log(`${viewers.length} viewers with tokens; counting statements over ${extra.statementRequests} feed requests in process...`);
      statements = await countStatements(container, new ZipfViewers(viewers, extra.zipf), extra.statementRequests, prepared.seed);
      console.log(`  statements: first page ${fmt(statements.firstPageRepeatViewer.mean, 2)} (new viewer ${fmt(statements.firstPageNewViewer.mean, 2)}), next page ${fmt(statements.nextPageCachedList.mean, 2)} (rebuilt ${fmt(statements.nextPageRebuiltList.mean, 2)})`);
    } finally {
      await container.close();
    }
    const zipf = new ZipfViewers(viewers, extra.zipf);

    const port = await freePort();
    const server = ServerProcess.start('Corkboard', 'src/main.ts', ['--role', 'api'], { PORT: String(port), HOST: '127.0.0.1', DATA_DIR: dataDir, DATABASE_URL: databaseUrl, SEED_DEMO: 'false', LOG_LEVEL: 'warn' }, port);
    running.push(server);
    await server.waitReady('/readyz');
    console.log(`Corkboard is serving on ${server.url} (${prepared.engine}${process.env.REDIS_URL ? ' + Redis' : ''}).`);
    // The related-pins graph is built in the API process after it starts; the picked pool draws on it, and
    // building it takes the CPU for a while on a big dataset: measure once it is there, as in production.
    const graphBuildSeconds = await waitForRelatedGraph(server.url);
    console.log(`Related-pins graph ready after ${graphBuildSeconds.toFixed(0)} s.`);

    // Next pages need bookmarks: one per viewer of the hottest NEXT_PAGE_VIEWERS, fetched just before that
    // scenario runs (a list stays cached CACHE_TTL_SECONDS, 60 s by default, and the run must fit in it).
    const bookmarks = new Map<string, string>();
    const nextViewers = new ZipfViewers(viewers.slice(0, NEXT_PAGE_VIEWERS), extra.zipf);
    const scenarios: HomeScenario[] = [
      { name: 'home-feed', title: 'Home feed, first page (REST)', request: '`GET /v5/feeds/home?page_size=25`, viewer drawn Zipf-wise', stream: (label) => { const rng = Rng.stream(prepared.seed, label); return () => feedPage(zipf.pick(rng)); } },
      { name: 'home-feed-graphql', title: 'Home feed, first page (GraphQL)', request: '`POST /graphql` `homeFeed(first: 25)` with media, pinner and board, viewer drawn Zipf-wise', stream: (label) => { const rng = Rng.stream(prepared.seed, label); return () => feedGraphql(zipf.pick(rng)); } },
      {
        name: 'home-feed-next',
        title: 'Home feed, next page (REST)',
        request: `\`GET /v5/feeds/home?page_size=25&bookmark=...\`: the second page of a feed opened just before the run, viewer drawn Zipf-wise from the ${NEXT_PAGE_VIEWERS} most active`,
        stream: (label) => {
          const rng = Rng.stream(prepared.seed, label);
          return () => {
            const viewer = nextViewers.pick(rng);
            return feedPage(viewer, bookmarks.get(viewer.id));
          };
        },
      },
    ];

    const results: HomeResult[] = [];
    const captured: Record<string, { status: number; body: string }> = {};
    for (const scenario of scenarios) {
      const result: HomeResult = { name: scenario.name, title: scenario.title, request: scenario.request, real: null, baseline: null, ratio: null, cache: null, otherLoad: undefined, bodyBytes: 0 };
      results.push(result);
      const probe = scenario.stream(`${scenario.name}:probe`);
      const probes = [];
      for (let index = 0; index < 25; index += 1) {
        const answer = await send(server.url, probe());
        if (answer.status !== 200 || answer.body.includes('"errors"')) {
          result.failure = `answered ${answer.status}: ${answer.body.slice(0, 200)}`;
          break;
        }
        probes.push(answer);
      }
      if (result.failure) continue;
      captured[scenario.name] = probes.sort((a, b) => a.body.length - b.body.length)[Math.floor(probes.length / 2)]!;
      result.bodyBytes = Buffer.byteLength(captured[scenario.name]!.body);
    }
    const bodiesFile = path.join(scratchDir, 'baseline-bodies.json');
    await fs.writeFile(bodiesFile, JSON.stringify(captured));
    const baselinePort = await freePort();
    const baseline = ServerProcess.start('baseline', 'bench/baseline-server.ts', [], { PORT: String(baselinePort), BASELINE_BODIES: bodiesFile }, baselinePort);
    running.push(baseline);
    await baseline.waitReady('/readyz');

    const databaseName = databaseUrl ? decodeURIComponent(new URL(databaseUrl).pathname.slice(1)) : undefined;
    const ours = new Set([process.pid, server.pid ?? 0, baseline.pid ?? 0]);
    for (const [index, scenario] of scenarios.entries()) {
      const result = results[index]!;
      if (result.failure) continue;
      console.log(`\n${scenario.title}`);
      await waitForQuiet(options, ours, databaseName);
      if (scenario.name === 'home-feed-next') {
        // Open each of these viewers' feeds once (as many at a time as there are connections), so each
        // next page continues a cached list.
        const queue = [...nextViewers.viewers];
        const opener = async () => {
          for (let viewer = queue.shift(); viewer; viewer = queue.shift()) {
            const answer = await send(server.url, feedPage(viewer));
            const bookmark = (JSON.parse(answer.body) as { bookmark: string | null }).bookmark;
            if (bookmark) bookmarks.set(viewer.id, bookmark);
          }
        };
        await Promise.all(Array.from({ length: options.connections }, opener));
      }
      const common = { connections: options.connections, maxRequests: options.maxRequests, durationSeconds: options.durationSeconds, expectedStatus: 200 };
      const before = await readCounters(server.url);
      const cpuBefore = await cpuSnapshot();
      const measured = await measure(
        options,
        { ...common, baseUrl: server.url, next: scenario.stream(scenario.name) },
        { ...common, baseUrl: baseline.url, pathPrefix: `/baseline/${scenario.name}`, next: scenario.stream(`${scenario.name}:baseline`) },
      );
      const cpuAfter = await cpuSnapshot();
      result.cache = counterDelta(before, await readCounters(server.url));
      result.otherLoad = cpuBefore && cpuAfter ? otherLoad(cpuBefore, cpuAfter, ours, databaseName) : undefined;
      result.real = measured.real;
      result.baseline = measured.baseline;
      result.ratio = ratiosOf(measured.real, measured.baseline);
      console.log(`  Corkboard: ${Math.round(measured.real.requestsPerSecond)} req/s, p50 ${ms(measured.real.latencyMs.p50)} ms, p99 ${ms(measured.real.latencyMs.p99)} ms, ${measured.real.non2xx} non-2xx`);
      console.log(`  baseline:  ${Math.round(measured.baseline.requestsPerSecond)} req/s; throughput ${pct(result.ratio.throughput)} of it`);
    }
    await stop();

    const label = options.reuse && !options.dataset.explicit ? `reused-${Math.round((prepared.rows.pins ?? 0) / 1000)}k-pins` : options.dataset.label;
    const engine = `${prepared.engine}${process.env.REDIS_URL ? '-redis' : ''}`;
    const report = {
      version: 1,
      startedAt: startedAt.toISOString(),
      finishedAt: new Date().toISOString(),
      engine: prepared.engine,
      redis: Boolean(process.env.REDIS_URL),
      engineVersion: prepared.engine === 'pglite' ? `PGlite (PostgreSQL ${prepared.serverVersion})` : `PostgreSQL ${prepared.serverVersion}`,
      engineSettings: prepared.settings,
      dataset: { label, seed: prepared.seed, reused: options.reuse, rows: prepared.rows, pinKinds: prepared.pinKinds },
      machine: { cpus: os.availableParallelism(), cpuModel: os.cpus()[0]?.model.trim() ?? 'unknown', memoryGiB: os.totalmem() / 1024 ** 3, node: process.version },
      relatedGraphBuildSeconds: graphBuildSeconds,
      settings: { durationSeconds: options.durationSeconds, warmupSeconds: options.warmupSeconds, rounds: options.rounds, connections: options.connections, feedViewers: viewers.length, zipf: extra.zipf, statementRequests: extra.statementRequests },
      statements,
      scenarios: results,
    };
    const base = `${report.startedAt.slice(0, 10)}-home-feed-${label}-${engine}`;
    const outDir = path.resolve(ROOT, options.outDir);
    await fs.mkdir(outDir, { recursive: true });
    const chartRows: ChartRow[] = results.flatMap((result) =>
      result.real && result.baseline
        ? [{ label: result.title, rps: result.real.requestsPerSecond, baselineRps: result.baseline.requestsPerSecond, p50: result.real.latencyMs.p50, p99: result.real.latencyMs.p99, baselineP50: result.baseline.latencyMs.p50, baselineP99: result.baseline.latencyMs.p99 }]
        : [],
    );
    await fs.writeFile(path.join(outDir, `${base}.json`), `${JSON.stringify(report, null, 2)}\n`);
    await fs.writeFile(path.join(outDir, `${base}.svg`), renderChart(`Home feed, ${report.startedAt.slice(0, 10)}`, `${label} dataset, ${ENGINE_NAMES[prepared.engine]}${report.redis ? ' + Redis' : ''}, ${options.connections} connections`, chartRows));
    await fs.writeFile(path.join(outDir, `${base}.md`), markdown(report, results, statements, `${base}.svg`));
    console.log(`\nWrote ${path.relative(process.cwd(), path.join(outDir, base))}.{json,md,svg}`);
  } finally {
    await stop();
    // The scratch directory holds the data directory only when none was given.
    if (options.dataDir || !options.keepData) await fs.rm(scratchDir, { recursive: true, force: true });
  }
}

main().catch((error: unknown) => {
  console.error(error instanceof BenchUsageError ? `bench:home: ${error.message}` : error);
  process.exit(1);
});
