// The related-pins graph in /metrics: its size and memory, how long builds take, walk time and
// steps, and how far behind the commits the graph is (the freshness lag of each applied change).
import { Counter, Gauge, Histogram, type Registry } from 'prom-client';
import type { LoggedChange } from '../platform/changes/change.js';
import type { GraphStats } from './graph-loader.js';

export class PinBoardGraphMetrics {
  private readonly nodes: Gauge<'kind'>;
  private readonly edges: Gauge;
  private readonly bytes: Gauge;
  private readonly overlay: Gauge;
  private readonly builds: Histogram;
  private readonly walks: Histogram;
  private readonly steps: Counter;
  private readonly lag: Histogram;
  /** Plain tallies as well, so benchmarks read them without parsing /metrics. */
  readonly tally = { walks: 0, steps: 0, walkSeconds: 0, changes: 0, lagSecondsSum: 0, lagSecondsMax: 0 };

  constructor(registry: Registry) {
    this.nodes = new Gauge({
      name: 'corkboard_related_graph_nodes',
      help: 'Nodes of the related-pins graph at its last build, by kind (pin, board).',
      labelNames: ['kind'],
      registers: [registry],
    });
    this.edges = new Gauge({ name: 'corkboard_related_graph_edges', help: 'Pin-board edges of the related-pins graph at its last build (after pruning).', registers: [registry] });
    this.bytes = new Gauge({ name: 'corkboard_related_graph_bytes', help: 'Memory of the related-pins graph snapshot and id tables at its last build.', registers: [registry] });
    this.overlay = new Gauge({ name: 'corkboard_related_graph_overlay_nodes', help: 'Nodes changed since the last build (folded in by the next rebuild).', registers: [registry] });
    this.builds = new Histogram({
      name: 'corkboard_related_graph_build_seconds',
      help: 'Time to build the related-pins graph from the database.',
      buckets: [0.1, 0.5, 1, 5, 15, 30, 60, 120, 300],
      registers: [registry],
    });
    this.walks = new Histogram({
      name: 'corkboard_related_walk_seconds',
      help: 'Time of one random-walk request (queue wait in the worker pool included).',
      buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 1],
      registers: [registry],
    });
    this.steps = new Counter({ name: 'corkboard_related_walk_steps_total', help: 'Random-walk steps taken.', registers: [registry] });
    this.lag = new Histogram({
      name: 'corkboard_related_graph_lag_seconds',
      help: 'Time from a change (its transaction start) to the related-pins graph applying it.',
      buckets: [0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30],
      registers: [registry],
    });
  }

  built(stats: GraphStats): void {
    this.nodes.set({ kind: 'pin' }, stats.pins);
    this.nodes.set({ kind: 'board' }, stats.boards);
    this.edges.set(stats.edges);
    this.bytes.set(stats.bytes);
    this.overlay.set(0);
    this.builds.observe(stats.buildMs / 1000);
  }

  walked(steps: number, seconds: number): void {
    this.tally.walks += 1;
    this.tally.steps += steps;
    this.tally.walkSeconds += seconds;
    this.steps.inc(steps);
    this.walks.observe(seconds);
  }

  applied(changes: readonly LoggedChange[], overlayNodes: number): void {
    const now = Date.now();
    for (const change of changes) {
      const seconds = Math.max(0, (now - new Date(change.at).getTime()) / 1000);
      this.tally.changes += 1;
      this.tally.lagSecondsSum += seconds;
      this.tally.lagSecondsMax = Math.max(this.tally.lagSecondsMax, seconds);
      this.lag.observe(seconds);
    }
    this.overlay.set(overlayNodes);
  }
}
