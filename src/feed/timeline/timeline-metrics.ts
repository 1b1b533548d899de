// Timeline and fan-out counters for /metrics.
import { Counter, type Registry } from 'prom-client';

export type TimelineReadSource = 'store' | 'rebuild' | 'database_fallback';

export class TimelineMetrics {
  private readonly reads: Counter<'source'>;
  readonly deliveries: Counter;
  readonly removals: Counter;

  constructor(registry: Registry) {
    this.reads = new Counter({
      name: 'corkboard_timeline_reads_total',
      help: 'Following-timeline reads by where they were answered from: the stored timeline, a rebuild, or the database while the store is unreachable.',
      labelNames: ['source'],
      registers: [registry],
    });
    this.deliveries = new Counter({
      name: 'corkboard_fanout_deliveries_total',
      help: 'Pins added to stored following timelines by fan-out (one per pin and timeline).',
      registers: [registry],
    });
    this.removals = new Counter({
      name: 'corkboard_fanout_removal_targets_total',
      help: 'Timelines a removal (unfollow, delete, move, board no longer public) was applied to.',
      registers: [registry],
    });
  }

  read(source: TimelineReadSource): void {
    this.reads.inc({ source });
  }
}
