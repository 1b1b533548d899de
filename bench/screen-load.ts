// A closed-loop load driver for "screens": each virtual user renders one screen after another, a screen
// being whatever HTTP requests a client makes to show it (one GraphQL query, or a chain of dependent
// REST calls, some of them in parallel). Latency is measured per screen, from its first request to its
// last response. Requests go over keep-alive connections (node:http, no per-request connection setup),
// the same way for every variant, so GraphQL and REST are measured alike.
import http from 'node:http';
import { summarize, type LatencySummary } from './load.js';

export interface HttpResponse {
  status: number;
  body: string;
}

/** One HTTP client per measured run: a keep-alive agent and a request counter. */
export class ScreenClient {
  private readonly agent: http.Agent;
  requests = 0;
  failures = 0;
  readonly statusCounts: Record<string, number> = {};

  constructor(
    private readonly baseUrl: string,
    maxSockets: number,
  ) {
    this.agent = new http.Agent({ keepAlive: true, maxSockets, maxFreeSockets: maxSockets });
  }

  request(method: 'GET' | 'POST', path: string, headers: Record<string, string>, body?: string): Promise<HttpResponse> {
    const url = new URL(path, this.baseUrl);
    return new Promise((resolve, reject) => {
      const outgoing = http.request(
        url,
        {
          method,
          agent: this.agent,
          headers: body === undefined ? headers : { ...headers, 'content-length': String(Buffer.byteLength(body)) },
          timeout: 30_000,
        },
        (response) => {
          const chunks: Buffer[] = [];
          response.on('data', (chunk: Buffer) => chunks.push(chunk));
          response.on('end', () => {
            this.requests += 1;
            const status = response.statusCode ?? 0;
            this.statusCounts[status] = (this.statusCounts[status] ?? 0) + 1;
            resolve({ status, body: Buffer.concat(chunks).toString('utf8') });
          });
          response.on('error', reject);
        },
      );
      outgoing.on('timeout', () => outgoing.destroy(new Error('timeout')));
      outgoing.on('error', reject);
      if (body !== undefined) outgoing.write(body);
      outgoing.end();
    });
  }

  close(): void {
    this.agent.destroy();
  }
}

/** Renders one screen; throws when the screen could not be shown (a non-2xx answer, GraphQL errors). */
export type RenderScreen = (client: ScreenClient) => Promise<void>;

export interface ScreenLoadOptions {
  baseUrl: string;
  /** Virtual users, each rendering one screen at a time. */
  users: number;
  durationSeconds: number;
  /** Connections the agent may open (a REST screen may send several requests at once). */
  maxSockets: number;
  /** Draws the next screen to render (a new target each time). */
  next: () => RenderScreen;
}

export interface ScreenStats {
  screens: number;
  seconds: number;
  screensPerSecond: number;
  /** Per screen, milliseconds, over screens rendered without failure. */
  latencyMs: LatencySummary;
  httpRequests: number;
  requestsPerScreen: number;
  httpRequestsPerSecond: number;
  failedScreens: number;
  statusCounts: Record<string, number>;
  firstFailure?: string;
}

export async function runScreens(options: ScreenLoadOptions): Promise<ScreenStats> {
  const client = new ScreenClient(options.baseUrl, options.maxSockets);
  const latencies: number[] = [];
  let failedScreens = 0;
  let firstFailure: string | undefined;
  const started = performance.now();
  const deadline = started + options.durationSeconds * 1000;
  let lastDone = started;

  const virtualUser = async () => {
    while (performance.now() < deadline) {
      const render = options.next();
      const begin = performance.now();
      try {
        await render(client);
        lastDone = performance.now();
        latencies.push(lastDone - begin);
      } catch (error) {
        lastDone = performance.now();
        failedScreens += 1;
        firstFailure ??= (error as Error).message;
      }
    }
  };
  await Promise.all(Array.from({ length: options.users }, virtualUser));
  client.close();

  const seconds = (lastDone - started) / 1000;
  const screens = latencies.length + failedScreens;
  return {
    screens,
    seconds,
    screensPerSecond: latencies.length / seconds,
    latencyMs: summarize(Float64Array.from(latencies)),
    httpRequests: client.requests,
    requestsPerScreen: screens === 0 ? 0 : client.requests / screens,
    httpRequestsPerSecond: client.requests / seconds,
    failedScreens,
    statusCounts: client.statusCounts,
    firstFailure,
  };
}
