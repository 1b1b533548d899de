// `npm run bench:screens`: what a client's screen costs through GraphQL (one query) and through the REST
// calls it replaces, in the same run, on the same dataset and server. Prepares the database and starts
// Corkboard like `npm run bench` (same options), then renders each screen both ways with the same
// closed-loop driver (bench/screen-load.ts) from this process, 127.0.0.1 only. See bench/README.md.
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { renderChart, type ChartRow } from './chart.js';
import { prepareDatabase } from './database.js';
import { cpuSnapshot, otherLoad, waitForQuiet, type OtherLoad } from './machine-load.js';
import { BenchUsageError, parseBenchOptions, USAGE } from './options.js';
import { freePort, ROOT, ServerProcess } from './processes.js';
import { BOARD_PAGE_QUERY, PIN_CLOSE_UP_QUERY, SCREENS, type Variant } from './screen-definitions.js';
import { runScreens, ScreenClient, type ScreenStats } from './screen-load.js';

interface VariantResult {
  stats: ScreenStats;
  otherLoad: OtherLoad | undefined;
}

interface ScreenResult {
  name: string;
  title: string;
  graphqlRequest: string;
  restRequests: string;
  graphql: VariantResult | null;
  rest: VariantResult | null;
  /** GraphQL figure / REST figure. */
  ratio: { screensPerSecond: number; p50: number; p99: number } | null;
  failure?: string;
}

const ENGINE_NAMES = { pglite: 'PGlite (embedded)', postgres: 'PostgreSQL' } as const;

function describe(stats: ScreenStats): string {
  return (
    `${stats.screensPerSecond.toFixed(0)} screens/s, p50 ${stats.latencyMs.p50.toFixed(2)} ms, p99 ${stats.latencyMs.p99.toFixed(2)} ms, ` +
    `${stats.requestsPerScreen.toFixed(2)} requests/screen` +
    (stats.failedScreens > 0 ? `, ${stats.failedScreens} FAILED (${stats.firstFailure})` : '')
  );
}

const fmt = (value: number, digits = 2) => value.toFixed(digits);
const share = (load: OtherLoad | undefined) => (load ? `${(load.otherShare * 100).toFixed(0)} %` : 'n/a');

function markdown(report: Record<string, unknown>, results: ScreenResult[], svg: string): string {
  const dataset = report.dataset as { label: string; rows: Record<string, number> };
  const settings = report.settings as { durationSeconds: number; warmupSeconds: number; virtualUsers: number };
  const machine = report.machine as { cpus: number; cpuModel: string };
  const lines = [
    `# Screens: GraphQL vs REST, ${dataset.label} dataset on ${ENGINE_NAMES[report.engine as 'pglite' | 'postgres']}, ${String(report.startedAt).slice(0, 10)}`,
    '',
    `${report.engineVersion as string}; ${dataset.rows.pins ?? 0} pins, ${dataset.rows.users ?? 0} users, ${dataset.rows.boards ?? 0} boards. ` +
      `${settings.virtualUsers} virtual users (closed loop, keep-alive), ${settings.warmupSeconds} s warm-up then ${settings.durationSeconds} s per variant; ` +
      `${machine.cpus} CPUs (${machine.cpuModel}) shared by the server, the database and the load driver.`,
    '',
    `![chart](${svg})`,
    '',
    '| screen | API | screens/s | p50 ms | p99 ms | requests / screen | HTTP req/s | failed | other programs\' CPU |',
    '|---|---|---:|---:|---:|---:|---:|---:|---:|',
  ];
  for (const result of results) {
    for (const variant of ['graphql', 'rest'] as const) {
      const measured = result[variant];
      if (!measured) continue;
      const s = measured.stats;
      lines.push(
        `| ${result.title} | ${variant === 'graphql' ? 'GraphQL' : 'REST'} | ${fmt(s.screensPerSecond, 0)} | ${fmt(s.latencyMs.p50)} | ${fmt(s.latencyMs.p99)} | ` +
          `${fmt(s.requestsPerScreen)} | ${fmt(s.httpRequestsPerSecond, 0)} | ${s.failedScreens} | ${share(measured.otherLoad)} |`,
      );
    }
    if (result.ratio) {
      lines.push(
        `| ${result.title} | **GraphQL / REST** | **${fmt(result.ratio.screensPerSecond)}x** | **${fmt(result.ratio.p50)}x** | **${fmt(result.ratio.p99)}x** | | | | |`,
      );
    }
    if (result.failure) lines.push(`| ${result.title} | not measured: ${result.failure} | | | | | | | |`);
  }
  lines.push('', '## What each screen sends', '');
  for (const result of results) {
    lines.push(`- **${result.title}**. GraphQL: one \`POST /graphql\` with \`${result.graphqlRequest}\`. REST: ${result.restRequests}.`);
  }
  lines.push(
    '',
    '- **screens/s**: screens rendered completely, divided by the time from the first request to the last response.',
    '- **p50 / p99**: per screen, from its first request to its last response (REST screens include their dependent round trips).',
    '- **GraphQL / REST**: above 1x for screens/s means GraphQL renders more screens; below 1x for p50/p99 means GraphQL is faster.',
    '- REST v5 pins name the board owner, not the pinner: the REST variants fetch the board owners\' profiles, which is what a REST client can show.',
    '',
  );
  return lines.join('\n');
}

async function main(): Promise<void> {
  const options = parseBenchOptions(process.argv.slice(2));
  if (options.help) {
    console.log(USAGE.replace('npm run bench', 'npm run bench:screens').replace(/\n {2}--scenarios[^\n]*/, ''));
    return;
  }
  const databaseUrl = process.env.DATABASE_URL?.trim() || undefined;
  if (options.reuse && !options.dataDir && !databaseUrl) {
    throw new BenchUsageError('--reuse needs the database to reuse: --data-dir DIR (or DATA_DIR), or DATABASE_URL');
  }
  const scratchDir = await fs.mkdtemp(path.join(os.tmpdir(), 'corkboard-screens-'));
  const dataDir = path.resolve(options.dataDir ?? path.join(scratchDir, 'data'));
  let server: ServerProcess | undefined;
  const stop = () => server?.stop();
  process.once('SIGINT', () => void Promise.resolve(stop()).finally(() => process.exit(130)));
  process.once('SIGTERM', () => void Promise.resolve(stop()).finally(() => process.exit(143)));
  try {
    const startedAt = new Date();
    const prepared = await prepareDatabase(options, { dataDir, databaseUrl });
    const { targets } = prepared;
    const port = await freePort();
    server = ServerProcess.start(
      'Corkboard',
      'src/main.ts',
      ['--role', 'api'],
      { PORT: String(port), HOST: '127.0.0.1', DATA_DIR: dataDir, DATABASE_URL: databaseUrl, SEED_DEMO: 'false', LOG_LEVEL: 'warn' },
      port,
    );
    await server.waitReady('/readyz');
    console.log(`Corkboard is serving on ${server.url} (${prepared.engine}).`);
    const databaseName = databaseUrl ? decodeURIComponent(new URL(databaseUrl).pathname.slice(1)) : undefined;
    const ours = new Set([process.pid, server.pid ?? 0]);

    const results: ScreenResult[] = [];
    for (const screen of SCREENS) {
      const result: ScreenResult = {
        name: screen.name,
        title: screen.title,
        graphqlRequest: screen.graphql,
        restRequests: screen.rest,
        graphql: null,
        rest: null,
        ratio: null,
      };
      results.push(result);
      console.log(`\n${screen.title}`);
      // A check that both variants render before anything is measured.
      const check = new ScreenClient(server.url, 8);
      try {
        for (const variant of ['graphql', 'rest'] as const) await screen.stream(targets, variant, 'check')()(check);
      } catch (error) {
        result.failure = (error as Error).message.slice(0, 300);
        console.error(`  not measured: ${result.failure}`);
        continue;
      } finally {
        check.close();
      }
      for (const variant of ['graphql', 'rest'] as Variant[]) {
        const next = screen.stream(targets, variant, 'measured');
        // A REST screen sends up to four requests at once.
        const load = { baseUrl: server.url, users: options.connections, maxSockets: options.connections * 4, next };
        await waitForQuiet(options, ours, databaseName);
        if (options.warmupSeconds > 0) await runScreens({ ...load, durationSeconds: options.warmupSeconds });
        const before = await cpuSnapshot();
        const stats = await runScreens({ ...load, durationSeconds: options.durationSeconds });
        const after = await cpuSnapshot();
        const other = before && after ? otherLoad(before, after, ours, databaseName) : undefined;
        result[variant] = { stats, otherLoad: other };
        console.log(`  ${variant === 'graphql' ? 'GraphQL' : 'REST   '}: ${describe(stats)}`);
      }
      const g = result.graphql?.stats;
      const r = result.rest?.stats;
      if (g && r) {
        result.ratio = {
          screensPerSecond: g.screensPerSecond / r.screensPerSecond,
          p50: g.latencyMs.p50 / r.latencyMs.p50,
          p99: g.latencyMs.p99 / r.latencyMs.p99,
        };
        console.log(`  GraphQL / REST: ${fmt(result.ratio.screensPerSecond)}x screens/s, p50 ${fmt(result.ratio.p50)}x, p99 ${fmt(result.ratio.p99)}x`);
      }
    }
    await server.stop();

    const label = options.reuse && !options.dataset.explicit ? `reused-${Math.round((prepared.rows.pins ?? 0) / 1000)}k-pins` : options.dataset.label;
    const cpus = os.cpus();
    const report = {
      version: 1,
      startedAt: startedAt.toISOString(),
      finishedAt: new Date().toISOString(),
      engine: prepared.engine,
      engineVersion: prepared.engine === 'pglite' ? `PGlite (PostgreSQL ${prepared.serverVersion})` : `PostgreSQL ${prepared.serverVersion}`,
      engineSettings: prepared.settings,
      dataset: { label, seed: prepared.seed, reused: options.reuse, rows: prepared.rows, pinKinds: prepared.pinKinds },
      machine: { cpus: os.availableParallelism(), cpuModel: cpus[0]?.model.trim() ?? 'unknown', memoryGiB: os.totalmem() / 1024 ** 3, node: process.version },
      settings: {
        durationSeconds: options.durationSeconds,
        warmupSeconds: options.warmupSeconds,
        virtualUsers: options.connections,
        viewers: targets.viewers.length,
        targets: { publicPins: targets.publicPins.length, publicBoards: targets.publicBoards.length },
        loadGenerator: 'closed-loop virtual users over node:http keep-alive (bench/screen-load.ts), in the bench process',
      },
      queries: { 'pin-close-up': PIN_CLOSE_UP_QUERY, 'board-page': BOARD_PAGE_QUERY },
      screens: results,
    };
    const base = `${report.startedAt.slice(0, 10)}-screens-${label}-${report.engine}`;
    const outDir = path.resolve(ROOT, options.outDir);
    await fs.mkdir(outDir, { recursive: true });
    const rows: ChartRow[] = results.flatMap((result) =>
      (['graphql', 'rest'] as const).flatMap((variant) => {
        const stats = result[variant]?.stats;
        return stats
          ? [{ label: `${result.title}: ${variant === 'graphql' ? 'GraphQL' : 'REST'}`, rps: stats.screensPerSecond, baselineRps: undefined, p50: stats.latencyMs.p50, p99: stats.latencyMs.p99, baselineP50: undefined, baselineP99: undefined }]
          : [];
      }),
    );
    await fs.writeFile(path.join(outDir, `${base}.json`), `${JSON.stringify(report, null, 2)}\n`);
    await fs.writeFile(
      path.join(outDir, `${base}.svg`),
      renderChart(`Screens per second and per-screen latency, ${report.startedAt.slice(0, 10)}`, `${label} dataset, ${ENGINE_NAMES[report.engine]}, ${options.connections} virtual users`, rows),
    );
    await fs.writeFile(path.join(outDir, `${base}.md`), markdown(report, results, `${base}.svg`));
    console.log(`\nWrote ${path.relative(process.cwd(), path.join(outDir, base))}.{json,md,svg}`);
  } finally {
    await stop();
    if (!options.dataDir && !options.keepData) await fs.rm(scratchDir, { recursive: true, force: true });
  }
}

main().catch((error: unknown) => {
  console.error(error instanceof BenchUsageError ? `bench:screens: ${error.message}` : error);
  process.exit(1);
});
