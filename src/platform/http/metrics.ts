// Prometheus metrics: request counts and latency histograms labelled by route pattern (never the raw
// URL, which would explode label cardinality), plus Node's default process metrics.
import type { FastifyInstance } from 'fastify';
import { Counter, Histogram, Registry, collectDefaultMetrics } from 'prom-client';

export class HttpMetrics {
  readonly registry = new Registry();
  readonly requests: Counter<'method' | 'route' | 'status'>;
  readonly duration: Histogram<'method' | 'route' | 'status'>;

  constructor() {
    collectDefaultMetrics({ register: this.registry });
    this.requests = new Counter({
      name: 'http_requests_total',
      help: 'HTTP requests by method, route pattern and status',
      labelNames: ['method', 'route', 'status'],
      registers: [this.registry],
    });
    this.duration = new Histogram({
      name: 'http_request_duration_seconds',
      help: 'HTTP request latency by method, route pattern and status',
      labelNames: ['method', 'route', 'status'],
      buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
      registers: [this.registry],
    });
  }
}

interface BoundSeries {
  requests: { inc(): void };
  duration: { observe(value: number): void };
}

export function registerHttpMetrics(app: FastifyInstance, metrics: HttpMetrics): void {
  // One pair of series per method, route pattern and status, bound once: a request then adds to it
  // without building and hashing a label object.
  const bound = new Map<string, BoundSeries>();
  app.addHook('onResponse', (request, reply, done) => {
    const route = request.routeOptions.url ?? 'unmatched';
    const key = `${request.method} ${reply.statusCode} ${route}`;
    let series = bound.get(key);
    if (!series) {
      const labels = { method: request.method, route, status: String(reply.statusCode) };
      series = { requests: metrics.requests.labels(labels), duration: metrics.duration.labels(labels) };
      bound.set(key, series);
    }
    series.requests.inc();
    series.duration.observe(reply.elapsedTime / 1000);
    done();
  });
}
