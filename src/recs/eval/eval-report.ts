// The evaluation's report: JSON with everything, and Markdown a person reads (settings, graph, and
// the quality table with 95% intervals on the hit rates).
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { GraphStats } from '../graph-loader.js';
import { wilsonInterval, type QualityFigures } from './metrics.js';

export interface MethodResult {
  method: string;
  /** What differs from the defaults (Pixie variants), or how the baseline works. */
  detail: string;
  quality: QualityFigures;
  msPerUser: number;
  /** Mean walk steps per user (Pixie). */
  meanSteps?: number;
  graph?: string;
  /** Users with a hit@10 (for the user-by-user comparisons; not written out). */
  hits?: ReadonlySet<string>;
}

export interface EvalReport {
  startedAt: string;
  finishedAt: string;
  label: string;
  holdoutFile: string;
  database: string;
  usersInFile: number;
  heldOutPins: number;
  settings: Record<string, number | string>;
  graphs: Array<{ name: string; prune: Record<string, number>; stats: GraphStats }>;
  methods: MethodResult[];
  /** Each Pixie row against each baseline on hit rate@10, user by user. */
  comparisons: Array<{ pixie: string; baseline: string; onlyPixie: number; onlyBaseline: number; pValue: number }>;
  machine: { cpus: number; node: string };
}

const pct = (value: number) => `${(value * 100).toFixed(1)} %`;

export function renderMarkdown(report: EvalReport): string {
  const lines: string[] = [];
  lines.push(`# Related pins: offline quality on held-out saves (${report.label})`, '');
  lines.push(
    `${report.startedAt.slice(0, 10)}; ${report.database}; hold-out file \`${report.holdoutFile}\` ` +
      `(${report.usersInFile} users, ${report.heldOutPins} held-out saves); ${report.methods[0]?.quality.users ?? 0} users evaluated; ` +
      `${report.machine.cpus} CPUs, Node ${report.machine.node}.`,
    '',
  );
  lines.push(
    'Each method ranks 100 pins for each user, as that user, from what the database holds (the held-out saves are not in it); ' +
      "pins the user already has are skipped by every method. A hit is a held-out pin in the user's top k; hit rate@k is the " +
      'share of users with a hit; MRR is the mean of 1 / rank of the first hit (0 without one) over the top 100. ' +
      'Brackets: 95% Wilson interval.',
    '',
  );
  lines.push('| method | hit rate@10 | hit rate@100 | MRR | users with no answer | ms per user | mean steps |', '|---|---|---|---|---|---|---|');
  for (const method of report.methods) {
    const { quality } = method;
    const [low, high] = wilsonInterval(quality.hitRateAt10, quality.users);
    lines.push(
      `| ${method.method}${method.detail ? ` (${method.detail})` : ''} | ${pct(quality.hitRateAt10)} [${pct(low)}, ${pct(high)}] | ` +
        `${pct(quality.hitRateAt100)} | ${quality.mrr.toFixed(4)} | ${quality.empty} | ${method.msPerUser.toFixed(1)} | ${method.meanSteps === undefined ? '' : Math.round(method.meanSteps).toLocaleString('en')} |`,
    );
  }
  if (report.comparisons.length > 0) {
    lines.push(
      '',
      'User by user on hit rate@10 (the same users for every method): users only Pixie hits, users only the baseline hits, and the ' +
        "two-sided sign test's p-value over those users.",
      '',
      '| Pixie | baseline | only Pixie hits | only the baseline hits | p |',
      '|---|---|--:|--:|--:|',
    );
    for (const c of report.comparisons) lines.push(`| ${c.pixie} | ${c.baseline} | ${c.onlyPixie} | ${c.onlyBaseline} | ${c.pValue < 0.001 ? c.pValue.toExponential(1) : c.pValue.toFixed(3)} |`);
  }
  lines.push('', '## Settings', '', '| setting | value |', '|---|---|');
  for (const [name, value] of Object.entries(report.settings)) lines.push(`| ${name} | ${value} |`);
  lines.push('', '## Graphs', '');
  for (const graph of report.graphs) {
    const { stats } = graph;
    lines.push(
      `- **${graph.name}** (max board pins ${graph.prune.maxBoardPins}, max pin degree ${graph.prune.maxPinDegree}): ` +
        `${stats.pinRows.toLocaleString('en')} pin rows -> ${stats.pins.toLocaleString('en')} pins, ${stats.boards.toLocaleString('en')} boards ` +
        `(${stats.publicBoards.toLocaleString('en')} public), ${stats.edges.toLocaleString('en')} edges; pruning dropped ${stats.pruning.boardsDropped} boards ` +
        `(${stats.pruning.edgesDroppedWithBoards.toLocaleString('en')} edges) and sampled ${stats.pruning.pinsSampled} pins ` +
        `(${stats.pruning.edgesDroppedBySampling.toLocaleString('en')} edges); built in ${(stats.buildMs / 1000).toFixed(1)} s; ` +
        `${(stats.bytes / 2 ** 20).toFixed(1)} MiB, ${(stats.bytes / Math.max(1, stats.edges)).toFixed(1)} bytes per edge.`,
    );
  }
  lines.push('', `JSON with every figure: \`${report.label}.json\` next to this file.`, '');
  return lines.join('\n');
}

export async function writeEvalReport(report: EvalReport, dir: string): Promise<string[]> {
  await fs.mkdir(dir, { recursive: true });
  const base = path.join(dir, `${report.startedAt.slice(0, 10)}-related-eval-${report.label}`);
  await fs.writeFile(`${base}.json`, `${JSON.stringify(report, (key, value: unknown) => (key === 'hits' ? undefined : value), 2)}\n`);
  await fs.writeFile(`${base}.md`, renderMarkdown({ ...report, label: report.label }).replace(`\`${report.label}.json\``, `\`${path.basename(base)}.json\``));
  return [`${base}.json`, `${base}.md`];
}

export function machine(): EvalReport['machine'] {
  return { cpus: os.availableParallelism(), node: process.version };
}
