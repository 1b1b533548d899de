// `npm run bench:startup`: time from launching Corkboard to its first healthy answer (GET /healthz),
// the way `npm start` runs it today (compiled JavaScript, scripts/run.mjs) against the way it ran
// before (TypeScript compiled at every start by tsx: `node --import tsx src/main.ts`), in the same
// run, alternating, on the embedded database and on PostgreSQL (DATABASE_URL, when set). A first start
// (new data dir: initdb, migrations, the demo data) runs once per way; later starts --runs times each.
// Each start's log gives its phases: loading the code (launch to the first log line), opening the
// database and checking migrations, then building the app and everything until it listens.
// Report: bench/results/<date>-startup.{json,md}.
import { spawn } from 'node:child_process';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import pg from 'pg';
import { ROOT } from './processes.js';

const { values: args } = parseArgs({
  options: {
    runs: { type: 'string', default: '5' },
    'first-starts': { type: 'string', default: '1' },
    out: { type: 'string', default: path.join(ROOT, 'bench', 'results') },
  },
});
const RUNS = Number(args.runs);
const FIRST_STARTS = Number(args['first-starts']);

const WAYS = {
  compiled: { label: 'compiled (npm start: node scripts/run.mjs main)', argv: ['scripts/run.mjs', 'main'] },
  tsx: { label: 'tsx (before: node --import tsx src/main.ts)', argv: ['--import', 'tsx', 'src/main.ts'] },
} as const;
type Way = keyof typeof WAYS;

interface Start {
  way: Way;
  engine: 'pglite' | 'postgres';
  kind: 'first' | 'later' | 'after an edit';
  /** Launch to the first 200 from /healthz. */
  healthyMs: number;
  /** Launch to the first log line (loading the program's code; compiling it, for tsx or a rebuild). */
  codeMs: number;
  /** First log line to "database ready" (opening the database, migrations). */
  databaseMs: number;
  /** "database ready" to listening (the app, the demo data or its check, the related-pins graph). */
  appMs: number;
  loadAverage: number;
}

async function timeStart(way: Way, engine: Start['engine'], kind: Start['kind'], env: NodeJS.ProcessEnv): Promise<Start> {
  const loadAverage = os.loadavg()[0]!;
  const launched = Date.now();
  const child = spawn(process.execPath, WAYS[way].argv, { cwd: ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] });
  let stderr = '';
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
  const exited = new Promise<never>((_, reject) => child.once('exit', (code) => reject(new Error(`${way} exited with ${code}: ${stderr}`))));
  const lines: Array<{ time: number; msg: string; url?: string }> = [];
  let buffer = '';
  const serving = new Promise<string>((resolve) => {
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
      buffer += chunk;
      let newline: number;
      while ((newline = buffer.indexOf('\n')) >= 0) {
        const text = buffer.slice(0, newline);
        buffer = buffer.slice(newline + 1);
        try {
          const line = JSON.parse(text) as { time: number; msg: string; url?: string };
          lines.push(line);
          if (line.msg.startsWith('Corkboard is serving') && line.url) resolve(line.url);
        } catch {
          // not a log line
        }
      }
    });
  });
  try {
    const url = await Promise.race([serving, exited]);
    for (;;) {
      const response = await fetch(`${url}/healthz`).catch(() => undefined);
      if (response?.status === 200) break;
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
    const healthyMs = Date.now() - launched;
    // The first log line: "opening the embedded database" on PGlite; on PostgreSQL, "database ready".
    const first = lines[0]!.time;
    const ready = lines.find((line) => line.msg === 'database ready')?.time ?? first;
    const listening = lines.find((line) => line.msg.startsWith('Corkboard is serving'))!.time;
    return { way, engine, kind, healthyMs, codeMs: first - launched, databaseMs: ready - first, appMs: listening - ready, loadAverage };
  } finally {
    const gone = new Promise((resolve) => child.once('exit', resolve));
    child.kill('SIGTERM');
    await gone;
  }
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
}

async function withPostgresDatabase<T>(adminUrl: string, name: string, run: (url: string) => Promise<T>): Promise<T> {
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
  await admin.query(`CREATE DATABASE ${name}`);
  try {
    const url = new URL(adminUrl);
    url.pathname = `/${name}`;
    return await run(url.toString());
  } finally {
    await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
    await admin.end();
  }
}

async function main(): Promise<void> {
  const tmp = await fs.mkdtemp(path.join(os.tmpdir(), 'corkboard-startup-'));
  const starts: Start[] = [];
  const record = (start: Start) => {
    starts.push(start);
    console.log(`${start.engine.padEnd(8)} ${start.kind.padEnd(13)} ${start.way.padEnd(8)} healthy after ${start.healthyMs} ms (code ${start.codeMs}, database ${start.databaseMs}, app ${start.appMs}; load ${start.loadAverage.toFixed(1)})`);
  };
  const baseEnv = (extra: Record<string, string>) => {
    const env: NodeJS.ProcessEnv = { ...process.env, PORT: '0', HOST: '127.0.0.1', LOG_LEVEL: 'info', ...extra };
    delete env.REDIS_URL;
    if (!extra.DATABASE_URL) delete env.DATABASE_URL;
    return env;
  };
  // Built once before anything is timed, as `npm install && npm start` leaves it after the first start.
  await new Promise<void>((resolve, reject) =>
    spawn(process.execPath, ['scripts/build.mjs'], { cwd: ROOT, stdio: 'inherit' }).once('exit', (code) => (code === 0 ? resolve() : reject(new Error(`build failed: ${code}`)))),
  );
  try {
    // Embedded database: first starts on new data dirs (the demo data included), then later starts.
    const dataDirs: Record<Way, string> = { compiled: path.join(tmp, 'compiled'), tsx: path.join(tmp, 'tsx') };
    for (let i = 0; i < FIRST_STARTS; i += 1) {
      for (const way of ['tsx', 'compiled'] as const) {
        await fs.rm(dataDirs[way], { recursive: true, force: true });
        record(await timeStart(way, 'pglite', 'first', baseEnv({ DATA_DIR: dataDirs[way] })));
      }
    }
    for (let i = 0; i < RUNS; i += 1) {
      for (const way of ['tsx', 'compiled'] as const) record(await timeStart(way, 'pglite', 'later', baseEnv({ DATA_DIR: dataDirs[way] })));
    }
    // The compiled way after a source file is saved: the launcher compiles again before starting.
    const touched = path.join(ROOT, 'src', 'main.ts');
    const now = new Date();
    await fs.utimes(touched, now, now);
    record(await timeStart('compiled', 'pglite', 'after an edit', baseEnv({ DATA_DIR: dataDirs.compiled })));

    if (process.env.DATABASE_URL) {
      await withPostgresDatabase(process.env.DATABASE_URL, 'corkboard_bench_startup', async (url) => {
        const env = baseEnv({ DATA_DIR: path.join(tmp, 'pg'), DATABASE_URL: url });
        // The first start on an empty database applies every migration (no demo data on PostgreSQL).
        record(await timeStart('compiled', 'postgres', 'first', env));
        for (let i = 0; i < RUNS; i += 1) {
          for (const way of ['tsx', 'compiled'] as const) record(await timeStart(way, 'postgres', 'later', env));
        }
      });
    }
  } finally {
    await fs.rm(tmp, { recursive: true, force: true });
  }

  const groups = new Map<string, Start[]>();
  for (const start of starts) {
    const key = `${start.engine}|${start.kind}|${start.way}`;
    groups.set(key, [...(groups.get(key) ?? []), start]);
  }
  const summary = [...groups.entries()].map(([key, group]) => {
    const [engine, kind, way] = key.split('|') as [string, string, Way];
    return {
      engine,
      kind,
      way,
      runs: group.length,
      p50HealthyMs: median(group.map((start) => start.healthyMs)),
      minHealthyMs: Math.min(...group.map((start) => start.healthyMs)),
      maxHealthyMs: Math.max(...group.map((start) => start.healthyMs)),
      p50CodeMs: median(group.map((start) => start.codeMs)),
      p50DatabaseMs: median(group.map((start) => start.databaseMs)),
      p50AppMs: median(group.map((start) => start.appMs)),
      loadAverage: median(group.map((start) => start.loadAverage)),
    };
  });
  const date = new Date().toISOString().slice(0, 10);
  const machine = { cpus: os.cpus().length, node: process.version, loadAverageAtEnd: os.loadavg() };
  await fs.mkdir(args.out, { recursive: true });
  const base = path.join(args.out, `${date}-startup`);
  await fs.writeFile(`${base}.json`, `${JSON.stringify({ date, machine, summary, starts }, null, 2)}\n`);
  const s = (ms: number) => `${(ms / 1000).toFixed(2)} s`;
  const ratio = (engine: string, kind: string) => {
    const tsx = summary.find((row) => row.engine === engine && row.kind === kind && row.way === 'tsx');
    const compiled = summary.find((row) => row.engine === engine && row.kind === kind && row.way === 'compiled');
    return tsx && compiled ? `${(tsx.p50HealthyMs / compiled.p50HealthyMs).toFixed(1)}x` : '';
  };
  const md = [
    `# Start-up time (${date})`,
    '',
    `Launch to the first 200 from \`GET /healthz\`, \`npm run bench:startup -- --runs ${RUNS}\`; ${machine.cpus} CPUs shared with other work`,
    `(1-minute load average during the starts below: median per row), Node ${machine.node}. "tsx" is how \`npm start\` ran before`,
    '(TypeScript compiled at every start); "compiled" is how it runs now (scripts/run.mjs: the build of the current sources).',
    'Both run the same sources. Phases from the log: code = launch to the first log line, database = opening it and',
    'checking migrations, app = building the app, the demo data (or the check that it exists), the related-pins graph, listening.',
    'On PostgreSQL the first log line comes once the database is ready, so there code includes connecting and the migrations check.',
    '',
    '| engine | start | way | runs | p50 to healthy | min | max | code | database | app | load | tsx / compiled |',
    '|---|---|---|---|---|---|---|---|---|---|---|---|',
    ...summary.map(
      (row) =>
        `| ${row.engine} | ${row.kind} | ${row.way} | ${row.runs} | ${s(row.p50HealthyMs)} | ${s(row.minHealthyMs)} | ${s(row.maxHealthyMs)} | ${s(row.p50CodeMs)} | ${s(row.p50DatabaseMs)} | ${s(row.p50AppMs)} | ${row.loadAverage.toFixed(1)} | ${row.way === 'compiled' ? ratio(row.engine, row.kind) : ''} |`,
    ),
    '',
  ].join('\n');
  await fs.writeFile(`${base}.md`, md);
  console.log(`\n${md}\nwritten to ${path.relative(ROOT, base)}.{json,md}`);
}

await main();
