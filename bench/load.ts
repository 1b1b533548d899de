// Load runs with autocannon: keep-alive connections sending a scenario's request stream (a new
// request per send, via setupRequest) until the duration or the request cap is reached. Latencies
// are recorded per response at sub-millisecond precision (autocannon's own histogram rounds to whole
// milliseconds, too coarse for the baseline), over 2xx responses as autocannon does.
import autocannon from 'autocannon';
import type { BenchRequest } from './scenarios.js';

export interface LoadOptions {
  baseUrl: string;
  connections: number;
  durationSeconds: number;
  maxRequests: number;
  next: () => BenchRequest;
  /** Prepended to every request's path (the baseline serves each scenario under its own prefix). */
  pathPrefix?: string;
  expectedStatus: number;
}

export interface LatencySummary {
  mean: number;
  p50: number;
  p90: number;
  p99: number;
  max: number;
}

export interface LoadStats {
  /** Completed responses. */
  requests: number;
  /** From the first send to the last response. */
  seconds: number;
  requestsPerSecond: number;
  /** Milliseconds, over 2xx responses. */
  latencyMs: LatencySummary;
  non2xx: number;
  /** Responses with a status other than the scenario's expected one. */
  unexpectedStatus: number;
  /** Connection errors, timeouts included. */
  errors: number;
  timeouts: number;
  statusCounts: Record<string, number>;
  /** Mean request body and response body size, bytes. */
  requestBytes: number;
  responseBytes: number;
}

export function summarize(latencies: Float64Array): LatencySummary {
  if (latencies.length === 0) return { mean: 0, p50: 0, p90: 0, p99: 0, max: 0 };
  const sorted = Float64Array.from(latencies).sort();
  const at = (p: number) => sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(p * sorted.length) - 1))] as number;
  let sum = 0;
  for (const value of sorted) sum += value;
  return { mean: sum / sorted.length, p50: at(0.5), p90: at(0.9), p99: at(0.99), max: sorted[sorted.length - 1] as number };
}

/** What one autocannon run saw, before summarizing (runs of one scenario are combined). */
export interface RawRun {
  /** 2xx response times, ms. */
  latencies: Float64Array;
  responses: number;
  seconds: number;
  responseBytes: number;
  requestBodies: number;
  requestBodyBytes: number;
  non2xx: number;
  unexpectedStatus: number;
  errors: number;
  timeouts: number;
  statusCounts: Record<string, number>;
}

export async function runLoadRaw(options: LoadOptions): Promise<RawRun> {
  const latencies = new Float64Array(options.maxRequests + options.connections);
  let recorded = 0;
  let responses = 0;
  let responseBytes = 0;
  let unexpectedStatus = 0;
  let requestBodies = 0;
  let requestBodyBytes = 0;
  const statusCounts: Record<string, number> = {};
  const prefix = options.pathPrefix ?? '';

  const started = performance.now();
  let lastResponse = started;
  const result = await new Promise<autocannon.Result>((resolve, reject) => {
    const instance = autocannon(
      {
        url: options.baseUrl,
        connections: options.connections,
        duration: options.durationSeconds,
        maxOverallRequests: options.maxRequests,
        requests: [
          {
            setupRequest: (request) => {
              const next = options.next();
              requestBodies += 1;
              requestBodyBytes += next.body ? Buffer.byteLength(next.body) : 0;
              return { ...request, method: next.method, path: prefix + next.path, headers: next.headers, body: next.body ?? '' };
            },
          },
        ],
      },
      (error, finished) => (error ? reject(error instanceof Error ? error : new Error(String(error))) : resolve(finished)),
    );
    instance.on('response', (_client, statusCode, resBytes, responseTime) => {
      lastResponse = performance.now();
      responses += 1;
      responseBytes += resBytes;
      statusCounts[statusCode] = (statusCounts[statusCode] ?? 0) + 1;
      if (statusCode !== options.expectedStatus) unexpectedStatus += 1;
      if (statusCode >= 200 && statusCode < 300 && recorded < latencies.length) latencies[recorded++] = responseTime;
    });
  });

  return {
    latencies: latencies.subarray(0, recorded),
    responses,
    seconds: responses > 0 ? (lastResponse - started) / 1000 : options.durationSeconds,
    // resBytes counts the whole response (headers too).
    responseBytes,
    requestBodies,
    requestBodyBytes,
    non2xx: result.non2xx,
    unexpectedStatus,
    errors: result.errors,
    timeouts: result.timeouts,
    statusCounts,
  };
}

/** One summary over several runs of the same scenario (e.g. rounds interleaved with the baseline). */
export function combineRuns(runs: readonly RawRun[]): LoadStats {
  const sum = (pick: (run: RawRun) => number) => runs.reduce((total, run) => total + pick(run), 0);
  const latencies = new Float64Array(sum((run) => run.latencies.length));
  let offset = 0;
  for (const run of runs) {
    latencies.set(run.latencies, offset);
    offset += run.latencies.length;
  }
  const statusCounts: Record<string, number> = {};
  for (const run of runs) {
    for (const [status, count] of Object.entries(run.statusCounts)) statusCounts[status] = (statusCounts[status] ?? 0) + count;
  }
  const responses = sum((run) => run.responses);
  const seconds = sum((run) => run.seconds);
  const requestBodies = sum((run) => run.requestBodies);
  return {
    requests: responses,
    seconds,
    requestsPerSecond: seconds > 0 ? responses / seconds : 0,
    latencyMs: summarize(latencies),
    non2xx: sum((run) => run.non2xx),
    unexpectedStatus: sum((run) => run.unexpectedStatus),
    errors: sum((run) => run.errors),
    timeouts: sum((run) => run.timeouts),
    statusCounts,
    requestBytes: requestBodies > 0 ? Math.round(sum((run) => run.requestBodyBytes) / requestBodies) : 0,
    responseBytes: responses > 0 ? Math.round(sum((run) => run.responseBytes) / responses) : 0,
  };
}

export async function runLoad(options: LoadOptions): Promise<LoadStats> {
  return combineRuns([await runLoadRaw(options)]);
}
