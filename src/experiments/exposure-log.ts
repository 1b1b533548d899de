// Logging exposures ("activate"): the first time a user is shown a variation. Product code calls
// record() through ExperimentService.variationFor; reads that only look (evaluate, peek) never do.
//
// BatchedExposureLog appends exposure events to experiment_exposure_events; a durable log reader in
// the worker keeps experiment_exposures from them (exposure-pipeline.ts). record() resolves once the
// event is committed (durable), concurrent records share one INSERT of up to `maxBatch` rows, and a
// per-process memory of recent (experiment, user) pairs means repeated reads by the same user cost
// no database work at all. Across processes (and after a restart) the same pair may be logged again;
// the reader keeps one row per pair. A failed write forgets the pairs, so the next read retries.
import { LRUCache } from 'lru-cache';
import type { Exposure, ExposureRepository } from './exposure.repository.js';

export type { Exposure } from './exposure.repository.js';

export interface ExposureLog {
  /** Records a user's first exposure; resolves once it is stored (or known to be). */
  record(exposure: Exposure): Promise<void>;
  /** Writes whatever is pending. */
  flush(): Promise<void>;
}

export interface BatchedExposureLogOptions {
  /** How many (experiment, user) pairs to remember per process; older ones may be written again (harmlessly). */
  rememberPairs?: number;
  maxBatch?: number;
}

interface Pending {
  exposure: Exposure;
  pair: string;
  resolve: () => void;
  reject: (error: unknown) => void;
}

export class BatchedExposureLog implements ExposureLog {
  private readonly seen: LRUCache<string, true>;
  private readonly inFlight = new Map<string, Promise<void>>();
  private queue: Pending[] = [];
  private writing: Promise<void> | null = null;
  private scheduled = false;
  private readonly maxBatch: number;
  /** Statements sent, for tests and metrics. */
  statements = 0;

  constructor(
    private readonly exposures: Pick<ExposureRepository, 'appendEvents'>,
    options: BatchedExposureLogOptions = {},
  ) {
    this.seen = new LRUCache({ max: options.rememberPairs ?? 200_000 });
    this.maxBatch = options.maxBatch ?? 1000;
  }

  record(exposure: Exposure): Promise<void> {
    const pair = `${exposure.experimentId}:${exposure.userId}`;
    if (this.seen.has(pair)) return Promise.resolve();
    const pending = this.inFlight.get(pair);
    if (pending) return pending;
    const promise = new Promise<void>((resolve, reject) => {
      this.queue.push({ exposure, pair, resolve, reject });
    }).finally(() => this.inFlight.delete(pair));
    this.inFlight.set(pair, promise);
    this.kick();
    return promise;
  }

  async flush(): Promise<void> {
    while (this.writing || this.queue.length > 0) {
      if (!this.writing) this.writeNext();
      await this.writing?.catch(() => undefined);
    }
  }

  /** Schedules a write for the next turn of the event loop, so records made together share it. */
  private kick(): void {
    if (this.writing || this.scheduled || this.queue.length === 0) return;
    this.scheduled = true;
    setImmediate(() => {
      this.scheduled = false;
      if (!this.writing) this.writeNext();
    });
  }

  /** Writes the next batch; records arriving meanwhile wait for the following one. */
  private writeNext(): void {
    const batch = this.queue.splice(0, this.maxBatch);
    if (batch.length === 0) return;
    this.statements += 1;
    this.writing = this.exposures
      .appendEvents(batch.map((item) => item.exposure))
      .then(
        () => {
          for (const item of batch) {
            this.seen.set(item.pair, true);
            item.resolve();
          }
        },
        (error: unknown) => {
          for (const item of batch) item.reject(error);
        },
      )
      .finally(() => {
        this.writing = null;
        this.kick();
      });
  }
}
