// Operator endpoints: liveness, readiness (readiness.ts: the database answers; Redis is reported),
// Prometheus metrics and our own OpenAPI document generated from the route schemas.
import type { FastifyInstance } from 'fastify';
import type { HttpMetrics } from '../platform/http/metrics.js';
import { checkReadiness, type Dependency } from './readiness.js';

export interface OpsDeps {
  /** What readiness checks: the database (required) and Redis when configured. */
  dependencies: readonly Dependency[];
  metrics: HttpMetrics;
  isShuttingDown: () => boolean;
}

export async function opsRoutes(app: FastifyInstance, deps: OpsDeps): Promise<void> {
  const hidden = { schema: { hide: true } };
  // Probes and scrapers poll these from a few addresses; they must never be refused.
  const probe = { ...hidden, config: { rateCategory: 'none' as const } };

  app.get('/healthz', probe, async () => ({ status: 'ok' }));

  app.get('/readyz', probe, async (request, reply) => {
    if (deps.isShuttingDown()) return reply.status(503).send({ status: 'shutting_down' });
    const readiness = await checkReadiness(deps.dependencies);
    for (const failure of readiness.failures) request.log.warn({ err: failure.error, dependency: failure.name }, 'readiness check: dependency unreachable');
    return reply.status(readiness.ready ? 200 : 503).send({ status: readiness.status, ...readiness.states });
  });

  app.get('/metrics', probe, async (_request, reply) => {
    void reply.header('content-type', deps.metrics.registry.contentType);
    return deps.metrics.registry.metrics();
  });

  app.get('/v5/openapi.json', hidden, async () => app.swagger());
}
