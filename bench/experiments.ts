// `npm run bench:experiments`: experiment assignment speed. One user evaluated against 100 running
// experiments (targeting conditions, namespaces, holdouts, uneven weights, partial coverage), by
// Corkboard's engine, by Corkboard's service path (what POST /v5/experiments/evaluate runs, minus
// HTTP), and by GrowthBook's own JavaScript SDK (@growthbook/growthbook) on the very same experiments
// in the same process and run. Before timing, every assignment is checked to be identical.
//
// A pass is one user through all 100 experiments; passes are timed one by one (p50/p99 per pass)
// and the modes alternate in rounds (A B C D, D C B A, ...) so that a program starting elsewhere on
// the machine weighs on all of them alike. Writes bench/results/<date>-experiments-assignment.{json,md,svg}.
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { GrowthBook, GrowthBookClient, type Experiment as GbExperiment } from '@growthbook/growthbook';
import { runExperiment } from '../src/experiments/engine/run.js';
import type { Attributes, Experiment } from '../src/experiments/engine/types.js';
import { compileSnapshot } from '../src/experiments/experiment-catalog.js';
import { ExperimentService } from '../src/experiments/experiment.service.js';
import { toEngineExperiment, type ExperimentDefinition } from '../src/experiments/experiment.model.js';
import { ViewerAttributes } from '../src/experiments/viewer-attributes.js';
import { randomUsers } from '../src/experiments/engine/random-experiments-test-support.js';
import { cpuSnapshot, otherLoad } from './machine-load.js';
import { randomDefinitions } from './experiment-definitions.js';

interface Options {
  experiments: number;
  seconds: number;
  rounds: number;
  out: string;
}

function parseOptions(argv: string[]): Options {
  const options: Options = { experiments: 100, seconds: 4, rounds: 4, out: 'bench/results' };
  for (let i = 0; i < argv.length; i += 1) {
    const [flag, value] = [argv[i], argv[i + 1]];
    if (flag === '--experiments') options.experiments = Number(value);
    else if (flag === '--seconds') options.seconds = Number(value);
    else if (flag === '--rounds') options.rounds = Number(value);
    else if (flag === '--out') options.out = String(value);
    else throw new Error(`unknown option ${flag}; options: --experiments N (100), --seconds S per mode (4), --rounds R (4), --out DIR`);
    i += 1;
  }
  return options;
}

/** One pass: every experiment for one user. Answers how many of them put the user in a variation. */
type Pass = (user: Attributes) => number | Promise<number>;

interface Mode {
  name: string;
  baseline?: boolean;
  pass: Pass;
}

interface ModeStats {
  name: string;
  passes: number;
  assignmentsPerSecond: number;
  p50Us: number;
  p99Us: number;
  meanUs: number;
  otherCpuShare: number | null;
}

function percentile(sorted: Float64Array, q: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))]!;
}

async function measure(mode: Mode, users: Attributes[], seconds: number, timings: number[]): Promise<void> {
  const deadline = performance.now() + seconds * 1000;
  let i = 0;
  while (performance.now() < deadline) {
    const user = users[i % users.length]!;
    const started = performance.now();
    const result = mode.pass(user);
    if (typeof result !== 'number') await result;
    timings.push(performance.now() - started);
    i += 1;
  }
}

function check(definitions: ExperimentDefinition[], engine: Experiment[], users: Attributes[]): { inExperiment: number } {
  const client = new GrowthBookClient({});
  let inExperiment = 0;
  for (const attributes of users) {
    engine.forEach((experiment, i) => {
      const ours = runExperiment(experiment, { attributes });
      const theirs = client.runInlineExperiment(experiment as GbExperiment<unknown>, { attributes });
      if (ours.variationId !== theirs.variationId || ours.inExperiment !== theirs.inExperiment || ours.hashUsed !== theirs.hashUsed) {
        throw new Error(`assignment differs from GrowthBook's for ${definitions[i]!.key} and ${JSON.stringify(attributes)}`);
      }
      if (ours.inExperiment) inExperiment += 1;
    });
  }
  return { inExperiment };
}

async function main(): Promise<void> {
  const options = parseOptions(process.argv.slice(2));
  const definitions = randomDefinitions(options.experiments, 2026);
  const engine = definitions.map(toEngineExperiment);
  const gbExperiments = engine as GbExperiment<unknown>[];

  // The one user (a signed-in Pinner with the attributes clients usually send), and 10,000 others
  // for a second scenario where each pass is a different user.
  const user: Attributes = { id: '7301984412345678', username: 'ada', account_type: 'PINNER', country: 'US', app_version: '2.4.1', age: 34, interests: ['diy', 'travel'], deviceId: 'device-ada' };
  const manyUsers = randomUsers(10_000, 99);
  const oneUserIn = check(definitions, engine, [user]).inExperiment;
  const manyIn = check(definitions, engine, manyUsers.slice(0, 2000)).inExperiment / 2000;

  // Corkboard's service path: the catalog snapshot every API process holds, the viewer's attributes
  // (account type cached), every running experiment evaluated, holdout experiments first.
  const snapshot = compileSnapshot({ version: '1', experiments: definitions });
  const service = new ExperimentService({
    catalog: { current: async () => snapshot },
    exposures: { record: async () => undefined, flush: async () => undefined },
    attributes: new ViewerAttributes({ findById: async () => ({ account_type: 'PINNER' }) }),
  });
  const client = new GrowthBookClient({});
  const classic = new Map<string, GrowthBook>();

  const modes: Mode[] = [
    {
      name: 'Corkboard engine (runExperiment)',
      pass: (attributes) => {
        let n = 0;
        for (const experiment of engine) if (runExperiment(experiment, { attributes }).inExperiment) n += 1;
        return n;
      },
    },
    {
      name: 'Corkboard service (evaluateAll)',
      pass: async (attributes) => {
        const evaluation = await service.evaluateAll({ userId: String(attributes.id), username: String(attributes.username) }, attributes);
        let n = 0;
        for (const key in evaluation.experiments) if (evaluation.experiments[key]!.inExperiment) n += 1;
        return n;
      },
    },
    {
      name: 'GrowthBook SDK (GrowthBookClient.runInlineExperiment)',
      baseline: true,
      pass: (attributes) => {
        let n = 0;
        for (const experiment of gbExperiments) if (client.runInlineExperiment(experiment, { attributes }).inExperiment) n += 1;
        return n;
      },
    },
    {
      name: 'GrowthBook SDK (GrowthBook instance per user, .run)',
      pass: (attributes) => {
        const key = String(attributes.id);
        let gb = classic.get(key);
        if (!gb) {
          gb = new GrowthBook({ attributes });
          classic.set(key, gb);
        }
        let n = 0;
        for (const experiment of gbExperiments) if (gb.run(experiment).inExperiment) n += 1;
        return n;
      },
    },
  ];

  const scenarios = [
    { name: `one user, ${options.experiments} running experiments`, users: [user] },
    { name: `10,000 users in turn, ${options.experiments} running experiments`, users: manyUsers },
  ];
  const results: Array<{ scenario: string; modes: ModeStats[] }> = [];
  for (const scenario of scenarios) {
    console.log(`\n${scenario.name}`);
    const timings = new Map<string, number[]>(modes.map((m) => [m.name, []]));
    const load = new Map<string, number[]>(modes.map((m) => [m.name, []]));
    // Warm-up: the JIT compiles every mode's code before anything is measured.
    for (const mode of modes) await measure(mode, scenario.users, 1, []);
    const perRound = options.seconds / options.rounds;
    for (let round = 0; round < options.rounds; round += 1) {
      for (const mode of round % 2 === 0 ? modes : [...modes].reverse()) {
        const before = await cpuSnapshot();
        await measure(mode, scenario.users, perRound, timings.get(mode.name)!);
        const after = await cpuSnapshot();
        if (before && after) load.get(mode.name)!.push(otherLoad(before, after, new Set([process.pid]), undefined).otherShare);
      }
    }
    const stats = modes.map((mode): ModeStats => {
      const all = timings.get(mode.name)!;
      const sorted = Float64Array.from(all).sort();
      const total = all.reduce((sum, t) => sum + t, 0);
      const shares = load.get(mode.name)!;
      return {
        name: mode.name,
        passes: all.length,
        assignmentsPerSecond: (all.length * options.experiments) / (total / 1000),
        p50Us: percentile(sorted, 0.5) * 1000,
        p99Us: percentile(sorted, 0.99) * 1000,
        meanUs: (total / all.length) * 1000,
        otherCpuShare: shares.length ? shares.reduce((a, b) => a + b, 0) / shares.length : null,
      };
    });
    for (const s of stats) {
      console.log(`  ${s.name}: ${Math.round(s.assignmentsPerSecond).toLocaleString('en')} assignments/s, pass p50 ${s.p50Us.toFixed(1)} µs, p99 ${s.p99Us.toFixed(1)} µs`);
    }
    results.push({ scenario: scenario.name, modes: stats });
  }

  const date = new Date().toISOString().slice(0, 10);
  const base = path.join(options.out, `${date}-experiments-assignment`);
  const report = {
    date: new Date().toISOString(),
    machine: { cpus: os.cpus().length, model: os.cpus()[0]?.model ?? 'unknown', node: process.version },
    dataset: {
      experiments: options.experiments,
      generator: 'bench/experiment-definitions.ts, seed 2026',
      oneUserInExperiments: oneUserIn,
      averageUserInExperiments: manyIn,
    },
    settings: { secondsPerMode: options.seconds, rounds: options.rounds, warmupSecondsPerMode: 1 },
    baseline: modes.find((m) => m.baseline)!.name,
    results,
  };
  await fs.mkdir(options.out, { recursive: true });
  await fs.writeFile(`${base}.json`, `${JSON.stringify(report, null, 2)}\n`);
  await fs.writeFile(`${base}.md`, markdown(report, path.basename(base)));
  await fs.writeFile(`${base}.svg`, chart(report));
  console.log(`\nwrote ${base}.json, .md and .svg`);
}

type Report = {
  date: string;
  machine: { cpus: number; model: string; node: string };
  dataset: { experiments: number; generator: string; oneUserInExperiments: number; averageUserInExperiments: number };
  settings: { secondsPerMode: number; rounds: number; warmupSecondsPerMode: number };
  baseline: string;
  results: Array<{ scenario: string; modes: ModeStats[] }>;
};

function fmt(n: number): string {
  return Math.round(n).toLocaleString('en');
}

function markdown(report: Report, base: string): string {
  const lines = [
    `# Experiment assignment: Corkboard vs GrowthBook's JavaScript SDK, ${report.date.slice(0, 10)}`,
    '',
    `${report.dataset.experiments} running experiments (${report.dataset.generator}: 2-4 variations, uneven weights, partial coverage, targeting conditions, namespaces, holdout shares). ` +
      `The one user is in ${report.dataset.oneUserInExperiments} of them; a random user in ${report.dataset.averageUserInExperiments.toFixed(1)} on average. ` +
      `Every assignment was checked identical to GrowthBook's before timing. ${report.settings.secondsPerMode} s per mode in ${report.settings.rounds} alternating rounds after ${report.settings.warmupSecondsPerMode} s of warm-up; ` +
      `${report.machine.cpus} CPUs (${report.machine.model}), Node ${report.machine.node}, one process.`,
    '',
    `![chart](${base}.svg)`,
    '',
  ];
  for (const { scenario, modes } of report.results) {
    const baseline = modes.find((m) => m.name === report.baseline)!;
    lines.push(`## ${scenario[0]!.toUpperCase()}${scenario.slice(1)}`, '');
    lines.push('| evaluator | assignments/s | vs GrowthBookClient | pass p50 µs | pass p99 µs | passes | other programs\' CPU |', '|---|---:|---:|---:|---:|---:|---:|');
    for (const m of modes) {
      lines.push(
        `| ${m.name} | ${fmt(m.assignmentsPerSecond)} | ${(m.assignmentsPerSecond / baseline.assignmentsPerSecond).toFixed(2)}x | ${m.p50Us.toFixed(1)} | ${m.p99Us.toFixed(1)} | ${fmt(m.passes)} | ${m.otherCpuShare === null ? '–' : `${Math.round(m.otherCpuShare * 100)} %`} |`,
      );
    }
    lines.push('');
  }
  lines.push(
    '- **pass**: one user through every running experiment (one `POST /v5/experiments/evaluate` without HTTP, or 100 SDK calls).',
    '- **assignments/s**: experiments evaluated per second (passes × experiments / time spent in passes).',
    '- **Corkboard service** adds what a request needs besides the engine: the catalog snapshot, merging the server\'s attributes (account type from a cache) with the caller\'s, QA overrides and holdout experiments, and building the answer object.',
    '- **GrowthBook instance per user** is the SDK\'s browser-style API (one `GrowthBook` per user, `run` per experiment), which also records each assignment for its tracking callbacks.',
    '',
  );
  return lines.join('\n');
}

function chart(report: Report): string {
  const width = 900;
  const labelWidth = 390;
  const barHeight = 18;
  const rows = report.results.flatMap((r) => r.modes.map((m) => ({ scenario: r.scenario, ...m })));
  const max = Math.max(...rows.map((r) => r.assignmentsPerSecond));
  const parts: string[] = [];
  let y = 50;
  for (const result of report.results) {
    parts.push(`<text x="16" y="${y}" font-size="13" font-weight="bold">${result.scenario}</text>`);
    y += 10;
    for (const m of result.modes) {
      const w = ((width - labelWidth - 110) * m.assignmentsPerSecond) / max;
      const colour = m.name.startsWith('Corkboard') ? '#c8412f' : '#6b7280';
      parts.push(
        `<text x="${labelWidth - 8}" y="${y + 13}" font-size="12" text-anchor="end">${m.name}</text>`,
        `<rect x="${labelWidth}" y="${y}" width="${w.toFixed(1)}" height="${barHeight}" fill="${colour}"/>`,
        `<text x="${(labelWidth + w + 6).toFixed(1)}" y="${y + 13}" font-size="11">${fmt(m.assignmentsPerSecond)}/s · p50 ${m.p50Us.toFixed(0)} µs</text>`,
      );
      y += barHeight + 6;
    }
    y += 24;
  }
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${y}" viewBox="0 0 ${width} ${y}" font-family="Helvetica, Arial, sans-serif">`,
    `<rect width="${width}" height="${y}" fill="#ffffff"/>`,
    `<text x="16" y="26" font-size="16" font-weight="bold">Experiment assignments per second (higher is better), ${report.dataset.experiments} running experiments</text>`,
    ...parts,
    '</svg>',
    '',
  ].join('\n');
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
