// The related-pins benchmark's report: JSON with every figure, Markdown a person reads, and the same
// SVG chart as the API benchmark (each load next to the bare-route baseline).
import fs from 'node:fs/promises';
import path from 'node:path';
import type { GraphStats } from '../src/recs/graph-loader.js';
import { renderChart, type ChartRow } from './chart.js';
import type { LoadStats } from './load.js';
import type { OtherLoad } from './machine-load.js';
import { ratiosOf } from './report.js';

export interface WalkTiming {
  walks: number;
  stepsPerSecond: number;
  meanSteps: number;
  msPerWalk: number;
}

export interface GraphFigures {
  stats: GraphStats;
  withEarlyStop: WalkTiming;
  fullBudget: WalkTiming;
  settings: Record<string, number>;
  queryPins: string[];
}

export interface PhaseResult {
  loads: Array<{ name: string; connections: number; real: LoadStats; baseline: LoadStats }>;
  otherLoad: OtherLoad | undefined;
  /** Seconds the phase waited for other programs to quiet down first. */
  quietWaitSeconds: number;
  serverMemory: { rssMiB: number; peakRssMiB: number } | undefined;
}

export interface LagFigures {
  saves: number;
  changes: number;
  meanSeconds: number;
  p50AtMostSeconds: number;
  p99AtMostSeconds: number;
  buckets: Array<{ le: number; count: number }>;
}

export interface RelatedBenchReport {
  startedAt: string;
  finishedAt: string;
  engine: 'pglite' | 'postgres';
  engineVersion: string;
  dataset: { label: string; rows: Record<string, number>; pinKinds: { originals: number; saves: number } };
  machine: { cpus: number; cpuModel: string; node: string };
  load: { durationSeconds: number; warmupSeconds: number; rounds: number; connections: number; viewers: number; pins: number };
  graph: GraphFigures;
  graphReadySeconds: number;
  phases: Record<string, PhaseResult>;
  lag: LagFigures;
  changePollMs: number;
}

const PHASE_TITLES: Record<string, string> = {
  relatedAlone: 'related pins alone',
  pinAlone: 'pin get alone',
  mixed: 'both at once',
};

const thousands = (value: number) => Math.round(value).toLocaleString('en');
const ms = (value: number) => (value >= 100 ? value.toFixed(0) : value >= 10 ? value.toFixed(1) : value.toFixed(2));

function loadRows(report: RelatedBenchReport): string[] {
  const lines = [
    '| load | connections | req/s | p50 ms | p99 ms | non-2xx | baseline req/s | baseline p50 / p99 ms | throughput vs baseline | p50 / p99 vs baseline | other programs\' CPU |',
    '|---|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|',
  ];
  for (const [key, phase] of Object.entries(report.phases)) {
    for (const load of phase.loads) {
      const ratio = ratiosOf(load.real, load.baseline);
      lines.push(
        `| ${load.name}, ${PHASE_TITLES[key] ?? key} | ${load.connections} | ${thousands(load.real.requestsPerSecond)} | ${ms(load.real.latencyMs.p50)} | ${ms(load.real.latencyMs.p99)} | ` +
          `${thousands(load.real.non2xx)} | ${thousands(load.baseline.requestsPerSecond)} | ${ms(load.baseline.latencyMs.p50)} / ${ms(load.baseline.latencyMs.p99)} | ` +
          `${(ratio.throughput * 100).toFixed(1)} % | ${ratio.p50.toFixed(1)}x / ${ratio.p99.toFixed(1)}x | ${phase.otherLoad ? `${(phase.otherLoad.otherShare * 100).toFixed(0)} %` : '-'} |`,
      );
    }
  }
  return lines;
}

function markdown(report: RelatedBenchReport, chartFile: string): string {
  const { graph, lag } = report;
  const stats = graph.stats;
  const rows = report.dataset.rows;
  const date = report.startedAt.slice(0, 10);
  return [
    `# Related pins benchmark: ${report.dataset.label} dataset on ${report.engine === 'postgres' ? 'PostgreSQL' : 'PGlite'}, ${date}`,
    '',
    `Machine: ${report.machine.cpus} x ${report.machine.cpuModel}, Node ${report.machine.node}; ${report.engine === 'postgres' ? 'PostgreSQL' : 'PGlite'} ${report.engineVersion}. ` +
      `Dataset: ${thousands(rows.users ?? 0)} users, ${thousands(rows.boards ?? 0)} boards, ${thousands(rows.pins ?? 0)} pin rows ` +
      `(${thousands(report.dataset.pinKinds.originals)} originals, ${thousands(report.dataset.pinKinds.saves)} saves).`,
    '',
    '## The graph',
    '',
    '| figure | value |',
    '|---|--:|',
    `| pins (originals) / boards (all) / public boards | ${thousands(stats.pins)} / ${thousands(stats.boards)} / ${thousands(stats.publicBoards)} |`,
    `| edges after pruning | ${thousands(stats.edges)} |`,
    `| pruned: boards over ${graph.settings.maxBoardPins} pins (their edges) | ${thousands(stats.pruning.boardsDropped)} (${thousands(stats.pruning.edgesDroppedWithBoards)}) |`,
    `| pruned: pins over ${graph.settings.maxPinDegree} boards (edges dropped) | ${thousands(stats.pruning.pinsSampled)} (${thousands(stats.pruning.edgesDroppedBySampling)}) |`,
    `| build from the database (bench process) | ${(stats.buildMs / 1000).toFixed(1)} s |`,
    `| build in the server, from ready to first related answer | ${report.graphReadySeconds.toFixed(1)} s |`,
    `| memory: CSR arrays (both directions) + id tables | ${(stats.bytes / 2 ** 20).toFixed(1)} MiB, **${(stats.bytes / Math.max(1, stats.edges)).toFixed(1)} bytes per edge** |`,
    '',
    '## Walk speed on one core',
    '',
    `${graph.withEarlyStop.walks} single-pin walks on the bench process's main thread (the server runs the same code in ${graph.settings.workers} worker thread(s)), ` +
      `query pins from the sample of public pins, most-saved first; N = ${thousands(graph.settings.steps ?? 0)}, alpha = ${graph.settings.restartProbability}, ` +
      `early stop np = ${graph.settings.earlyStopPins}, nv = ${graph.settings.earlyStopVisits}.`,
    '',
    '| walks | steps per second | mean steps per walk | ms per walk |',
    '|---|--:|--:|--:|',
    `| as configured (early stopping on) | ${thousands(graph.withEarlyStop.stepsPerSecond)} | ${thousands(graph.withEarlyStop.meanSteps)} | ${graph.withEarlyStop.msPerWalk.toFixed(2)} |`,
    `| the full budget (early stopping off) | ${thousands(graph.fullBudget.stepsPerSecond)} | ${thousands(graph.fullBudget.meanSteps)} | ${graph.fullBudget.msPerWalk.toFixed(2)} |`,
    '',
    '## Under load',
    '',
    `GET /v5/pins/{id}/related?page_size=25 (pin ids drawn Zipf-wise over ${thousands(report.load.pins)} public pins, most-saved first, ${report.load.viewers} viewers) ` +
      'and GET /v5/pins/{id}, alone and at the same time, each against a bare Fastify route serving the same bytes in the same run ' +
      `(${report.load.warmupSeconds} s warm-up, ${report.load.durationSeconds} s measured in ${report.load.rounds} alternating rounds). ` +
      `The server, PostgreSQL${report.engine === 'postgres' ? '' : ' (in process)'}, the baseline and the load generator share the ${report.machine.cpus} CPUs.`,
    '',
    ...loadRows(report),
    '',
    `![req/s and latency, Corkboard against the bare Fastify baseline](${chartFile})`,
    '',
    `Server memory after the runs: ${report.phases.mixed?.serverMemory ? `${report.phases.mixed.serverMemory.rssMiB} MiB resident (peak ${report.phases.mixed.serverMemory.peakRssMiB} MiB)` : 'unknown'}.`,
    '',
    '## Freshness',
    '',
    `${lag.saves} saves through POST /v5/pins/{id}/save, 100 ms apart; the graph applied ${lag.changes} changes. Time from each change's ` +
      `transaction to the graph applying it: mean ${(lag.meanSeconds * 1000).toFixed(0)} ms, p50 at most ${lag.p50AtMostSeconds} s, p99 at most ${lag.p99AtMostSeconds} s ` +
      `(histogram buckets; the change log is polled every ${report.changePollMs} ms).`,
    '',
  ].join('\n');
}

export async function writeRelatedReport(report: RelatedBenchReport, dir: string): Promise<string[]> {
  await fs.mkdir(dir, { recursive: true });
  const base = `${report.startedAt.slice(0, 10)}-related-${report.dataset.label}-${report.engine}`;
  const chartRows: ChartRow[] = Object.entries(report.phases).flatMap(([key, phase]) =>
    phase.loads.map((load) => ({
      label: `${load.name} (${PHASE_TITLES[key] ?? key})`,
      rps: load.real.requestsPerSecond,
      baselineRps: load.baseline.requestsPerSecond,
      p50: load.real.latencyMs.p50,
      p99: load.real.latencyMs.p99,
      baselineP50: load.baseline.latencyMs.p50,
      baselineP99: load.baseline.latencyMs.p99,
    })),
  );
  const files = [path.join(dir, `${base}.json`), path.join(dir, `${base}.md`), path.join(dir, `${base}.svg`)];
  const { queryPins: _queryPins, ...graph } = report.graph;
  await fs.writeFile(files[0]!, `${JSON.stringify({ ...report, graph }, null, 2)}\n`);
  await fs.writeFile(files[1]!, markdown(report, `${base}.svg`));
  await fs.writeFile(files[2]!, renderChart(`Related pins, ${report.dataset.label}`, `${report.engine}, ${report.startedAt.slice(0, 10)}`, chartRows));
  return files;
}
