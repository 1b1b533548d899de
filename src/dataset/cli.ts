// `npm run dataset -- --size small [--seed S] [--users N --pins N --saves N] [--reset] ...`
// Generates a realistic dataset straight into the configured database (DATABASE_URL, else the embedded
// database under DATA_DIR) and images under DATA_DIR/media, with a progress bar per phase and a summary.
import fs from 'node:fs/promises';
import path from 'node:path';
import { parseArgs } from 'node:util';
import cliProgress from 'cli-progress';
import { ConfigError, loadConfig } from '../config.js';
import { openDatabase } from '../platform/db/database.js';
import { DataDirLockedError } from '../platform/db/data-dir-lock.js';
import { migrateToLatest } from '../platform/db/migrate.js';
import { LocalBlobStorage } from '../platform/storage/local-blob-storage.js';
import { DEFAULT_DATASET_PASSWORD, generateDataset, type DatasetSummary, type ProgressEvent } from './generate.js';
import { DatabaseNotEmptyError } from './loader.js';
import { openCopyConnection, type CopyConnection } from './copy-connection.js';
import { DatasetOptionsError, DEFAULT_OPTIONS, resolveDatasetOptions, SIZE_PRESETS, type DatasetSize } from './options.js';
import { counterMismatches } from './verify-counters.js';

const USAGE = `Usage: npm run dataset -- [options]

  --size small|medium       preset sizes (small: ${describe('small')}; medium: ${describe('medium')})
  --users N --pins N        accounts and original pins
  --saves N                 saves (repins), each a pin row pointing at the pin it was saved from
  --images N                distinct generated images shared by the pins
  --seed S                  same seed and options, same data (default "${DEFAULT_OPTIONS.seed}")
  --secret-share 0.05       share of SECRET boards (--protected-share for PROTECTED, default ${DEFAULT_OPTIONS.protectedShare})
  --holdout-users N --holdout-file path.jsonl
                            hold back the last 1-3 saves of N users and write them to the file
  --span-days 182 --end 2026-11-01
                            the time window the rows are spread over
  --reset                   empty accounts, boards, pins, images and follows first
  --reuse-images            keep images already generated for this seed and count
  --password P              the password every generated account gets (default "${DEFAULT_DATASET_PASSWORD}")
  --batch-rows 5000         rows per INSERT statement
  --verify                  check every counter column against its rows after loading
`;

function describe(size: DatasetSize): string {
  const preset = SIZE_PRESETS[size];
  return `${preset.users} users, ${preset.pins} pins, ${preset.saves} saves, ${preset.images} images`;
}

function number(raw: string | undefined, name: string): number | undefined {
  if (raw === undefined) return undefined;
  const value = Number(raw);
  if (!Number.isFinite(value)) throw new DatasetOptionsError(`--${name} must be a number, got "${raw}"`);
  return value;
}

function parse(argv: string[]) {
  const { values } = parseArgs({
    args: argv,
    options: {
      size: { type: 'string' },
      users: { type: 'string' },
      pins: { type: 'string' },
      saves: { type: 'string' },
      images: { type: 'string' },
      seed: { type: 'string' },
      'secret-share': { type: 'string' },
      'protected-share': { type: 'string' },
      'holdout-users': { type: 'string' },
      'holdout-file': { type: 'string' },
      'span-days': { type: 'string' },
      end: { type: 'string' },
      reset: { type: 'boolean', default: false },
      'reuse-images': { type: 'boolean', default: false },
      password: { type: 'string' },
      'batch-rows': { type: 'string' },
      verify: { type: 'boolean', default: false },
      help: { type: 'boolean', default: false },
    },
  });
  const size = values.size ?? 'small';
  if (!(size in SIZE_PRESETS)) throw new DatasetOptionsError(`--size must be small or medium, got "${size}"`);
  const holdoutUsers = number(values['holdout-users'], 'holdout-users');
  if ((holdoutUsers ?? 0) > 0 && !values['holdout-file']) {
    throw new DatasetOptionsError('--holdout-users needs --holdout-file to say where the held-out saves go');
  }
  const endMs = values.end === undefined ? undefined : Date.parse(values.end);
  if (Number.isNaN(endMs)) throw new DatasetOptionsError(`--end must be a date, got "${values.end}"`);
  return {
    help: values.help,
    verify: values.verify,
    options: {
      size: size as DatasetSize,
      users: number(values.users, 'users'),
      pins: number(values.pins, 'pins'),
      saves: number(values.saves, 'saves'),
      images: number(values.images, 'images'),
      seed: values.seed,
      secretShare: number(values['secret-share'], 'secret-share'),
      protectedShare: number(values['protected-share'], 'protected-share'),
      holdoutUsers,
      spanDays: number(values['span-days'], 'span-days'),
      endMs,
      holdoutFile: values['holdout-file'],
      reset: values.reset,
      reuseImages: values['reuse-images'],
      password: values.password,
      batchRows: number(values['batch-rows'], 'batch-rows'),
    },
  };
}

/** One progress bar per phase, replaced when the next phase starts; plain lines when not on a terminal. */
function progressReporter(): { onProgress: (event: ProgressEvent) => void; stop: () => void } {
  if (!process.stdout.isTTY) return lineReporter();
  let current: { phase: string; bar: cliProgress.SingleBar | undefined } | undefined;
  const stop = () => current?.bar?.stop();
  return {
    stop,
    onProgress(event) {
      if (current?.phase !== event.phase) {
        stop();
        if (event.total === 0) {
          console.log(`${event.phase}...`);
          current = { phase: event.phase, bar: undefined };
          return;
        }
        const bar = new cliProgress.SingleBar(
          { format: `${event.phase.padEnd(20)} {bar} {percentage}% | {value}/{total} | {duration_formatted}`, hideCursor: true },
          cliProgress.Presets.shades_classic,
        );
        bar.start(event.total, event.done);
        current = { phase: event.phase, bar };
        return;
      }
      current.bar?.update(event.done);
    },
  };
}

/** For logs: a line when a phase starts and at every further 10% of it. */
function lineReporter(): { onProgress: (event: ProgressEvent) => void; stop: () => void } {
  let phase = '';
  let tenths = -1;
  const started = performance.now();
  return {
    stop: () => undefined,
    onProgress(event) {
      const reached = event.total === 0 ? 0 : Math.floor((event.done / event.total) * 10);
      if (event.phase === phase && reached <= tenths) return;
      phase = event.phase;
      tenths = reached;
      const elapsed = ((performance.now() - started) / 1000).toFixed(0);
      console.log(`[${elapsed.padStart(5)} s] ${event.phase} ${event.total === 0 ? '' : `${event.done}/${event.total}`}`);
    },
  };
}

async function directorySize(dir: string): Promise<number> {
  let total = 0;
  for (const entry of await fs.readdir(dir, { withFileTypes: true, recursive: true })) {
    if (entry.isFile()) total += (await fs.stat(path.join(entry.parentPath, entry.name))).size;
  }
  return total;
}

const mib = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(1)} MiB`;

interface DiskUse {
  database: number | undefined;
  media: number | undefined;
}

function printSummary(summary: DatasetSummary, engine: string, disk: DiskUse): void {
  console.log('\nphase                     rows        time        rows/s');
  for (const phase of summary.phases) {
    const seconds = phase.ms / 1000;
    const rate = phase.rows > 0 && seconds > 0 ? Math.round(phase.rows / seconds).toLocaleString('en') : '';
    console.log(`${phase.phase.padEnd(20)} ${phase.rows.toLocaleString('en').padStart(11)} ${`${seconds.toFixed(1)} s`.padStart(11)} ${rate.padStart(13)}`);
  }
  const totalRows = Object.values(summary.rows).reduce((sum, n) => sum + n, 0);
  console.log(`${'total'.padEnd(20)} ${totalRows.toLocaleString('en').padStart(11)} ${`${(summary.totalMs / 1000).toFixed(1)} s`.padStart(11)}`);
  const { shape } = summary;
  console.log(`\nengine: ${engine}; seed "${summary.options.seed}"`);
  if (summary.databaseBytes !== undefined) console.log(`database size (pg_database_size): ${mib(summary.databaseBytes)}`);
  if (disk.database !== undefined) console.log(`PGlite data directory: ${mib(disk.database)}`);
  if (disk.media !== undefined) console.log(`media directory: ${mib(disk.media)}`);
  console.log(`images ${summary.imagesReused ? 'reused' : 'generated'}: ${summary.rows.images ?? 0}`);
  console.log(`held-out saves: ${summary.heldOut}; saves that found no free pin: ${summary.skippedSaves}`);
  console.log(
    `shape: top 1% of pins hold ${(shape.topOnePercentSaveShare * 100).toFixed(1)}% of saves; ` +
      `${(shape.inTopicFollowShare * 100).toFixed(1)}% of follows share a topic (random pairs: ` +
      `${(shape.randomPairTopicShare * 100).toFixed(1)}%); ${(shape.secretBoardShare * 100).toFixed(1)}% of boards secret; ` +
      `most-followed user: ${shape.maxFollowers} followers; median following: ${shape.medianFollowing}`,
  );
}

async function main(): Promise<void> {
  const args = parse(process.argv.slice(2));
  if (args.help) {
    console.log(USAGE);
    return;
  }
  // Refuse bad options before touching the database.
  resolveDatasetOptions(args.options);
  const config = loadConfig();
  const handle = await openDatabase({ databaseUrl: config.databaseUrl, dataDir: config.pgliteDir });
  const reporter = progressReporter();
  let summary: DatasetSummary;
  let copy: CopyConnection | undefined;
  try {
    await migrateToLatest(handle.db);
    // PostgreSQL loads through COPY on a connection of its own; the embedded database through INSERTs.
    if (config.databaseUrl) copy = await openCopyConnection(config.databaseUrl);
    summary = await generateDataset(
      handle.db,
      { ...args.options, storage: new LocalBlobStorage(path.join(config.dataDir, 'media')), copy },
      { onProgress: reporter.onProgress },
    );
    reporter.stop();
    if (args.verify) {
      const wrong = Object.entries(await counterMismatches(handle.db)).filter(([, rows]) => rows > 0);
      console.log(wrong.length === 0 ? 'counters: all exact' : `counters WRONG: ${JSON.stringify(Object.fromEntries(wrong))}`);
      if (wrong.length > 0) process.exitCode = 1;
    }
  } finally {
    reporter.stop();
    await copy?.close();
    await handle.close();
  }
  const mediaDir = path.join(config.dataDir, 'media');
  const disk: DiskUse = {
    database: handle.engine === 'pglite' ? await directorySize(config.pgliteDir).catch(() => undefined) : undefined,
    media: await directorySize(mediaDir).catch(() => undefined),
  };
  printSummary(summary, handle.engine === 'pglite' ? `PGlite (${config.pgliteDir})` : 'PostgreSQL', disk);
  if (args.options.holdoutFile) console.log(`held-out saves written to ${args.options.holdoutFile}`);
}

main().catch((error: unknown) => {
  if (error instanceof DataDirLockedError) {
    console.error(
      `dataset: ${error.message}\nThe generator writes straight into the embedded database, so it cannot run while ` +
        'the Corkboard server has it open. Stop the server, run the generator, then start the server again ' +
        '(or set DATABASE_URL to load into PostgreSQL).',
    );
  } else if (error instanceof ConfigError || error instanceof DatasetOptionsError || error instanceof DatabaseNotEmptyError) {
    console.error(`dataset: ${error.message}`);
  } else if ((error as NodeJS.ErrnoException | null)?.code?.startsWith('ERR_PARSE_ARGS')) {
    console.error(`dataset: ${(error as Error).message}\n\n${USAGE}`);
  } else {
    console.error(error);
  }
  process.exit(1);
});
