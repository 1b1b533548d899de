// The results of a run, written as JSON (for tools and later comparison), as a Markdown report with a
// table, and as an SVG chart the report embeds.
import fs from 'node:fs/promises';
import path from 'node:path';
import { renderChart, type ChartRow } from './chart.js';
import type { DatasetLoad } from './database.js';
import type { LoadStats } from './load.js';
import type { OtherLoad } from './machine-load.js';
import type { ScenarioName } from './scenarios.js';

export interface Ratios {
  /** Scenario req/s divided by baseline req/s: the share of the ceiling reached. */
  throughput: number;
  /** Scenario latency divided by the baseline's: how many times slower. */
  p50: number;
  p99: number;
}

export interface ScenarioResult {
  name: ScenarioName;
  title: string;
  method: string;
  route: string;
  description: string;
  expectedStatus: number;
  /** The response (of median size among a few sent before the run) that the baseline serves. */
  sample: { status: number; bodyBytes: number };
  real: LoadStats | null;
  baseline: LoadStats | null;
  ratio: Ratios | null;
  /** Write requests that had to repeat a pair (0 unless fresh pairs ran out). */
  repeats: number;
  serverMemory: { rssMiB: number; peakRssMiB: number } | undefined;
  /** CPU that programs other than the benchmark's took during the measured runs (see machine-load.ts). */
  otherLoad: OtherLoad | undefined;
  /** Seconds spent waiting, before each run, for other programs to quiet down (--quiet-wait). */
  quietWaitSeconds: number;
  /** Cache reads per namespace during the measured runs (absent in reports made before it was recorded). */
  cache?: Record<string, { reads: number; localHit: number; remoteHit: number; miss: number; hitRatio: number }>;
  /** Server CPU time per request, read from /proc: Corkboard's process, its PostgreSQL backends, the baseline's process. */
  cpu?: { realMsPerRequest: number; databaseMsPerRequest: number; baselineMsPerRequest: number };
  /** The machine's 1-minute load average before and after the scenario's measured runs. */
  loadAverage?: { before: number; after: number };
  /** Why the scenario was not measured, if it was not. */
  failure?: string;
}

export interface MachineInfo {
  cpus: number;
  cpuModel: string;
  memoryGiB: number;
  node: string;
  os: string;
}

export interface BenchReport {
  version: 1;
  startedAt: string;
  finishedAt: string;
  engine: 'pglite' | 'postgres';
  engineVersion: string;
  engineSettings: Record<string, string>;
  dataset: {
    label: string;
    seed: string;
    reused: boolean;
    rows: Record<string, number>;
    pinKinds: { originals: number; saves: number };
    load: DatasetLoad | null;
  };
  machine: MachineInfo;
  settings: {
    durationSeconds: number;
    warmupSeconds: number;
    rounds: number;
    connections: number;
    maxRequests: number;
    viewers: number;
    targets: { publicPins: number; publicBoards: number; users: number };
    loadGenerator: string;
  };
  scenarios: ScenarioResult[];
}

const ENGINE_NAMES = { pglite: 'PGlite (embedded)', postgres: 'PostgreSQL' } as const;

export function ratiosOf(real: LoadStats, baseline: LoadStats): Ratios {
  return {
    throughput: real.requestsPerSecond / baseline.requestsPerSecond,
    p50: real.latencyMs.p50 / baseline.latencyMs.p50,
    p99: real.latencyMs.p99 / baseline.latencyMs.p99,
  };
}

const fixed = (value: number, digits = 1) => value.toFixed(digits);
const thousands = (value: number) => Math.round(value).toLocaleString('en');
const ms = (value: number) => (value >= 100 ? value.toFixed(0) : value >= 10 ? value.toFixed(1) : value.toFixed(2));

function resultsTable(report: BenchReport): string[] {
  const lines = [
    '| scenario | req/s | p50 ms | p90 ms | p99 ms | max ms | requests | non-2xx | errors | baseline req/s | baseline p50 / p99 ms | throughput vs baseline | p50 / p99 vs baseline |',
    '|---|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|',
  ];
  for (const scenario of report.scenarios) {
    const { real, baseline, ratio } = scenario;
    if (!real) {
      lines.push(`| ${scenario.title} | not measured: ${scenario.failure ?? 'unknown'} |  |  |  |  |  |  |  |  |  |  |  |`);
      continue;
    }
    lines.push(
      [
        `${scenario.title}`,
        thousands(real.requestsPerSecond),
        ms(real.latencyMs.p50),
        ms(real.latencyMs.p90),
        ms(real.latencyMs.p99),
        ms(real.latencyMs.max),
        thousands(real.requests),
        thousands(real.non2xx),
        thousands(real.errors),
        baseline ? thousands(baseline.requestsPerSecond) : '-',
        baseline ? `${ms(baseline.latencyMs.p50)} / ${ms(baseline.latencyMs.p99)}` : '-',
        ratio ? `${fixed(ratio.throughput * 100)} %` : '-',
        ratio ? `${fixed(ratio.p50)}x / ${fixed(ratio.p99)}x` : '-',
      ].join(' | ').replace(/^/, '| ') + ' |',
    );
  }
  return lines;
}

/** Server CPU per request (from /proc) and memory: robust to a busy machine where req/s is not. */
function cpuTable(report: BenchReport): string[] {
  const measured = report.scenarios.filter((scenario) => scenario.cpu && scenario.real);
  if (measured.length === 0) return [];
  const us = (msValue: number) => thousands(msValue * 1000);
  const lines = [
    '## Server CPU per request',
    '',
    'CPU time (user + system, from `/proc/<pid>/stat`) the serving process used during its measured runs, divided by the ' +
      'responses it sent; Corkboard\'s database backends separately. Unlike req/s, this hardly moves when other programs ' +
      'share the machine.',
    '',
    '| scenario | Corkboard us/request | its PostgreSQL us/request | baseline us/request | CPU vs baseline | RSS after, MiB | load average before / after |',
    '|---|--:|--:|--:|--:|--:|--:|',
  ];
  for (const scenario of measured) {
    const cpu = scenario.cpu!;
    lines.push(
      `| ${scenario.title} | ${us(cpu.realMsPerRequest)} | ${report.engine === 'postgres' ? us(cpu.databaseMsPerRequest) : '-'} | ${us(cpu.baselineMsPerRequest)} | ` +
        `${cpu.baselineMsPerRequest > 0 ? `${fixed(cpu.realMsPerRequest / cpu.baselineMsPerRequest)}x` : '-'} | ` +
        `${scenario.serverMemory ? fixed(scenario.serverMemory.rssMiB, 0) : '-'} | ` +
        `${scenario.loadAverage ? `${fixed(scenario.loadAverage.before, 2)} / ${fixed(scenario.loadAverage.after, 2)}` : '-'} |`,
    );
  }
  lines.push('');
  return lines;
}

function datasetLines(report: BenchReport): string[] {
  const { dataset } = report;
  const lines = ['| table | rows |', '|---|--:|'];
  for (const [table, count] of Object.entries(dataset.rows)) {
    const detail =
      table === 'pins' ? ` (${thousands(dataset.pinKinds.originals)} originals, ${thousands(dataset.pinKinds.saves)} saves)` : '';
    lines.push(`| ${table} | ${thousands(count)}${detail} |`);
  }
  lines.push('');
  if (dataset.load) {
    const size = dataset.load.databaseBytes === undefined ? '' : `; database size ${fixed(dataset.load.databaseBytes / 1024 / 1024)} MiB`;
    lines.push(`Generated by \`generateDataset\` (seed "${dataset.seed}") in ${fixed(dataset.load.totalMs / 1000)} s${size}.`);
  } else {
    lines.push('The dataset was already loaded (`--reuse`); the counts include any rows earlier benchmark runs wrote into it.');
  }
  return lines;
}

function markdown(report: BenchReport, chartFile: string): string {
  const { machine, settings } = report;
  const date = report.startedAt.slice(0, 10);
  const lines: string[] = [
    `# Corkboard benchmark: ${report.dataset.label} dataset on ${ENGINE_NAMES[report.engine]}, ${date}`,
    '',
    `Machine: ${machine.cpus} x ${machine.cpuModel}, ${fixed(machine.memoryGiB)} GiB RAM, ${machine.os}, Node ${machine.node}. ` +
      `Database: ${report.engineVersion} (${Object.entries(report.engineSettings)
        .map(([name, value]) => `${name} ${value}`)
        .join(', ')}).`,
    '',
    `**Shared cores.** The Corkboard server, the baseline server and the load generator (autocannon, one thread in the ` +
      `bench process) run on the same ${machine.cpus} CPUs${report.engine === 'postgres' ? ', and so does PostgreSQL' : ''}. ` +
      'The load generator takes a large share of them, so absolute figures are well below what the server does when ' +
      'the load comes from another machine; the ratio to the baseline, measured under the same conditions, is the ' +
      'figure to compare.',
    '',
    '## Results',
    '',
    ...resultsTable(report),
    '',
    `![req/s and latency per scenario, Corkboard against the bare Fastify baseline](${chartFile})`,
    '',
    ...cpuTable(report),
    `Each scenario had ${settings.warmupSeconds} s of warm-up against each server, then ${settings.durationSeconds} s measured ` +
      `against each (or until ${thousands(settings.maxRequests)} requests), in ${settings.rounds} rounds alternating Corkboard ` +
      `and the baseline (so both see the same machine), over ${settings.connections} keep-alive connections. ` +
      'Latencies are over 2xx responses.',
    '',
  ];
  const shares = report.scenarios.flatMap((scenario) =>
    scenario.otherLoad ? [scenario.otherLoad.otherShare] : [],
  );
  if (shares.length > 0) {
    const highest = Math.max(...shares);
    const mean = shares.reduce((sum, share) => sum + share, 0) / shares.length;
    const waited = report.scenarios.reduce((sum, scenario) => sum + scenario.quietWaitSeconds, 0);
    lines.push(
      `Other programs on the machine (not this benchmark's processes or its database connections) used on average ` +
        `${fixed(mean * 100)} % of its CPU capacity during the measured runs, at most ${fixed(highest * 100)} %` +
        (waited > 0 ? ` (runs waited ${fixed(waited, 0)} s in all for them to quiet down first)` : '') +
        (highest > 0.15
          ? '. **The machine was shared during this run**: absolute figures are lower, and noisier, than on an idle ' +
            'machine; `otherLoad` in the JSON file says what ran.'
          : '.'),
      '',
    );
  }
  const notes = report.scenarios.flatMap((scenario) => {
    const items: string[] = [];
    if (scenario.real && scenario.real.unexpectedStatus > 0) {
      items.push(`- ${scenario.title}: ${thousands(scenario.real.unexpectedStatus)} responses other than ${scenario.expectedStatus} (${JSON.stringify(scenario.real.statusCounts)}).`);
    }
    if (scenario.repeats > 0) items.push(`- ${scenario.title}: ${thousands(scenario.repeats)} requests repeated an earlier (viewer, target) pair.`);
    return items;
  });
  if (notes.length > 0) lines.push('Notes:', '', ...notes, '');

  const cacheRows = report.scenarios.flatMap((scenario) =>
    Object.entries(scenario.cache ?? {}).map(
      ([namespace, figures]) =>
        `| ${scenario.title} | \`${namespace}\` | ${thousands(figures.reads)} | ${thousands(figures.localHit)} | ${thousands(figures.remoteHit)} | ${thousands(figures.miss)} | ${fixed(figures.hitRatio * 100)} % |`,
    ),
  );
  if (cacheRows.length > 0) {
    lines.push(
      '## Cache hit ratio during the measured runs',
      '',
      'From the server\'s `corkboard_cache_requests_total`: reads answered by the process\'s own tier, by Redis, and loaded from the database.',
      '',
      '| scenario | namespace | reads | local hits | Redis hits | loaded | hit ratio |',
      '|---|---|--:|--:|--:|--:|--:|',
      ...cacheRows,
      '',
    );
  }
  lines.push('## Dataset', '', ...datasetLines(report), '');
  lines.push(
    '## Scenarios',
    '',
    ...report.scenarios.map(
      (scenario) =>
        `- **${scenario.title}** (\`${scenario.method} ${scenario.route}\`, ${scenario.sample.bodyBytes} B response): ${scenario.description}`,
    ),
    '',
    `${settings.viewers} viewers, each with its own token; targets sampled from ${thousands(settings.targets.publicPins)} public pins, ` +
      `${thousands(settings.targets.publicBoards)} public boards and ${thousands(settings.targets.users)} users.`,
    '',
    '## How to read this',
    '',
    '- **req/s**: completed responses divided by the time from the first request to the last response.',
    '- **p50 / p90 / p99 / max**: response time seen by the load generator, in milliseconds.',
    '- **baseline**: a bare Fastify route in its own process (no database, no auth, no validation) answering the same ' +
      'requests with a response body captured from Corkboard for that scenario (the median-sized of a few): the practical ceiling for that ' +
      'response size on this machine.',
    '- **throughput vs baseline**: Corkboard req/s as a share of the baseline\'s. **p50 / p99 vs baseline**: how many ' +
      'times longer Corkboard takes at that percentile.',
    '- Raw figures, status counts and server memory are in the JSON file next to this report.',
    '',
  );
  return lines.join('\n');
}

export function chartRows(report: BenchReport): ChartRow[] {
  return report.scenarios
    .filter((scenario) => scenario.real !== null)
    .map((scenario) => ({
      label: scenario.title,
      rps: scenario.real?.requestsPerSecond ?? 0,
      baselineRps: scenario.baseline?.requestsPerSecond,
      p50: scenario.real?.latencyMs.p50 ?? 0,
      p99: scenario.real?.latencyMs.p99 ?? 0,
      baselineP50: scenario.baseline?.latencyMs.p50,
      baselineP99: scenario.baseline?.latencyMs.p99,
    }));
}

/** Writes <base>.json, <base>.md and <base>.svg into `dir`; returns their paths. */
export async function writeReport(report: BenchReport, dir: string, base: string): Promise<string[]> {
  await fs.mkdir(dir, { recursive: true });
  const files = { json: path.join(dir, `${base}.json`), md: path.join(dir, `${base}.md`), svg: path.join(dir, `${base}.svg`) };
  const subtitle =
    `${report.dataset.label} dataset (${thousands(report.dataset.rows.pins ?? 0)} pins, ${thousands(report.dataset.rows.users ?? 0)} users), ` +
    `${ENGINE_NAMES[report.engine]}, ${report.settings.connections} connections, ${report.machine.cpus} CPUs shared with the load generator`;
  await fs.writeFile(files.json, `${JSON.stringify(report, null, 2)}\n`);
  await fs.writeFile(files.svg, renderChart(`Corkboard benchmark, ${report.startedAt.slice(0, 10)}`, subtitle, chartRows(report)));
  await fs.writeFile(files.md, markdown(report, `${base}.svg`));
  return Object.values(files);
}
