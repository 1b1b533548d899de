// `npm run eval:related -- --holdout-file F [options]`: offline quality of related pins on the dataset
// generator's held-out saves (docs/related-pins.md#quality). For each hold-out user it ranks 100 pins
// with Pixie (RelatedPinsService.pickedForUser, the home feed's source, as that user) and with two
// baselines in the same run, on the same database, and reports hit rate@10/@100 and MRR with the
// settings used. Settings come from the RELATED_PINS_* variables; --variants adds Pixie rows with
// other values. Writes bench/results/<date>-related-eval-<label>.{md,json}.
import path from 'node:path';
import { parseArgs } from 'node:util';
import { Registry } from 'prom-client';
import { ConfigError, loadConfig, type Config } from '../../config.js';
import { createContainer, type Container } from '../../container.js';
import { DataDirLockedError } from '../../platform/db/data-dir-lock.js';
import { RelatedGraph } from '../related-graph.js';
import { PinBoardGraphMetrics } from '../related-pins.metrics.js';
import { RelatedPinsService } from '../related-pins.service.js';
import { cooccurrenceRank, PopularInTopics } from './baselines.js';
import { EvalRepository } from './eval.repository.js';
import { machine, writeEvalReport, type EvalReport, type MethodResult } from './eval-report.js';
import { readHoldout } from './holdout.js';
import { pairedComparison, quality, usersWithHit, type RankedForUser } from './metrics.js';

const USAGE = `Usage: npm run eval:related -- --holdout-file FILE [options]

  --holdout-file FILE   held-out saves written by npm run dataset -- --holdout-users N --holdout-file FILE
  --users N             evaluate the first N users of the file (default all)
  --variants SPEC       more Pixie rows: variants separated by ';', each key=value pairs separated by ','
                        keys: steps, restart, np, nv, recency, maxBoardPins, maxPinDegree, userSeeds, halfLife
                        e.g. --variants 'steps=20000;restart=0.3,steps=200000;maxPinDegree=200'
  --workers N           walk worker threads (default 2)
  --concurrency N       users evaluated at the same time (default 4)
  --label L             report name (default: the dataset size in pin rows)
  --out DIR             where the report goes (default bench/results)

The database is the configured one (DATABASE_URL, else the embedded database under DATA_DIR); the
defaults of the walks and the pruning are the RELATED_PINS_* variables (README).`;

/** How many pins each method ranks per user (top 100 is what is scored; the rest absorbs skipped pins). */
const RANKED = 150;

const VARIANT_KEYS = {
  steps: 'steps',
  restart: 'restartProbability',
  np: 'earlyStopPins',
  nv: 'earlyStopVisits',
  recency: 'recencyBias',
  maxBoardPins: 'maxBoardPins',
  maxPinDegree: 'maxPinDegree',
  userSeeds: 'userSeeds',
  halfLife: 'seedHalfLifeDays',
} as const satisfies Record<string, keyof Config['relatedPins']>;

type Settings = Config['relatedPins'];

interface Variant {
  name: string;
  detail: string;
  settings: Settings;
}

function parseVariants(spec: string | undefined, defaults: Settings): Variant[] {
  const variants: Variant[] = [{ name: 'Pixie', detail: 'defaults', settings: defaults }];
  for (const part of (spec ?? '').split(';').map((text) => text.trim()).filter(Boolean)) {
    const settings = { ...defaults };
    for (const pair of part.split(',')) {
      const [key, raw] = pair.split('=').map((text) => text.trim());
      const field = VARIANT_KEYS[key as keyof typeof VARIANT_KEYS];
      const value = Number(raw);
      if (!field || raw === undefined || !Number.isFinite(value) || value < 0) throw new ConfigError(`--variants: cannot read "${pair}"`);
      settings[field] = value;
    }
    variants.push({ name: 'Pixie', detail: part.replaceAll(',', ', '), settings });
  }
  return variants;
}

function describeMethod(method: MethodResult): string {
  const q = method.quality;
  return `${method.method} (${method.detail}): hit@10 ${(q.hitRateAt10 * 100).toFixed(1)} %, hit@100 ${(q.hitRateAt100 * 100).toFixed(1)} %, MRR ${q.mrr.toFixed(4)}, ${method.msPerUser.toFixed(1)} ms/user`;
}

const pruneKey = (settings: Settings) => `${settings.maxBoardPins}/${settings.maxPinDegree}`;

/** Runs `work` over `items`, `concurrency` at a time. */
async function forEachConcurrently<T>(items: readonly T[], concurrency: number, work: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.max(1, concurrency) }, async () => {
      while (next < items.length) await work(items[next++]!);
    }),
  );
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      'holdout-file': { type: 'string' },
      users: { type: 'string' },
      variants: { type: 'string' },
      workers: { type: 'string', default: '2' },
      concurrency: { type: 'string', default: '4' },
      label: { type: 'string' },
      out: { type: 'string', default: 'bench/results' },
      help: { type: 'boolean', default: false },
    },
  });
  if (values.help || !values['holdout-file']) {
    console.log(USAGE);
    process.exitCode = values.help ? 0 : 2;
    return;
  }
  const startedAt = new Date();
  const holdoutFile = values['holdout-file'];
  const holdout = await readHoldout(holdoutFile);
  const userIds = [...holdout.keys()].slice(0, values.users ? Number(values.users) : undefined);
  const workers = Number(values.workers);
  const config = loadConfig({ ...process.env, SEED_DEMO: 'false', LOG_LEVEL: process.env.LOG_LEVEL ?? 'warn', RELATED_PINS_WORKERS: String(workers) });
  const variants = parseVariants(values.variants, config.relatedPins);
  const container = await createContainer(config);
  try {
    const report = await evaluate(container, { holdout, userIds, variants, workers, concurrency: Number(values.concurrency) });
    const label = values.label ?? `${Math.round((report.graphs[0]?.stats.pinRows ?? 0) / 1000)}k-pins`;
    const full: EvalReport = {
      ...report,
      startedAt: startedAt.toISOString(),
      finishedAt: new Date().toISOString(),
      label,
      holdoutFile,
      database: config.databaseUrl ? `PostgreSQL ${new URL(config.databaseUrl).pathname.slice(1)}` : `PGlite ${config.pgliteDir}`,
      usersInFile: holdout.size,
      heldOutPins: [...holdout.values()].reduce((sum, pins) => sum + pins.size, 0),
      machine: machine(),
    };
    for (const method of full.methods) console.log(describeMethod(method));
    const files = await writeEvalReport(full, path.resolve(values.out));
    console.log(`Wrote ${files.map((file) => path.relative(process.cwd(), file)).join(', ')}`);
  } finally {
    await container.close();
  }
}

interface EvalInput {
  holdout: Map<string, Set<string>>;
  userIds: string[];
  variants: Variant[];
  workers: number;
  concurrency: number;
}

type EvalOutput = Pick<EvalReport, 'settings' | 'graphs' | 'methods' | 'comparisons'>;

async function evaluate(container: Container, input: EvalInput): Promise<EvalOutput> {
  const { holdout, userIds, variants } = input;
  const evalRepository = new EvalRepository(container.db);
  const held = await evalRepository.pinsHeldBy(userIds);
  const boardsOf = new Map<string, Array<{ name: string; pins: number }>>();
  for (const row of await evalRepository.boardNamesOf(userIds)) boardsOf.set(row.user_id, [...(boardsOf.get(row.user_id) ?? []), row]);
  const skipOf = (userId: string) => held.get(userId) ?? new Set<string>();
  const scored = (userId: string, ranked: readonly string[]): RankedForUser => ({
    userId,
    ranked: ranked.filter((id) => !skipOf(userId).has(id)).slice(0, 100),
    heldOut: holdout.get(userId)!,
  });

  const methods: MethodResult[] = [];
  const graphs: EvalReport['graphs'] = [];
  const fixedBudget = { numberFor: async (_viewer: unknown, _key: string, fallback: number) => fallback };
  const byPruning = new Map<string, Variant[]>();
  for (const variant of variants) byPruning.set(pruneKey(variant.settings), [...(byPruning.get(pruneKey(variant.settings)) ?? []), variant]);

  for (const [key, group] of byPruning) {
    const prune = { maxBoardPins: group[0]!.settings.maxBoardPins, maxPinDegree: group[0]!.settings.maxPinDegree, seed: 0x5eed };
    const metrics = new PinBoardGraphMetrics(new Registry());
    const graph = new RelatedGraph(container.relatedPinsParts.repository, { prune, workers: input.workers, rebuildMs: 0, metrics });
    console.log(`Building the graph (max board pins ${prune.maxBoardPins}, max pin degree ${prune.maxPinDegree})...`);
    await graph.rebuild();
    const stats = graph.stats!;
    console.log(`  ${stats.pins} pins, ${stats.boards} boards, ${stats.edges} edges in ${(stats.buildMs / 1000).toFixed(1)} s`);
    graphs.push({ name: `graph ${graphs.length + 1}`, prune: { maxBoardPins: prune.maxBoardPins, maxPinDegree: prune.maxPinDegree }, stats });
    try {
      for (const variant of group) {
        const service = new RelatedPinsService({
          graph,
          pins: container.services.pins,
          recs: container.relatedPinsParts.repository,
          experiments: fixedBudget,
          settings: variant.settings,
        });
        const results: RankedForUser[] = [];
        const stepsBefore = metrics.tally.steps;
        const started = performance.now();
        await forEachConcurrently(userIds, input.concurrency, async (userId) => {
          const picked = await service.pickedForUser(userId, RANKED);
          results.push(scored(userId, picked.map((item) => item.pinId)));
        });
        methods.push({
          method: variant.name,
          detail: variant.detail,
          quality: quality(results),
          msPerUser: (performance.now() - started) / userIds.length,
          hits: usersWithHit(results, 10),
          meanSteps: (metrics.tally.steps - stepsBefore) / userIds.length,
          graph: graphs[graphs.length - 1]!.name,
        });
        console.log(`  ${describeMethod(methods[methods.length - 1]!)}`);
      }
      if (key === pruneKey(variants[0]!.settings)) {
        // The co-occurrence baseline: the default variant's seeds, on the same graph.
        const seedsService = new RelatedPinsService({
          graph,
          pins: container.services.pins,
          recs: container.relatedPinsParts.repository,
          experiments: fixedBudget,
          settings: variants[0]!.settings,
        });
        const results: RankedForUser[] = [];
        const started = performance.now();
        await forEachConcurrently(userIds, input.concurrency, async (userId) => {
          const seeds = await seedsService.seedsForUser(userId);
          results.push(scored(userId, cooccurrenceRank(graph.current!, seeds, skipOf(userId), RANKED)));
        });
        methods.push({
          hits: usersWithHit(results, 10),
          method: 'Co-occurrence',
          detail: 'pins sharing boards with the same seed pins, weighted as Pixie weighs them',
          quality: quality(results),
          msPerUser: (performance.now() - started) / userIds.length,
          graph: graphs[graphs.length - 1]!.name,
        });
      }
    } finally {
      await graph.stop();
    }
  }

  const started = performance.now();
  const popular = await PopularInTopics.prepare(evalRepository);
  const popularResults = userIds.map((userId) => scored(userId, popular.rank(boardsOf.get(userId) ?? [], skipOf(userId), RANKED)));
  methods.push({
    method: 'Popular in topics',
    detail: "the most saved public pins of the user's topics (from their boards), mixed by topic weight",
    quality: quality(popularResults),
    hits: usersWithHit(popularResults, 10),
    msPerUser: (performance.now() - started) / userIds.length,
  });

  const comparisons: EvalReport['comparisons'] = [];
  for (const pixie of methods.filter((method) => method.method === 'Pixie')) {
    for (const baseline of methods.filter((method) => method.method !== 'Pixie')) {
      const { onlyFirst, onlySecond, pValue } = pairedComparison(pixie.hits ?? new Set(), baseline.hits ?? new Set());
      comparisons.push({ pixie: pixie.detail, baseline: baseline.method, onlyPixie: onlyFirst, onlyBaseline: onlySecond, pValue });
    }
  }
  const defaults = variants[0]!.settings;
  return {
    comparisons,
    settings: {
      'steps (N, RELATED_PINS_STEPS)': defaults.steps,
      'restart probability (alpha)': defaults.restartProbability,
      'early stop: pins (np)': defaults.earlyStopPins,
      'early stop: visits (nv)': defaults.earlyStopVisits,
      'recency bias': defaults.recencyBias,
      'max board pins (pruning)': defaults.maxBoardPins,
      'max pin degree (pruning)': defaults.maxPinDegree,
      'user seeds (latest saves and close-ups)': defaults.userSeeds,
      'seed half-life, days': defaults.seedHalfLifeDays,
      'walk workers': input.workers,
    },
    graphs,
    methods,
  };
}

main().catch((error: unknown) => {
  if (error instanceof ConfigError || error instanceof DataDirLockedError) {
    console.error(`eval:related: ${error.message}`);
    process.exit(2);
  }
  console.error(error);
  process.exit(1);
});
