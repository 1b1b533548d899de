// Runs walks off the main event loop: a pool of worker threads sharing the graph snapshot (the
// SharedArrayBuffers are shared, not copied), each applying the same overlay ops. A walk goes to the
// worker with the fewest walks pending. A worker that dies is replaced and brought up to date; the
// walks it held fail (the caller answers 503 for them). With size 0 walks run inline, on the caller's
// thread (for tools and tests that want no threads).
// Workers start with the first walk (a process that never serves related pins starts no thread), and
// an idle worker does not keep the process alive: it is referenced only while walks are pending.
import { Worker } from 'node:worker_threads';
import { LiveGraph, type GraphOp, type GraphSnapshot } from './pin-board-graph.js';
import { PixieWalker, type WalkRequest, type WalkResult } from './pixie.js';
import type { WorkerReply, WorkerRequest } from './walk-protocol.js';

interface Pending {
  resolve: (result: WalkResult) => void;
  reject: (error: Error) => void;
}

interface PoolWorker {
  worker: Worker;
  pending: Map<number, Pending>;
}

export class WalkPool {
  private readonly workers: PoolWorker[] = [];
  private graph: { snapshot: GraphSnapshot; ops: GraphOp[] } | undefined;
  private inline: PixieWalker | undefined;
  private nextId = 1;
  private closed = false;

  constructor(readonly size: number) {}

  /** Installs a new graph (first build or a rebuild swap): the snapshot plus ops already applied to it. */
  install(snapshot: GraphSnapshot, ops: readonly GraphOp[]): void {
    this.graph = { snapshot, ops: [...ops] };
    if (this.size === 0) {
      const graph = new LiveGraph(snapshot);
      for (const op of ops) graph.apply(op);
      this.inline = new PixieWalker(graph);
      return;
    }
    this.broadcast({ type: 'graph', snapshot, ops: this.graph.ops });
  }

  apply(ops: readonly GraphOp[]): void {
    if (!this.graph || ops.length === 0) return;
    this.graph.ops.push(...ops);
    if (this.inline) for (const op of ops) this.inline.graph.apply(op);
    else this.broadcast({ type: 'ops', ops: [...ops] });
  }

  async walk(request: WalkRequest): Promise<WalkResult> {
    if (this.closed) throw new Error('the walk pool is closed');
    if (!this.graph) throw new Error('no graph installed');
    if (this.inline) return this.inline.recommend(request);
    if (this.workers.length < this.size) this.startWorkers();
    const target = this.workers.reduce((best, candidate) => (candidate.pending.size < best.pending.size ? candidate : best));
    const id = this.nextId++;
    return new Promise<WalkResult>((resolve, reject) => {
      if (target.pending.size === 0) target.worker.ref();
      target.pending.set(id, { resolve, reject });
      target.worker.postMessage({ type: 'walk', id, request } satisfies WorkerRequest);
    });
  }

  /** Starts the workers now rather than with the first walk (a server warming up). */
  startWorkers(): void {
    if (this.size === 0 || this.closed) return;
    while (this.workers.length < this.size) {
      const entry = this.spawn();
      this.workers.push(entry);
      if (this.graph) entry.worker.postMessage({ type: 'graph', snapshot: this.graph.snapshot, ops: this.graph.ops } satisfies WorkerRequest);
    }
  }

  /** Walks waiting for an answer, over all workers. */
  get pendingWalks(): number {
    return this.workers.reduce((sum, entry) => sum + entry.pending.size, 0);
  }

  async close(): Promise<void> {
    this.closed = true;
    const workers = this.workers.splice(0);
    for (const entry of workers) failAll(entry, new Error('the walk pool is closed'));
    await Promise.all(workers.map((entry) => entry.worker.terminate()));
  }

  private broadcast(message: WorkerRequest): void {
    for (const entry of this.workers) entry.worker.postMessage(message);
  }

  private spawn(): PoolWorker {
    const entry: PoolWorker = {
      worker: new Worker(BOOT, { eval: true, workerData: workerEntry() }),
      pending: new Map(),
    };
    entry.worker.unref();
    entry.worker.on('message', (reply: WorkerReply) => {
      const pending = entry.pending.get(reply.id);
      if (!pending) return;
      entry.pending.delete(reply.id);
      if (entry.pending.size === 0) entry.worker.unref();
      if (reply.type === 'result') pending.resolve(reply.result);
      else pending.reject(new Error(reply.message));
    });
    const replace = (error: Error) => {
      failAll(entry, error);
      const at = this.workers.indexOf(entry);
      if (at < 0 || this.closed) return;
      const fresh = this.spawn();
      this.workers[at] = fresh;
      if (this.graph) fresh.worker.postMessage({ type: 'graph', snapshot: this.graph.snapshot, ops: this.graph.ops } satisfies WorkerRequest);
    };
    entry.worker.on('error', replace);
    entry.worker.on('exit', (code) => replace(new Error(`walk worker exited with code ${code}`)));
    return entry;
  }
}

function failAll(entry: PoolWorker, error: Error): void {
  for (const pending of entry.pending.values()) pending.reject(error);
  entry.pending.clear();
}

/**
 * The worker's entry. A worker thread does not always have the parent's TypeScript loader (vitest
 * loads sources its own way), so when running from TypeScript sources the thread registers tsx's ESM
 * loader before importing walk-worker.ts; a built copy imports walk-worker.js directly.
 */
const BOOT = `
const { workerData } = require('node:worker_threads');
(async () => {
  if (workerData.tsx) (await import(workerData.tsx)).register();
  await import(workerData.entry);
})();
`;

function workerEntry(): { entry: string; tsx: string | null } {
  const fromSource = import.meta.url.endsWith('.ts');
  const entry = new URL(fromSource ? './walk-worker.ts' : './walk-worker.js', import.meta.url).href;
  // import.meta.resolve applies the "import" export condition: tsx's ESM API, which registers hooks.
  const tsx = fromSource ? import.meta.resolve('tsx/esm/api') : null;
  return { entry, tsx };
}
