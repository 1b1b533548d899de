// `npm run bench:related`: the related-pins engine on a generated dataset (bench/README.md#related-pins).
// 1. In this process: build the pin-board graph from the database (build time, memory per edge) and
//    walk it on this thread (steps per second on one core).
// 2. Start Corkboard (--role api) and the bare Fastify baseline as child processes; once the server's
//    graph is built, measure GET /v5/pins/{id}/related at the default step budget alone, GET
//    /v5/pins/{id} alone, and both at once (related pins while the API serves other traffic), each
//    against the baseline serving the same bytes, in alternating rounds.
// 3. Save pins through the API and read how long the graph took to apply them (/metrics).
// Writes bench/results/<date>-related-<dataset>-<engine>.{json,md,svg}.
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { Registry } from 'prom-client';
import { loadConfig } from '../src/config.js';
import { createContainer } from '../src/container.js';
import { Rng } from '../src/dataset/prng.js';
import { AliasTable, zipfWeights } from '../src/dataset/sampling.js';
import { RelatedGraph } from '../src/recs/related-graph.js';
import { PinBoardGraphMetrics } from '../src/recs/related-pins.metrics.js';
import { prepareDatabase } from './database.js';
import { combineRuns, runLoadRaw, type LoadOptions, type RawRun } from './load.js';
import { cpuSnapshot, otherLoad, waitForQuiet } from './machine-load.js';
import { BenchUsageError, parseBenchOptions, type BenchOptions } from './options.js';
import { freePort, ROOT, ServerProcess } from './processes.js';
import { writeRelatedReport, type GraphFigures, type LagFigures, type PhaseResult, type RelatedBenchReport } from './related-report.js';
import { SCENARIOS, type BenchRequest, type RequestStream } from './scenarios.js';
import type { BenchTargets } from './targets.js';

const USAGE = `Usage: npm run bench:related -- [options]

Takes the dataset and load options of npm run bench (bench/README.md): --dataset, --reuse, --reset,
--data-dir, --duration, --warmup, --rounds, --connections, --max-requests, --quiet-wait, --out.
The walk settings are the server's RELATED_PINS_* variables (README), passed on to it.`;

const PROBES = 25;
/** Walks timed on this thread for the steps-per-second figure. */
const TIMED_WALKS = 400;
/** Saves made through the API to measure how fast the graph follows. */
const FRESHNESS_SAVES = 40;

const running = new Set<ServerProcess>();
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

class ZipfPicker<T> {
  private readonly table: AliasTable;
  constructor(
    private readonly items: readonly T[],
    exponent: number,
  ) {
    this.table = new AliasTable(zipfWeights(items.length, exponent));
  }
  pick(rng: Rng): T {
    return this.items[this.table.sample(rng)] as T;
  }
}

function relatedStream(targets: BenchTargets, pins: readonly string[], label: string): RequestStream {
  const rng = Rng.stream(targets.seed, label);
  const picker = new ZipfPicker(pins, 1.0);
  return {
    repeats: 0,
    next: (): BenchRequest => ({
      method: 'GET',
      path: `/v5/pins/${picker.pick(rng)}/related?page_size=25`,
      headers: { authorization: `Bearer ${rng.pick(targets.viewers).token}` },
    }),
  };
}

/** Step 1: the graph in this process, then the database is closed (a PGlite directory has one user). */
async function measureGraph(dataDir: string, databaseUrl: string | undefined, targets: BenchTargets): Promise<GraphFigures> {
  const config = loadConfig({ ...process.env, DATA_DIR: dataDir, DATABASE_URL: databaseUrl ?? '', LOG_LEVEL: 'warn', SEED_DEMO: 'false' });
  const container = await createContainer(config);
  try {
    const settings = config.relatedPins;
    const metrics = new PinBoardGraphMetrics(new Registry());
    const prune = { maxBoardPins: settings.maxBoardPins, maxPinDegree: settings.maxPinDegree, seed: 0x5eed };
    const graph = new RelatedGraph(container.relatedPinsParts.repository, { prune, workers: 0, rebuildMs: 0, metrics });
    console.log('Building the graph in the bench process...');
    await graph.rebuild();
    const stats = graph.stats!;
    console.log(`  ${stats.pins} pins, ${stats.boards} boards, ${stats.edges} edges in ${(stats.buildMs / 1000).toFixed(1)} s, ${(stats.bytes / 2 ** 20).toFixed(1)} MiB`);
    const queries = targets.publicPins.filter((id) => graph.knowsOriginal(id)).slice(0, TIMED_WALKS);
    const walkSettings = { steps: settings.steps, restartProbability: settings.restartProbability, earlyStopPins: settings.earlyStopPins, earlyStopVisits: settings.earlyStopVisits, recencyBias: settings.recencyBias };
    const timeWalks = async (label: string, earlyStopPins: number) => {
      // The first walks warm the JIT up; the rest are timed.
      for (const pinId of queries.slice(0, 20)) await graph.walk({ queries: [{ pinId, weight: 1 }], seed: 1, limit: 500, settings: { ...walkSettings, earlyStopPins } });
      let steps = 0;
      const started = performance.now();
      for (const [i, pinId] of queries.entries()) {
        steps += (await graph.walk({ queries: [{ pinId, weight: 1 }], seed: i, limit: 500, settings: { ...walkSettings, earlyStopPins } })).steps;
      }
      const seconds = (performance.now() - started) / 1000;
      console.log(`  ${label}: ${Math.round(steps / seconds).toLocaleString('en')} steps/s, ${((seconds / queries.length) * 1000).toFixed(2)} ms per walk`);
      return { walks: queries.length, stepsPerSecond: steps / seconds, meanSteps: steps / queries.length, msPerWalk: (seconds / queries.length) * 1000 };
    };
    const withEarlyStop = await timeWalks('walks as configured', walkSettings.earlyStopPins);
    const fullBudget = await timeWalks('walks without early stopping', 0);
    await graph.stop();
    return {
      stats,
      withEarlyStop,
      fullBudget,
      settings: { ...walkSettings, maxBoardPins: settings.maxBoardPins, maxPinDegree: settings.maxPinDegree, maxResults: settings.maxResults, workers: settings.workers },
      queryPins: queries,
    };
  } finally {
    await container.close();
  }
}

async function startServer(dataDir: string, databaseUrl: string | undefined): Promise<ServerProcess> {
  const port = await freePort();
  const env = { PORT: String(port), HOST: '127.0.0.1', DATA_DIR: dataDir, DATABASE_URL: databaseUrl, SEED_DEMO: 'false', LOG_LEVEL: 'warn' };
  const server = ServerProcess.start('Corkboard', 'src/main.ts', ['--role', 'api'], env, port);
  running.add(server);
  await server.waitReady('/readyz');
  return server;
}

async function waitForGraph(server: ServerProcess, targets: BenchTargets, pinId: string): Promise<number> {
  const started = performance.now();
  const headers = { authorization: `Bearer ${targets.viewers[0]!.token}` };
  for (;;) {
    const response = await fetch(`${server.url}/v5/pins/${pinId}/related`, { headers });
    await response.arrayBuffer();
    if (response.status === 200) return (performance.now() - started) / 1000;
    if (response.status !== 503) throw new Error(`related pins answered ${response.status} while the graph was building`);
    await sleep(500);
  }
}

/** A few responses per stream: each must be 200; the one of median size is what the baseline serves. */
async function capture(server: ServerProcess, stream: RequestStream): Promise<{ status: number; body: string }> {
  const probes: string[] = [];
  for (let i = 0; i < PROBES; i += 1) {
    const request = stream.next();
    const response = await fetch(`${server.url}${request.path}`, { headers: request.headers });
    const body = await response.text();
    if (response.status !== 200) throw new Error(`${request.path} answered ${response.status}: ${body.slice(0, 300)}`);
    probes.push(body);
  }
  return { status: 200, body: probes.sort((a, b) => a.length - b.length)[Math.floor(probes.length / 2)]! };
}

interface Load {
  name: string;
  connections: number;
  stream: (label: string) => RequestStream;
}

/** Runs the loads at the same time against the server, then against the baseline (alternating per round). */
async function measure(options: BenchOptions, server: ServerProcess, baseline: ServerProcess, loads: Load[], ours: Set<number>, databaseName: string | undefined): Promise<PhaseResult> {
  const rounds = options.rounds;
  const perRound = options.durationSeconds / rounds;
  const runAll = async (target: 'real' | 'baseline', seconds: number, round: number): Promise<RawRun[]> =>
    Promise.all(
      loads.map((load) => {
        const stream = load.stream(`${load.name}:${target}:${round}`);
        const base: LoadOptions = {
          baseUrl: target === 'real' ? server.url : baseline.url,
          connections: load.connections,
          durationSeconds: seconds,
          maxRequests: Math.ceil(options.maxRequests / rounds),
          next: () => stream.next(),
          expectedStatus: 200,
        };
        return runLoadRaw(target === 'real' ? base : { ...base, pathPrefix: `/baseline/${load.name}` });
      }),
    );
  const waitedSeconds = await waitForQuiet(options, ours, databaseName);
  if (options.warmupSeconds > 0) {
    await runAll('real', options.warmupSeconds, -1);
    await runAll('baseline', options.warmupSeconds, -1);
  }
  const real: RawRun[][] = loads.map(() => []);
  const base: RawRun[][] = loads.map(() => []);
  const before = await cpuSnapshot();
  for (let round = 0; round < rounds; round += 1) {
    const order: Array<'real' | 'baseline'> = round % 2 === 0 ? ['real', 'baseline'] : ['baseline', 'real'];
    for (const target of order) {
      const runs = await runAll(target, perRound, round);
      runs.forEach((run, i) => (target === 'real' ? real : base)[i]!.push(run));
    }
  }
  const after = await cpuSnapshot();
  return {
    loads: loads.map((load, i) => ({ name: load.name, connections: load.connections, real: combineRuns(real[i]!), baseline: combineRuns(base[i]!) })),
    otherLoad: before && after ? otherLoad(before, after, ours, databaseName) : undefined,
    quietWaitSeconds: waitedSeconds,
    serverMemory: await server.memory(),
  };
}

/** Step 3: saves through the API, then the graph's lag histogram from /metrics. */
async function measureFreshness(server: ServerProcess, targets: BenchTargets): Promise<LagFigures> {
  const rng = Rng.stream(targets.seed, 'freshness');
  const picker = new ZipfPicker(targets.publicPins, 0.8);
  let saved = 0;
  for (let attempt = 0; saved < FRESHNESS_SAVES && attempt < FRESHNESS_SAVES * 5; attempt += 1) {
    const viewer = rng.pick(targets.viewers);
    const response = await fetch(`${server.url}/v5/pins/${picker.pick(rng)}/save`, {
      method: 'POST',
      headers: { authorization: `Bearer ${viewer.token}`, 'content-type': 'application/json' },
      body: JSON.stringify({ board_id: rng.pick(viewer.boardIds) }),
    });
    await response.arrayBuffer();
    if (response.status === 201) saved += 1;
    await sleep(100);
  }
  await sleep(2000);
  const text = await (await fetch(`${server.url}/metrics`)).text();
  const value = (name: string) => Number(new RegExp(`^${name} ([0-9.e+-]+)$`, 'm').exec(text)?.[1] ?? NaN);
  const buckets = [...text.matchAll(/^corkboard_related_graph_lag_seconds_bucket\{le="([^"]+)"\} ([0-9.e+-]+)$/gm)].map((match) => ({
    le: match[1] === '+Inf' ? Infinity : Number(match[1]),
    count: Number(match[2]),
  }));
  const count = value('corkboard_related_graph_lag_seconds_count');
  const within = (share: number) => buckets.find((bucket) => bucket.count >= share * count)?.le ?? NaN;
  return { saves: saved, changes: count, meanSeconds: value('corkboard_related_graph_lag_seconds_sum') / count, p50AtMostSeconds: within(0.5), p99AtMostSeconds: within(0.99), buckets };
}

async function main(): Promise<void> {
  const argv = process.argv.slice(2);
  if (argv.includes('--help')) {
    console.log(USAGE);
    return;
  }
  const options = parseBenchOptions(argv);
  const databaseUrl = process.env.DATABASE_URL?.trim() || undefined;
  if (options.reuse && !options.dataDir && !databaseUrl) throw new BenchUsageError('--reuse needs --data-dir DIR (or DATA_DIR), or DATABASE_URL');
  const scratchDir = await fs.mkdtemp(path.join(os.tmpdir(), 'corkboard-bench-related-'));
  const dataDir = path.resolve(options.dataDir ?? path.join(scratchDir, 'data'));
  const startedAt = new Date();
  try {
    const prepared = await prepareDatabase(options, { dataDir, databaseUrl });
    const { targets } = prepared;
    const graph = await measureGraph(dataDir, databaseUrl, targets);

    const server = await startServer(dataDir, databaseUrl);
    console.log(`Corkboard is serving on ${server.url}; waiting for its graph...`);
    const graphReadySeconds = await waitForGraph(server, targets, graph.queryPins[0] ?? targets.publicPins[0]!);
    console.log(`  graph ready ${graphReadySeconds.toFixed(1)} s after the server was`);
    const relatedPins = targets.publicPins;
    const loads = {
      related: { name: 'related-pins', stream: (label: string) => relatedStream(targets, relatedPins, label) },
      pin: { name: 'pin-get', stream: (label: string) => SCENARIOS['pin-get'].stream(targets, label) },
    };
    const captured = {
      'related-pins': await capture(server, loads.related.stream('probe')),
      'pin-get': await capture(server, loads.pin.stream('probe')),
    };
    const bodiesFile = path.join(scratchDir, 'baseline-bodies.json');
    await fs.writeFile(bodiesFile, JSON.stringify(captured));
    const basePort = await freePort();
    const baseline = ServerProcess.start('baseline', 'bench/baseline-server.ts', [], { PORT: String(basePort), BASELINE_BODIES: bodiesFile }, basePort);
    running.add(baseline);
    await baseline.waitReady('/readyz');

    const ours = new Set([process.pid, server.pid ?? 0, baseline.pid ?? 0]);
    const databaseName = databaseUrl ? decodeURIComponent(new URL(databaseUrl).pathname.slice(1)) : undefined;
    const c = options.connections;
    const half = Math.max(1, Math.floor(c / 2));
    const phases: Record<string, PhaseResult> = {};
    console.log('\nRelated pins alone');
    phases.relatedAlone = await measure(options, server, baseline, [{ ...loads.related, connections: c }], ours, databaseName);
    console.log('Pin get alone');
    phases.pinAlone = await measure(options, server, baseline, [{ ...loads.pin, connections: c }], ours, databaseName);
    console.log('Related pins while the API serves pin gets');
    phases.mixed = await measure(options, server, baseline, [{ ...loads.related, connections: half }, { ...loads.pin, connections: c - half }], ours, databaseName);
    console.log('Freshness: saves through the API');
    const lag = await measureFreshness(server, targets);

    const report: RelatedBenchReport = {
      startedAt: startedAt.toISOString(),
      finishedAt: new Date().toISOString(),
      engine: prepared.engine,
      engineVersion: prepared.serverVersion,
      dataset: { label: options.reuse && !options.dataset.explicit ? `reused-${Math.round((prepared.rows.pins ?? 0) / 1000)}k-pins` : options.dataset.label, rows: prepared.rows, pinKinds: prepared.pinKinds },
      machine: { cpus: os.availableParallelism(), cpuModel: os.cpus()[0]?.model.trim() ?? 'unknown', node: process.version },
      load: { durationSeconds: options.durationSeconds, warmupSeconds: options.warmupSeconds, rounds: options.rounds, connections: c, viewers: targets.viewers.length, pins: relatedPins.length },
      graph,
      graphReadySeconds,
      phases,
      lag,
      changePollMs: loadConfig({ ...process.env }).changePollMs,
    };
    const files = await writeRelatedReport(report, path.resolve(ROOT, options.outDir));
    console.log(`\nWrote ${files.map((file) => path.relative(process.cwd(), file)).join(', ')}`);
  } finally {
    await Promise.all([...running].map((server) => server.stop()));
    await fs.rm(scratchDir, { recursive: true, force: true });
  }
}

main().catch((error: unknown) => {
  console.error(error instanceof BenchUsageError ? `bench:related: ${error.message}\n\n${USAGE}` : error);
  void Promise.all([...running].map((server) => server.stop())).finally(() => process.exit(1));
});
