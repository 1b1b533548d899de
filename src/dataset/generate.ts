// generateDataset: plan a dataset, draw its images, bulk-load every table, and report what it did.
// Counters are computed in memory while planning and written with the rows, so no UPDATE pass runs
// after loading (verify-counters.ts holds the SQL that checks them). Each table loads in one
// transaction (see loader.ts): a failed run leaves the tables it had not finished empty.
import fs from 'node:fs/promises';
import path from 'node:path';
import { PasswordHasher } from '../auth/password-hasher.js';
import type { Db } from '../platform/db/database.js';
import type { BlobStorage } from '../platform/storage/blob-storage.js';
import { renderImages } from './images.js';
import { analyzeTables, countUsers, databaseSize, DatabaseNotEmptyError, loadTable, markUnreferencedImages, resetTables } from './loader.js';
import { resolveDatasetOptions, type DatasetOptions, type DatasetOptionsInput } from './options.js';
import { planDataset } from './plan.js';
import { measureShape, type DatasetShape } from './plan-stats.js';
import type { DatasetPlan } from './plan-types.js';
import { planIds, tableSources } from './rows.js';
import { newImageCapability } from '../media/image-capability.js';
import type { CopyConnection } from './copy-connection.js';

export const DEFAULT_DATASET_PASSWORD = 'corkboard-dataset';

export interface GenerateOptions extends DatasetOptionsInput {
  /** Where images go (LocalBlobStorage under `${DATA_DIR}/media` for the server to serve them). */
  storage: BlobStorage;
  /** Empty the dataset's tables first; without it a database that has users is refused. */
  reset?: boolean;
  reuseImages?: boolean;
  /** Write the held-out saves here as JSON lines. */
  holdoutFile?: string;
  /** The password every generated account shares. */
  password?: string;
  batchRows?: number;
  imageConcurrency?: number;
  /** On PostgreSQL: load the tables with COPY on this connection (openCopyConnection) rather than INSERT batches. */
  copy?: CopyConnection;
}

export interface ProgressEvent {
  phase: string;
  done: number;
  total: number;
}

export interface GenerateHooks {
  onProgress?: (event: ProgressEvent) => void;
}

export interface PhaseTiming {
  phase: string;
  rows: number;
  ms: number;
}

export interface DatasetSummary {
  options: DatasetOptions;
  rows: Record<string, number>;
  phases: PhaseTiming[];
  totalMs: number;
  /** pg_database_size() after loading. */
  databaseBytes: number | undefined;
  heldOut: number;
  skippedSaves: number;
  imagesReused: boolean;
  shape: DatasetShape;
}

/** The held-out saves as the lines of the holdout file. */
export function heldOutLines(plan: DatasetPlan): string[] {
  const ids = planIds(plan);
  return plan.heldOut.map((save) =>
    JSON.stringify({
      user_id: ids.user(save.user),
      saved_pin_id: ids.pin(save.sourcePin),
      board_id: ids.board(save.board),
      created_at: new Date(save.createdAt).toISOString(),
    }),
  );
}

export async function generateDataset(db: Db, input: GenerateOptions, hooks: GenerateHooks = {}): Promise<DatasetSummary> {
  const options = resolveDatasetOptions(input);
  const progress = hooks.onProgress ?? (() => undefined);
  const phases: PhaseTiming[] = [];
  const began = performance.now();
  const timed = async <T>(phase: string, rows: number, run: () => Promise<T> | T): Promise<T> => {
    const start = performance.now();
    progress({ phase, done: 0, total: rows });
    const result = await run();
    phases.push({ phase, rows, ms: performance.now() - start });
    return result;
  };

  const existing = await countUsers(db);
  if (existing > 0 && !input.reset) throw new DatabaseNotEmptyError(existing);
  if (input.reset) await timed('reset', 0, () => resetTables(db));

  const plan = await timed('plan', 0, () =>
    planDataset(options, (step) => progress({ phase: `plan: ${step}`, done: 0, total: 0 })),
  );
  const images = await timed('draw images', plan.images.count, () =>
    renderImages(plan.images, {
      storage: input.storage,
      seed: options.seed,
      reuse: input.reuseImages ?? false,
      concurrency: input.imageConcurrency,
      onProgress: (done, total) => progress({ phase: 'draw images', done, total }),
    }),
  );
  const passwordHash = await new PasswordHasher().hash(input.password ?? DEFAULT_DATASET_PASSWORD);
  // Drawn once per load from the CSPRNG: URLs of generated images are as unguessable as any.
  const capabilities = Array.from({ length: plan.images.count }, () => newImageCapability());
  const context = {
    passwordHash,
    imageCapability: (index: number) => {
      const capability = capabilities[index];
      if (capability === undefined) throw new RangeError(`no image ${index}`);
      return capability;
    },
    image: (index: number) => {
      const facts = images.facts[index];
      if (!facts) throw new RangeError(`no image ${index}`);
      return facts;
    },
  };

  const rows: Record<string, number> = {};
  for (const source of tableSources(plan, context)) {
    rows[source.table] = source.count;
    await timed(source.table, source.count, () =>
      loadTable(db, source, {
        batchRows: input.batchRows,
        copy: input.copy,
        onRows: (done) => progress({ phase: source.table, done, total: source.count }),
        onIndexing: () => progress({ phase: `${source.table}: indexes`, done: 0, total: 0 }),
      }),
    );
  }
  await timed('unreferenced images', 0, () => markUnreferencedImages(db));
  await timed('analyze', 0, () => analyzeTables(db));

  if (input.holdoutFile) {
    const file = input.holdoutFile;
    const lines = heldOutLines(plan);
    await fs.mkdir(path.dirname(path.resolve(file)), { recursive: true });
    await fs.writeFile(file, lines.length > 0 ? `${lines.join('\n')}\n` : '');
  }

  return {
    options,
    rows,
    phases,
    totalMs: performance.now() - began,
    databaseBytes: await databaseSize(db),
    heldOut: plan.heldOut.length,
    skippedSaves: plan.skippedSaves,
    imagesReused: images.reused,
    shape: measureShape(plan),
  };
}
