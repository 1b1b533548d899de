// Prepares the database the server will run on: generates the dataset (unless --reuse), counts what
// each table holds, picks the scenarios' targets and mints their tokens. Everything here happens in
// the bench process BEFORE the server starts, and the database is closed again afterwards: an
// embedded PGlite data directory can be open in one process at a time.
import path from 'node:path';
import { sql } from 'kysely';
import { loadConfig } from '../src/config.js';
import { createContainer, type Container } from '../src/container.js';
import { generateDataset, type PhaseTiming, type ProgressEvent } from '../src/dataset/generate.js';
import { DatabaseNotEmptyError } from '../src/dataset/loader.js';
import { LocalBlobStorage } from '../src/platform/storage/local-blob-storage.js';
import { BenchUsageError, type BenchOptions } from './options.js';
import { collectTargets, type BenchTargets } from './targets.js';

/** The tables a report lists, with the number of rows in each. */
export const COUNTED_TABLES = [
  'users',
  'boards',
  'board_sections',
  'board_collaborators',
  'images',
  'pins',
  'user_follows',
  'board_follows',
  'oauth_tokens',
] as const;

const ENGINE_SETTINGS = ['shared_buffers', 'work_mem', 'synchronous_commit', 'jit'] as const;

export interface DatasetLoad {
  totalMs: number;
  phases: PhaseTiming[];
  databaseBytes: number | undefined;
}

export interface PreparedDatabase {
  engine: 'pglite' | 'postgres';
  /** The server_version setting, e.g. "15.20". */
  serverVersion: string;
  /** Settings that shape the figures (memory, commit durability, JIT). */
  settings: Record<string, string>;
  /** Rows per table when the benchmark started (before its own writes). */
  rows: Record<string, number>;
  /** Of the pins: original pins and saves (rows with a parent). */
  pinKinds: { originals: number; saves: number };
  /** How generating the dataset went; null with --reuse. */
  load: DatasetLoad | null;
  seed: string;
  targets: BenchTargets;
}

export interface DatabaseLocation {
  dataDir: string;
  databaseUrl: string | undefined;
}

function progressLogger(): (event: ProgressEvent) => void {
  let phase = '';
  let quarter = -1;
  const started = performance.now();
  return (event) => {
    const reached = event.total === 0 ? 0 : Math.floor((event.done / event.total) * 4);
    if (event.phase === phase && reached <= quarter) return;
    phase = event.phase;
    quarter = reached;
    const elapsed = ((performance.now() - started) / 1000).toFixed(0).padStart(5);
    console.log(`  [${elapsed} s] ${event.phase}${event.total === 0 ? '' : ` ${event.done}/${event.total}`}`);
  };
}

async function countRows(container: Container): Promise<Record<string, number>> {
  const counts: Record<string, number> = {};
  for (const table of COUNTED_TABLES) {
    const result = await sql<{ n: number }>`SELECT count(*)::int AS n FROM ${sql.table(table)}`.execute(container.db);
    counts[table] = result.rows[0]?.n ?? 0;
  }
  return counts;
}

async function countPinKinds(container: Container): Promise<{ originals: number; saves: number }> {
  const result = await sql<{ originals: number; saves: number }>`
    SELECT count(*) FILTER (WHERE parent_pin_id IS NULL)::int AS originals,
           count(*) FILTER (WHERE parent_pin_id IS NOT NULL)::int AS saves
    FROM pins`.execute(container.db);
  return result.rows[0] ?? { originals: 0, saves: 0 };
}

export async function prepareDatabase(options: BenchOptions, location: DatabaseLocation): Promise<PreparedDatabase> {
  const config = loadConfig({
    ...process.env,
    DATA_DIR: location.dataDir,
    DATABASE_URL: location.databaseUrl ?? '',
    LOG_LEVEL: 'warn',
  });
  const container = await createContainer(config);
  const engine = container.database.engine;
  try {
    let load: DatasetLoad | null = null;
    const { dataset } = options;
    let seed = dataset.seed ?? 'corkboard';
    if (options.reuse) {
      const users = await sql<{ n: number }>`SELECT count(*)::int AS n FROM users`.execute(container.db);
      if ((users.rows[0]?.n ?? 0) === 0) throw new BenchUsageError('--reuse: the database is empty; run without --reuse to generate the dataset');
      console.log('Reusing the dataset already in the database.');
    } else {
      console.log(`Generating the ${dataset.label} dataset (${engine})...`);
      try {
        const summary = await generateDataset(
          container.db,
          {
            size: dataset.size,
            users: dataset.users,
            pins: dataset.pins,
            saves: dataset.saves,
            images: dataset.images,
            seed: dataset.seed,
            reset: options.reset,
            reuseImages: true,
            storage: new LocalBlobStorage(path.join(location.dataDir, 'media')),
          },
          { onProgress: progressLogger() },
        );
        seed = summary.options.seed;
        load = { totalMs: summary.totalMs, phases: summary.phases, databaseBytes: summary.databaseBytes };
        console.log(`Dataset loaded in ${(summary.totalMs / 1000).toFixed(1)} s.`);
      } catch (error) {
        if (error instanceof DatabaseNotEmptyError) {
          throw new BenchUsageError(
            `the database already holds ${error.users} users. Pass --reuse to benchmark what it holds, or --reset to replace it with the dataset.`,
          );
        }
        throw error;
      }
    }
    const version = await sql<{ server_version: string }>`SHOW server_version`.execute(container.db);
    const serverVersion = version.rows[0]?.server_version ?? 'unknown';
    const settings: Record<string, string> = {};
    for (const name of ENGINE_SETTINGS) {
      const shown = await sql<Record<string, string>>`SHOW ${sql.raw(name)}`.execute(container.db);
      settings[name] = Object.values(shown.rows[0] ?? {})[0] ?? 'unknown';
    }
    const rows = await countRows(container);
    const pinKinds = await countPinKinds(container);
    const targets = await collectTargets(container, seed);
    return { engine, serverVersion, settings, rows, pinKinds, load, seed, targets };
  } finally {
    await container.close();
  }
}
