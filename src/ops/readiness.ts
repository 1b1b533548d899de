// Readiness: whether this process should receive traffic, and how its dependencies are doing.
//
// - The database is required: nothing is served without it, so while it does not answer the process
//   is unready (503) and a load balancer sends its traffic elsewhere.
// - Redis, when configured, is not: it holds nothing that is not also in the database (cache,
//   timelines, queued jobs whose changes the log replays), and every request is still answered
//   correctly without it, only slower. Taking every instance out of rotation because a Redis they all
//   share went away would turn a slowdown into an outage, so the process stays ready and says it is
//   degraded, in the body and in the corkboard_dependency_up metric, for people to act on.
// Every check is bounded in time: a dependency that does not answer at all (a network partition) is
// reported unreachable after READINESS_CHECK_TIMEOUT_MS, not waited for.
import { Gauge, type Registry } from 'prom-client';

export const READINESS_CHECK_TIMEOUT_MS = 1500;

export type DependencyName = 'database' | 'redis';
export type DependencyState = 'ok' | 'unreachable';

export interface Dependency {
  name: DependencyName;
  /** Unready without it (the database); merely degraded otherwise (Redis). */
  required: boolean;
  /** Resolves when the dependency answers. */
  check(): Promise<void>;
}

export interface Readiness {
  ready: boolean;
  status: 'ready' | 'degraded' | 'unavailable';
  states: Partial<Record<DependencyName, DependencyState>>;
  failures: Array<{ name: DependencyName; error: unknown }>;
}

async function probe(dependency: Dependency, timeoutMs: number): Promise<unknown> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<Error>((resolve) => {
    timer = setTimeout(() => resolve(new Error(`no answer within ${timeoutMs} ms`)), timeoutMs);
  });
  try {
    return await Promise.race([dependency.check().then(() => undefined, (error: unknown) => error ?? new Error('failed')), timeout]);
  } finally {
    clearTimeout(timer);
  }
}

/** Checks every dependency at once, each within `timeoutMs`. */
export async function checkReadiness(dependencies: readonly Dependency[], timeoutMs = READINESS_CHECK_TIMEOUT_MS): Promise<Readiness> {
  const errors = await Promise.all(dependencies.map((dependency) => probe(dependency, timeoutMs)));
  const states: Readiness['states'] = {};
  const failures: Readiness['failures'] = [];
  dependencies.forEach((dependency, index) => {
    const error = errors[index];
    states[dependency.name] = error === undefined ? 'ok' : 'unreachable';
    if (error !== undefined) failures.push({ name: dependency.name, error });
  });
  const ready = dependencies.every((dependency, index) => !dependency.required || errors[index] === undefined);
  return { ready, status: !ready ? 'unavailable' : failures.length > 0 ? 'degraded' : 'ready', states, failures };
}

/** corkboard_dependency_up{dependency}: 1 when it answers, 0 when not; checked at each scrape. */
export function registerDependencyGauge(registry: Registry, dependencies: readonly Dependency[]): void {
  new Gauge({
    name: 'corkboard_dependency_up',
    help: 'Whether a dependency of this process answers (1) or not (0), checked at each scrape within a bounded time.',
    labelNames: ['dependency'],
    registers: [registry],
    async collect() {
      const { states } = await checkReadiness(dependencies);
      this.reset();
      for (const [name, state] of Object.entries(states)) this.set({ dependency: name }, state === 'ok' ? 1 : 0);
    },
  });
}
