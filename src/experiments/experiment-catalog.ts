// Every API process keeps the running experiments in memory, compiled for the engine, and notices
// changes made by any process by polling the configuration version (one indexed single-row read)
// every `refreshMs` (EXPERIMENTS_REFRESH_MS, default 1 s). A change therefore reaches every process
// within refreshMs plus one reload, without a restart; the process that made the change reloads at
// once (refresh()), so its own next request already sees it. If the database cannot be read, the
// last loaded experiments keep serving.
import { afterCommit } from '../platform/db/unit-of-work.js';
import type { Experiment } from './engine/types.js';
import { toEngineExperiment, type ExperimentDefinition } from './experiment.model.js';
import type { ExperimentRepository, RunningSnapshot } from './experiment.repository.js';

export interface CompiledExperiment {
  definition: ExperimentDefinition;
  engine: Experiment<unknown>;
}

export interface CatalogSnapshot {
  version: string;
  /** Running experiments by key. */
  byKey: ReadonlyMap<string, CompiledExperiment>;
  /** The same, in key order (the order of evaluate's answer). */
  list: readonly CompiledExperiment[];
  /** User id -> {experiment key: forced variation index}, for QA accounts. */
  forcedByUser: ReadonlyMap<string, Readonly<Record<string, number>>>;
  loadedAt: Date;
}

export interface CatalogLogger {
  warn(object: object, message: string): void;
}

export interface ExperimentCatalogDeps {
  experiments: Pick<ExperimentRepository, 'currentVersion' | 'runningSnapshot'>;
  refreshMs: number;
  logger?: CatalogLogger;
}

export function compileSnapshot(snapshot: RunningSnapshot): CatalogSnapshot {
  const list = snapshot.experiments.map((definition) => ({ definition, engine: toEngineExperiment(definition) }));
  const forcedByUser = new Map<string, Record<string, number>>();
  for (const { definition } of list) {
    for (const [userId, index] of Object.entries(definition.forcedVariations)) {
      const forced = forcedByUser.get(userId) ?? {};
      forced[definition.key] = index;
      forcedByUser.set(userId, forced);
    }
  }
  return { version: snapshot.version, byKey: new Map(list.map((item) => [item.definition.key, item])), list, forcedByUser, loadedAt: new Date() };
}

export class ExperimentCatalog {
  private snapshot: CatalogSnapshot | null = null;
  private loading: Promise<void> | null = null;
  /** Refresh calls made, and the latest one a finished reload covers. */
  private requested = 0;
  private covered = 0;
  private timer: NodeJS.Timeout | undefined;
  private stopped = true;
  private failing = false;

  constructor(private readonly deps: ExperimentCatalogDeps) {}

  /** The running experiments, loading them first if this process has not yet. */
  async current(): Promise<CatalogSnapshot> {
    if (!this.snapshot) await this.reload();
    return this.snapshot!;
  }

  /**
   * Reloads now. A reload that starts after this call covers it, so concurrent callers share
   * reloads, and a write committed before the call is always included once this resolves.
   */
  async refresh(): Promise<void> {
    // In a request's unit of work the write is not committed yet: reloading now would share it with
    // every request before it is (or if it never is). Reload once it has committed, before the answer.
    await afterCommit(() => this.reload());
  }

  private async reload(): Promise<void> {
    const ticket = ++this.requested;
    while (this.covered < ticket) {
      if (!this.loading) {
        const covers = this.requested;
        this.loading = this.deps.experiments
          .runningSnapshot()
          .then((snapshot) => {
            this.snapshot = compileSnapshot(snapshot);
            this.covered = Math.max(this.covered, covers);
          })
          .finally(() => {
            this.loading = null;
          });
      }
      await this.loading;
    }
  }

  /** Starts polling the configuration version. */
  start(): void {
    if (!this.stopped) return;
    this.stopped = false;
    this.schedule();
  }

  stop(): void {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
  }

  /** One poll: reload when the version moved (or nothing is loaded yet). */
  async poll(): Promise<void> {
    const version = await this.deps.experiments.currentVersion();
    if (!this.snapshot || version !== this.snapshot.version) await this.reload();
  }

  private schedule(): void {
    if (this.stopped) return;
    this.timer = setTimeout(() => {
      this.poll().then(
        () => {
          this.failing = false;
        },
        (error: unknown) => {
          // Keep serving what was loaded; say so once per outage, not every second.
          if (!this.failing && !this.stopped) this.deps.logger?.warn({ err: error }, 'experiments: could not refresh; serving the last loaded definitions');
          this.failing = true;
        },
      ).finally(() => this.schedule());
    }, this.deps.refreshMs);
    this.timer.unref();
  }
}
