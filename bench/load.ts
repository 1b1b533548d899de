// One load run with autocannon: keep-alive connections sending a scenario's request stream (a new
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

export async function runLoad(options: LoadOptions): Promise<LoadStats> {
  const latencies = new Float64Array(options.maxRequests + options.connections);
  let recorded = 0;
  let responses = 0;
  let responseBytes = 0;
  let unexpectedStatus = 0;
  let sentBodies = 0;
  let sentBodyBytes = 0;
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
              sentBodies += 1;
              sentBodyBytes += next.body ? Buffer.byteLength(next.body) : 0;
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

  const seconds = responses > 0 ? (lastResponse - started) / 1000 : options.durationSeconds;
  return {
    requests: responses,
    seconds,
    requestsPerSecond: responses / seconds,
    latencyMs: summarize(latencies.subarray(0, recorded)),
    non2xx: result.non2xx,
    unexpectedStatus,
    errors: result.errors,
    timeouts: result.timeouts,
    statusCounts,
    requestBytes: sentBodies > 0 ? Math.round(sentBodyBytes / sentBodies) : 0,
    // resBytes counts the whole response (headers too).
    responseBytes: responses > 0 ? Math.round(responseBytes / responses) : 0,
  };
}
