// `npm run bench`: prepare a database with a generated dataset, start Corkboard and a bare Fastify
// baseline as separate processes, put each scenario under load from this process (127.0.0.1 only),
// and write the results as JSON, Markdown and SVG under bench/results/. See bench/README.md.
import { counterDelta, readCounters, type CacheFigures } from './server-counters.js';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { prepareDatabase, type PreparedDatabase } from './database.js';
import { combineRuns, runLoadRaw, type LoadOptions, type LoadStats, type RawRun } from './load.js';
import { cpuSecondsOf, cpuSnapshot, loadAverage, otherLoad, waitForQuiet, type CpuSnapshot, type OtherLoad } from './machine-load.js';
import { BenchUsageError, parseBenchOptions, USAGE, type BenchOptions } from './options.js';
import { freePort, ROOT, ServerProcess, waitForRelatedGraph } from './processes.js';
import { ratiosOf, writeReport, type BenchReport, type MachineInfo, type ScenarioResult } from './report.js';
import { SCENARIO_NAMES, SCENARIOS, type BenchRequest, type Scenario } from './scenarios.js';

/** Requests sent per scenario before the runs (writes use up distinct pairs, so fewer of them). */
const READ_PROBES = 25;
const WRITE_PROBES = 5;
/**
 * A read scenario's baseline answers each path with Corkboard's own answer to it: the distinct paths
 * its request stream will draw (at most this many; a path past the cap gets the median body) are
 * fetched from Corkboard before the runs, a few at a time.
 */
const CAPTURED_PATHS_MAX = 30_000;
const CAPTURE_CONCURRENCY = 8;

interface Captured {
  status: number;
  body: string;
  /** Per request path (reads): the body Corkboard answered for it. */
  byPath?: Record<string, string>;
}

async function send(baseUrl: string, request: BenchRequest): Promise<Captured> {
  const response = await fetch(`${baseUrl}${request.path}`, {
    method: request.method,
    headers: request.headers,
    body: request.body,
    signal: AbortSignal.timeout(60_000),
  });
  return { status: response.status, body: await response.text() };
}

/**
 * Corkboard's answer to every distinct path the scenario's baseline stream will ask for in a run of
 * `draws` requests, so the baseline sends the same bytes for the same request.
 */
async function captureByPath(baseUrl: string, scenario: Scenario, targets: PreparedDatabase['targets'], draws: number): Promise<Record<string, string>> {
  const stream = scenario.stream(targets, `${scenario.name}:baseline`);
  const requests = new Map<string, BenchRequest>();
  for (let i = 0; i < draws && requests.size < CAPTURED_PATHS_MAX; i += 1) {
    const request = stream.next();
    if (!requests.has(request.path)) requests.set(request.path, request);
  }
  const byPath: Record<string, string> = {};
  const queue = [...requests.values()];
  await Promise.all(
    Array.from({ length: CAPTURE_CONCURRENCY }, async () => {
      for (let request = queue.pop(); request; request = queue.pop()) {
        const response = await send(baseUrl, request);
        if (response.status === scenario.expectedStatus) byPath[request.path] = response.body;
      }
    }),
  );
  return byPath;
}

function machineInfo(): MachineInfo {
  const cpus = os.cpus();
  return {
    cpus: os.availableParallelism(),
    cpuModel: cpus[0]?.model.trim() ?? 'unknown',
    memoryGiB: os.totalmem() / 1024 ** 3,
    node: process.version,
    os: `${os.type()} ${os.release()}`,
  };
}

async function packageVersion(name: string): Promise<string> {
  try {
    const text = await fs.readFile(path.join(ROOT, 'node_modules', name, 'package.json'), 'utf8');
    return (JSON.parse(text) as { version: string }).version;
  } catch {
    return 'unknown';
  }
}

function describeStats(stats: LoadStats): string {
  const latency = stats.latencyMs;
  return (
    `${Math.round(stats.requestsPerSecond)} req/s, p50 ${latency.p50.toFixed(2)} ms, p99 ${latency.p99.toFixed(2)} ms` +
    (stats.non2xx + stats.errors > 0 ? `, ${stats.non2xx} non-2xx, ${stats.errors} errors` : '')
  );
}

function describeOther(load: OtherLoad | undefined): string {
  return load && load.otherShare >= 0.05 ? ` [other programs took ${(load.otherShare * 100).toFixed(0)} % of the CPUs]` : '';
}

/** The processes this run started, stopped on the way out whatever happens. */
const running = new Set<ServerProcess>();

async function stopAll(): Promise<void> {
  await Promise.all([...running].map((server) => server.stop()));
  running.clear();
}

async function startServer(prepared: PreparedDatabase, dataDir: string, databaseUrl: string | undefined): Promise<ServerProcess> {
  const port = await freePort();
  const server = ServerProcess.start(
    'Corkboard',
    'src/main.ts',
    ['--role', 'api'],
    {
      PORT: String(port),
      HOST: '127.0.0.1',
      DATA_DIR: dataDir,
      DATABASE_URL: databaseUrl,
      SEED_DEMO: 'false',
      LOG_LEVEL: 'warn',
    },
    port,
  );
  running.add(server);
  await server.waitReady('/readyz');
  console.log(`Corkboard is serving on ${server.url} (pid ${server.pid}, ${prepared.engine}).`);
  return server;
}

async function startBaseline(captured: Record<string, Captured>, dir: string): Promise<ServerProcess> {
  const bodiesFile = path.join(dir, `baseline-bodies-${process.pid}.json`);
  await fs.writeFile(bodiesFile, JSON.stringify(captured));
  const port = await freePort();
  const baseline = ServerProcess.start('baseline', 'bench/baseline-server.ts', [], { PORT: String(port), BASELINE_BODIES: bodiesFile }, port);
  running.add(baseline);
  await baseline.waitReady('/readyz');
  console.log(`Baseline is serving on ${baseline.url} (pid ${baseline.pid}).`);
  return baseline;
}

/** What every measured run needs to know besides its target. */
interface RunContext {
  options: BenchOptions;
  /** The benchmark's own processes (this one, the servers): not "other programs". */
  ours: ReadonlySet<number>;
  databaseName: string | undefined;
}

interface Measured {
  real: LoadStats;
  baseline: LoadStats;
  /** CPU other programs took during the measured rounds. */
  otherLoad: OtherLoad | undefined;
  /** How long the scenario waited for other programs to quiet down first. */
  waitedSeconds: number;
  /** Cache reads per namespace during the measured rounds (the Corkboard server's /metrics). */
  cache: CacheFigures['namespaces'];
  /** CPU seconds each server used during its measured rounds (Corkboard's with its database backends). */
  cpu: { real: { process: number; database: number }; baseline: number };
}

/** One run, with the CPU time the serving process (and its database backends) used meanwhile. */
async function timedRun(
  target: LoadOptions,
  perRound: Partial<LoadOptions>,
  pid: number,
  databaseName: string | undefined,
): Promise<{ run: RawRun; cpu: { process: number; database: number } }> {
  const before: CpuSnapshot | undefined = await cpuSnapshot();
  const run = await runLoadRaw({ ...target, ...perRound });
  const after = await cpuSnapshot();
  return { run, cpu: before && after ? cpuSecondsOf(before, after, new Set([pid]), databaseName) : { process: 0, database: 0 } };
}


/**
 * Measures a scenario against Corkboard and against the baseline in alternating rounds (A B B A ...),
 * so that both see the same machine even when other programs come and go: the ratio stays fair.
 * Waits for a quiet machine and warms both up first; records what else ran meanwhile.
 */
async function measure(context: RunContext, real: LoadOptions, baseline: LoadOptions, pids: { real: number; baseline: number }): Promise<Measured> {
  const { options } = context;
  const rounds = options.rounds;
  const perRound = {
    durationSeconds: options.durationSeconds / rounds,
    maxRequests: Math.max(options.connections, Math.ceil(options.maxRequests / rounds)),
  };
  const waitedSeconds = await waitForQuiet(context.options, context.ours, context.databaseName);
  if (options.warmupSeconds > 0) {
    await runLoadRaw({ ...real, durationSeconds: options.warmupSeconds });
    await runLoadRaw({ ...baseline, durationSeconds: options.warmupSeconds });
  }
  const realRuns: RawRun[] = [];
  const baselineRuns: RawRun[] = [];
  const countersBefore = await readCounters(real.baseUrl);
  const before = await cpuSnapshot();
  const cpu = { real: { process: 0, database: 0 }, baseline: 0 };
  for (let round = 0; round < rounds; round += 1) {
    const order: Array<[LoadOptions, RawRun[], boolean]> = [
      [real, realRuns, true],
      [baseline, baselineRuns, false],
    ];
    if (round % 2 === 1) order.reverse();
    for (const [target, runs, isReal] of order) {
      const timed = await timedRun(target, perRound, isReal ? pids.real : pids.baseline, isReal ? context.databaseName : undefined);
      runs.push(timed.run);
      if (isReal) {
        cpu.real.process += timed.cpu.process;
        cpu.real.database += timed.cpu.database;
      } else cpu.baseline += timed.cpu.process;
    }
  }
  const after = await cpuSnapshot();
  const countersAfter = await readCounters(real.baseUrl);
  return {
    real: combineRuns(realRuns),
    baseline: combineRuns(baselineRuns),
    otherLoad: before && after ? otherLoad(before, after, context.ours, context.databaseName) : undefined,
    waitedSeconds,
    cache: counterDelta(countersBefore, countersAfter).namespaces,
    cpu,
  };
}

function emptyResult(scenario: Scenario): ScenarioResult {
  return {
    name: scenario.name,
    title: scenario.title,
    method: scenario.method,
    route: scenario.route,
    description: scenario.description,
    expectedStatus: scenario.expectedStatus,
    sample: { status: 0, bodyBytes: 0 },
    real: null,
    baseline: null,
    ratio: null,
    repeats: 0,
    serverMemory: undefined,
    otherLoad: undefined,
    quietWaitSeconds: 0,
  };
}

async function benchmark(options: BenchOptions, dataDir: string, databaseUrl: string | undefined, scratchDir: string): Promise<BenchReport> {
  const startedAt = new Date();
  const prepared = await prepareDatabase(options, { dataDir, databaseUrl });
  const { targets } = prepared;
  console.log(
    `Dataset: ${Object.entries(prepared.rows)
      .map(([table, n]) => `${table} ${n}`)
      .join(', ')}; ${targets.viewers.length} viewers.`,
  );

  const server = await startServer(prepared, dataDir, databaseUrl);
  // The server builds its related-pins graph at start (tens of seconds of CPU on medium): measure after.
  const graphSeconds = await waitForRelatedGraph(server.url);
  console.log(`The server's related-pins graph was ready after ${graphSeconds.toFixed(0)} s.`);
  const databaseName = databaseUrl ? decodeURIComponent(new URL(databaseUrl).pathname.slice(1)) : undefined;
  const scenarios = SCENARIO_NAMES.filter((name) => options.scenarios.includes(name)).map((name) => SCENARIOS[name]);
  const results = new Map(scenarios.map((scenario) => [scenario.name, emptyResult(scenario)]));
  const streams = new Map(scenarios.map((scenario) => [scenario.name, scenario.stream(targets, scenario.name)]));

  // A few real responses per scenario: a check that the scenario works, and (the one of median size)
  // the body the baseline serves.
  const captured: Record<string, Captured> = {};
  for (const scenario of scenarios) {
    const result = results.get(scenario.name)!;
    const probes: Captured[] = [];
    for (let i = 0; i < (scenario.writes ? WRITE_PROBES : READ_PROBES); i += 1) {
      const response = await send(server.url, streams.get(scenario.name)!.next());
      if (response.status !== scenario.expectedStatus) {
        result.sample = { status: response.status, bodyBytes: Buffer.byteLength(response.body) };
        result.failure = `a request answered ${response.status}, not ${scenario.expectedStatus}: ${response.body.slice(0, 300)}`;
        console.error(`${scenario.title}: ${result.failure}`);
        break;
      }
      probes.push(response);
    }
    if (result.failure) continue;
    const median = probes.sort((a, b) => a.body.length - b.body.length)[Math.floor(probes.length / 2)]!;
    result.sample = { status: median.status, bodyBytes: Buffer.byteLength(median.body) };
    captured[scenario.name] = median;
    if (!scenario.writes) {
      // Draws enough for the warm-ups and the measured requests of the baseline's stream.
      const draws = options.maxRequests + Math.ceil(options.maxRequests * (options.warmupSeconds / Math.max(1, options.durationSeconds)));
      const byPath = await captureByPath(server.url, scenario, targets, draws);
      captured[scenario.name] = { ...median, byPath };
      console.log(`${scenario.title}: the baseline answers ${Object.keys(byPath).length} paths with Corkboard's own bodies.`);
    }
  }
  const baseline = await startBaseline(captured, scratchDir);
  const context: RunContext = { options, ours: new Set([process.pid, server.pid ?? 0, baseline.pid ?? 0]), databaseName };

  for (const scenario of scenarios) {
    const result = results.get(scenario.name)!;
    if (result.failure) continue;
    console.log(`\n${scenario.title} (${scenario.method} ${scenario.route})`);
    const stream = streams.get(scenario.name)!;
    const baselineStream = scenario.stream(targets, `${scenario.name}:baseline`);
    const common = { connections: options.connections, maxRequests: options.maxRequests, durationSeconds: options.durationSeconds };
    const loadBefore = loadAverage();
    const measured = await measure(
      context,
      { ...common, baseUrl: server.url, next: () => stream.next(), expectedStatus: scenario.expectedStatus },
      {
        ...common,
        baseUrl: baseline.url,
        pathPrefix: `/baseline/${scenario.name}`,
        next: () => baselineStream.next(),
        expectedStatus: result.sample.status,
      },
      { real: server.pid ?? 0, baseline: baseline.pid ?? 0 },
    );
    result.loadAverage = { before: loadBefore, after: loadAverage() };
    result.cpu = {
      realMsPerRequest: (measured.cpu.real.process * 1000) / Math.max(1, measured.real.requests),
      databaseMsPerRequest: (measured.cpu.real.database * 1000) / Math.max(1, measured.real.requests),
      baselineMsPerRequest: (measured.cpu.baseline * 1000) / Math.max(1, measured.baseline.requests),
    };
    result.real = measured.real;
    result.baseline = measured.baseline;
    result.otherLoad = measured.otherLoad;
    result.quietWaitSeconds = measured.waitedSeconds;
    result.cache = measured.cache;
    result.repeats = stream.repeats;
    result.serverMemory = await server.memory();
    console.log(`  Corkboard: ${describeStats(result.real)}`);
    console.log(`  baseline:  ${describeStats(result.baseline)}${describeOther(result.otherLoad)}`);
    result.ratio = ratiosOf(result.real, result.baseline);
    console.log(
      `  ratio:     ${(result.ratio.throughput * 100).toFixed(1)} % of baseline throughput; p50 ${result.ratio.p50.toFixed(1)}x, p99 ${result.ratio.p99.toFixed(1)}x`,
    );
    console.log(
      `  CPU:       ${(result.cpu.realMsPerRequest * 1000).toFixed(0)} us/request (+${(result.cpu.databaseMsPerRequest * 1000).toFixed(0)} us in PostgreSQL) vs baseline ${(result.cpu.baselineMsPerRequest * 1000).toFixed(0)} us; RSS ${result.serverMemory?.rssMiB.toFixed(0) ?? '?'} MiB; load average ${result.loadAverage.before.toFixed(2)} -> ${result.loadAverage.after.toFixed(2)}`,
    );
  }
  await stopAll();

  return {
    version: 1,
    startedAt: startedAt.toISOString(),
    finishedAt: new Date().toISOString(),
    engine: prepared.engine,
    engineVersion:
      prepared.engine === 'pglite'
        ? `PGlite ${await packageVersion('@electric-sql/pglite')} (PostgreSQL ${prepared.serverVersion})`
        : `PostgreSQL ${prepared.serverVersion}`,
    engineSettings: prepared.settings,
    dataset: {
      label:
        options.reuse && !options.dataset.explicit
          ? `reused-${Math.round((prepared.rows.pins ?? 0) / 1000)}k-pins`
          : options.dataset.label,
      seed: prepared.seed,
      reused: options.reuse,
      rows: prepared.rows,
      pinKinds: prepared.pinKinds,
      load: prepared.load,
    },
    machine: machineInfo(),
    settings: {
      durationSeconds: options.durationSeconds,
      warmupSeconds: options.warmupSeconds,
      rounds: options.rounds,
      connections: options.connections,
      maxRequests: options.maxRequests,
      viewers: targets.viewers.length,
      targets: { publicPins: targets.publicPins.length, publicBoards: targets.publicBoards.length, users: targets.users.length },
      loadGenerator: `autocannon ${await packageVersion('autocannon')} in the bench process`,
    },
    scenarios: [...results.values()],
  };
}

async function main(): Promise<void> {
  const options = parseBenchOptions(process.argv.slice(2));
  if (options.help) {
    console.log(USAGE);
    return;
  }
  const databaseUrl = process.env.DATABASE_URL?.trim() || undefined;
  if (options.reuse && !options.dataDir && !databaseUrl) {
    throw new BenchUsageError('--reuse needs the database to reuse: --data-dir DIR (or DATA_DIR), or DATABASE_URL');
  }
  const scratchDir = await fs.mkdtemp(path.join(os.tmpdir(), 'corkboard-bench-'));
  const dataDir = path.resolve(options.dataDir ?? path.join(scratchDir, 'data'));
  const temporaryData = !options.dataDir;

  const cleanUp = async () => {
    await stopAll();
    if (temporaryData && options.keepData) console.log(`Kept the data directory ${dataDir}`);
    const scratch = temporaryData && options.keepData ? path.join(scratchDir, `baseline-bodies-${process.pid}.json`) : scratchDir;
    await fs.rm(scratch, { recursive: true, force: true });
  };
  const interrupt = () => {
    console.error('\nInterrupted: stopping the servers.');
    void cleanUp().finally(() => process.exit(130));
  };
  process.once('SIGINT', interrupt);
  process.once('SIGTERM', interrupt);
  try {
    const report = await benchmark(options, dataDir, databaseUrl, scratchDir);
    const base = `${report.startedAt.slice(0, 10)}-${report.dataset.label}-${report.engine}`;
    const files = await writeReport(report, path.resolve(ROOT, options.outDir), base);
    console.log(`\nWrote ${files.map((file) => path.relative(process.cwd(), file)).join(', ')}`);
  } finally {
    await cleanUp();
  }
}

main().catch((error: unknown) => {
  console.error(error instanceof BenchUsageError ? `bench: ${error.message}\n\n${USAGE}` : error);
  process.exit(1);
});
