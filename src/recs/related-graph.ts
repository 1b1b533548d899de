// The related-pins graph of one process: built from the database when the process starts, kept
// fresh from the change stream, and walked by the worker pool.
//
// Freshness is incremental: each batch of changes (pins created, saved, moved, deleted; boards
// turning PUBLIC or not, deleted) becomes GraphOps that the main-thread mirror and every walk worker
// apply in the same order, within one change-log poll of the commit. A rebuild from the database runs
// every `rebuildMs` and swaps in a compact snapshot (the overlay folded in, pruning applied afresh,
// saves of a deleted original re-attached); changes that arrive while it builds are replayed onto it
// before the swap, so none is lost. The old and the new snapshot are both in memory during a rebuild.
import type { Logger } from 'pino';
import type { ChangeStream } from '../platform/changes/change-stream.js';
import type { LoggedChange } from '../platform/changes/change.js';
import type { PruneOptions } from './graph-builder.js';
import { GraphState, translateChanges, type GraphCaps, type GraphLookups } from './graph-changes.js';
import { loadGraph, type GraphStats } from './graph-loader.js';
import type { PinBoardGraphMetrics } from './related-pins.metrics.js';
import type { RecsRepository } from './recs.repository.js';
import type { QueryPin, WalkSettings } from './pixie.js';
import { WalkPool } from './walk-pool.js';

export interface RelatedGraphOptions {
  prune: PruneOptions;
  /** Walk worker threads (0: walks run on the calling thread). */
  workers: number;
  /** Milliseconds between rebuilds (0: never). */
  rebuildMs: number;
  logger?: Pick<Logger, 'info' | 'error'>;
  metrics?: PinBoardGraphMetrics;
}

export interface GraphWalk {
  /** Query pins by v5 id (any pin: saves walk from their original), with weights. */
  queries: ReadonlyArray<{ pinId: string; weight: number }>;
  seed: number;
  limit: number;
  /** Pins never returned, by v5 id (the query pins themselves never are). */
  exclude?: readonly string[];
  settings: WalkSettings;
}

export interface GraphWalkResult {
  /** Original pins, best first. */
  pinIds: string[];
  scores: number[];
  steps: number;
  stoppedEarly: number;
  /** Query pins that are in the graph (a pin on no PUBLIC board is not). */
  queriesInGraph: number;
}

export class RelatedGraph {
  readonly pool: WalkPool;
  private state: GraphState | undefined;
  /** Changes that arrived while a build runs, replayed onto the new graph before it is swapped in. */
  private replay: LoggedChange[] | null = null;
  private building: Promise<void> | undefined;
  private firstBuild: Promise<void> | undefined;
  private serial: Promise<unknown> = Promise.resolve();
  private unsubscribe: (() => void) | undefined;
  private timer: NodeJS.Timeout | undefined;
  private stopped = false;
  private changes = 0;

  constructor(
    private readonly repository: RecsRepository & GraphLookups,
    private readonly options: RelatedGraphOptions,
  ) {
    this.pool = new WalkPool(options.workers);
  }

  get caps(): GraphCaps {
    return { maxBoardPins: this.options.prune.maxBoardPins, maxPinDegree: this.options.prune.maxPinDegree };
  }

  /**
   * Follows `changes` and builds the graph (in the background: start() returns at once). Call it after
   * the change stream has started, so every change committed after the build's reads is delivered.
   */
  start(changes: ChangeStream): void {
    this.stopped = false;
    this.unsubscribe = changes.subscribe('related-pins-graph', (batch) => this.onChanges(batch));
    this.firstBuild = this.rebuild();
    // ready() reports a failed first build; the periodic rebuild tries again.
    this.firstBuild.catch(() => undefined);
    if (this.options.rebuildMs > 0) {
      this.timer = setInterval(() => void this.rebuild().catch(() => undefined), this.options.rebuildMs);
      this.timer.unref();
    }
  }

  /** Resolves once the first graph is in place (rejects when that build failed). */
  async ready(): Promise<void> {
    if (!this.firstBuild) throw new Error('the related-pins graph was not started');
    await this.firstBuild;
    if (!this.state) throw new Error('the related-pins graph could not be built');
  }

  /**
   * Advances whenever what a walk may return can change: each applied batch of changes and each
   * swapped-in rebuild. A walk of one request at one version gives the same ranked list every time,
   * so lists are cached per pin and version (RelatedListCache).
   */
  get version(): number {
    return this.changes;
  }

  get isReady(): boolean {
    return this.state !== undefined;
  }

  get stats(): (GraphStats & { overlayNodes: number }) | undefined {
    return this.state && { ...this.state.loaded.stats, overlayNodes: this.state.mirror.overlaySize };
  }

  /** The current graph's main-thread view (for evaluation tools). */
  get current(): GraphState | undefined {
    return this.state;
  }

  /** Builds a new graph from the database and swaps it in; one build at a time. */
  rebuild(): Promise<void> {
    if (this.building) return this.building;
    this.building = this.build().finally(() => {
      this.building = undefined;
    });
    return this.building;
  }

  /** Whether `pinId` is an original pin the graph knows (a save walks from its original). */
  knowsOriginal(pinId: string): boolean {
    return (this.state?.pins.get(pinId) ?? -1) >= 0;
  }

  async walk(request: GraphWalk): Promise<GraphWalkResult> {
    const state = this.state;
    if (!state) throw new Error('the related-pins graph is not ready');
    const queries: QueryPin[] = [];
    for (const query of request.queries) {
      const pin = state.pins.get(query.pinId);
      if (pin >= 0 && state.mirror.pinDegree(pin) > 0) queries.push({ pin, weight: query.weight });
    }
    if (queries.length === 0) return { pinIds: [], scores: [], steps: 0, stoppedEarly: 0, queriesInGraph: 0 };
    const exclude = (request.exclude ?? []).map((id) => state.pins.get(id)).filter((pin) => pin >= 0);
    const started = performance.now();
    const result = await this.pool.walk({ queries, seed: request.seed, limit: request.limit, exclude, settings: request.settings });
    this.options.metrics?.walked(result.steps, (performance.now() - started) / 1000);
    // Node numbers of the state the walk was sent to: a swap after sending does not renumber them.
    return {
      pinIds: Array.from(result.pins, (pin) => state.pins.idOf(pin)),
      scores: Array.from(result.scores),
      steps: result.steps,
      stoppedEarly: result.stoppedEarly,
      queriesInGraph: queries.length,
    };
  }

  async stop(): Promise<void> {
    this.stopped = true;
    clearInterval(this.timer);
    this.unsubscribe?.();
    await this.building?.catch(() => undefined);
    await this.pool.close();
  }

  private async onChanges(changes: readonly LoggedChange[]): Promise<void> {
    try {
      await this.exclusive(async () => {
        if (this.replay) this.replay.push(...changes);
        const state = this.state;
        if (!state) return;
        const ops = await translateChanges(state, changes, this.repository, this.caps);
        this.pool.apply(ops);
        // After the ops are queued to the workers: a walk sent from now on sees them.
        if (ops.length > 0) this.changes += 1;
        this.options.metrics?.applied(changes, state.mirror.overlaySize);
      });
    } catch (error) {
      // The stream moves on past a failed batch: a rebuild reads everything afresh instead. The
      // main-thread mirror may hold part of the batch already: lists walked before are not reused.
      this.changes += 1;
      this.options.logger?.error({ err: error }, 'related pins: a batch of changes could not be applied; rebuilding');
      void this.rebuild().catch(() => undefined);
    }
  }

  private async build(): Promise<void> {
    if (this.stopped) return;
    this.replay = [];
    try {
      const loaded = await loadGraph(this.repository, this.options.prune);
      if (this.stopped) return;
      await this.exclusive(async () => {
        const next = new GraphState(loaded);
        const ops = await translateChanges(next, this.replay ?? [], this.repository, this.caps);
        this.pool.install(loaded.snapshot, ops);
        this.state = next;
        this.changes += 1;
      });
      const { stats } = loaded;
      this.options.metrics?.built(stats);
      this.options.logger?.info(
        { pins: stats.pins, boards: stats.boards, edges: stats.edges, buildMs: stats.buildMs, bytes: stats.bytes, pruning: stats.pruning },
        'related pins: graph built',
      );
    } catch (error) {
      this.options.logger?.error({ err: error }, 'related pins: graph build failed');
      if (!this.state) throw error;
    } finally {
      this.replay = null;
    }
  }

  /** Runs `work` after every earlier exclusive work (change batches and swaps never interleave). */
  private exclusive<T>(work: () => Promise<T>): Promise<T> {
    const run = this.serial.then(work, work);
    this.serial = run.catch(() => undefined);
    return run;
  }
}
