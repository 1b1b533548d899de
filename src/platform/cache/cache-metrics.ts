// Hit ratio and latency of the cache for /metrics: corkboard_cache_requests_total{tier, outcome}
// (hit ratio = hits / all, per tier) and corkboard_cache_load_seconds (database loads on a miss).
import { Counter, Histogram, type Registry } from 'prom-client';

export type CacheOutcome = 'local_hit' | 'remote_hit' | 'miss' | 'remote_error';

export class CacheMetrics {
  private readonly requests: Counter<'namespace' | 'outcome'>;
  private readonly loads: Histogram<'namespace'>;
  private readonly invalidations: Counter<'source'>;
  /** Plain tallies as well, so benchmarks read the hit ratio without parsing /metrics. */
  readonly tally: Record<CacheOutcome, number> = { local_hit: 0, remote_hit: 0, miss: 0, remote_error: 0 };
  /**
   * Reads counted since the last scrape, by namespace: a read adds one to a number, and the counter
   * takes them at scrape time (a labelled counter's inc per read, several per request, cost more than
   * the read it counted).
   */
  private readonly unscraped = new Map<string, Record<CacheOutcome, number>>();

  constructor(registry: Registry) {
    const unscraped = this.unscraped;
    this.requests = new Counter({
      name: 'corkboard_cache_requests_total',
      help: 'Cache reads by namespace and outcome: local_hit (in-process), remote_hit (Redis), miss (loaded from the database), remote_error (Redis unreachable, loaded from the database).',
      labelNames: ['namespace', 'outcome'],
      registers: [registry],
      collect() {
        for (const [namespace, counts] of unscraped) {
          for (const outcome of Object.keys(counts) as CacheOutcome[]) {
            if (counts[outcome] > 0) this.inc({ namespace, outcome }, counts[outcome]);
            counts[outcome] = 0;
          }
        }
      },
    });
    this.loads = new Histogram({
      name: 'corkboard_cache_load_seconds',
      help: 'Time to load a missing cache entry from the database (one load per key however many readers wait for it).',
      labelNames: ['namespace'],
      buckets: [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.5],
      registers: [registry],
    });
    this.invalidations = new Counter({
      name: 'corkboard_cache_invalidations_total',
      help: 'Cache keys dropped, by source: local (a write in this process) or remote (a message from another process).',
      labelNames: ['source'],
      registers: [registry],
    });
  }

  read(namespace: string, outcome: CacheOutcome): void {
    this.tally[outcome] += 1;
    let counts = this.unscraped.get(namespace);
    if (!counts) {
      counts = { local_hit: 0, remote_hit: 0, miss: 0, remote_error: 0 };
      this.unscraped.set(namespace, counts);
    }
    counts[outcome] += 1;
  }

  loaded(namespace: string, seconds: number): void {
    this.loads.observe({ namespace }, seconds);
  }

  invalidated(source: 'local' | 'remote', count: number): void {
    this.invalidations.inc({ source }, count);
  }
}
