// Job counters and durations for /metrics, shared by both queue implementations.
import { Counter, Histogram, type Registry } from 'prom-client';

export class JobMetrics {
  readonly enqueued: Counter<'name'>;
  private readonly finished: Counter<'name' | 'outcome'>;
  private readonly duration: Histogram<'name'>;

  constructor(registry: Registry) {
    this.enqueued = new Counter({ name: 'corkboard_jobs_enqueued_total', help: 'Jobs enqueued, by job name.', labelNames: ['name'], registers: [registry] });
    this.finished = new Counter({
      name: 'corkboard_jobs_finished_total',
      help: 'Job runs by outcome: completed, failed (will retry) or dead (out of attempts).',
      labelNames: ['name', 'outcome'],
      registers: [registry],
    });
    this.duration = new Histogram({
      name: 'corkboard_job_duration_seconds',
      help: 'Time a job run took.',
      labelNames: ['name'],
      buckets: [0.001, 0.005, 0.02, 0.1, 0.5, 2, 10],
      registers: [registry],
    });
  }

  observe(name: string, outcome: 'completed' | 'failed' | 'dead', seconds: number): void {
    this.finished.inc({ name, outcome });
    this.duration.observe({ name }, seconds);
  }
}
