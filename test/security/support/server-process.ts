// Corkboard as a real server process (src/main.ts) for attacks that could stall it: a request that
// holds the event loop would also hold a test that injects into an app in its own process, so the
// server runs apart, each request has a deadline, and the process is killed however the test ends.
import { randomBytes } from 'node:crypto';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { childEnv, prepareDataDir, spawnProgram } from '../../ops/processes.js';
import { createTestDatabase, type TestDatabase } from '../../support/test-database.js';
import { deleteRedisKeys } from '../../support/redis.js';

export interface ServerProcess {
  baseUrl: string;
  /** Every log line the server wrote (JSON objects). */
  logs: Array<Record<string, unknown>>;
  stop(): Promise<void>;
}

export interface Answer {
  status: number;
  body: string;
  ms: number;
}

/** Sends a request that gives up after `deadlineMs`; a stalled server rejects with a TimeoutError. */
export async function timedFetch(url: string, deadlineMs: number, init: RequestInit = {}): Promise<Answer> {
  const started = performance.now();
  const response = await fetch(url, { ...init, signal: AbortSignal.timeout(deadlineMs) });
  const body = await response.text();
  return { status: response.status, body, ms: performance.now() - started };
}

/**
 * Asks /healthz every `everyMs` while `work` runs, and answers the slowest answer's time (or the
 * deadline, for a probe that got none).
 */
export async function slowestHealthProbe(baseUrl: string, work: Promise<unknown>, everyMs = 100, deadlineMs = 2000): Promise<number> {
  let done = false;
  const settled = work.finally(() => {
    done = true;
  });
  let slowest = 0;
  const probes: Array<Promise<void>> = [];
  while (!done) {
    probes.push(
      timedFetch(`${baseUrl}/healthz`, deadlineMs).then(
        (answer) => {
          slowest = Math.max(slowest, answer.status === 200 ? answer.ms : deadlineMs);
        },
        () => {
          slowest = Math.max(slowest, deadlineMs);
        },
      ),
    );
    await Promise.race([settled.catch(() => undefined), new Promise((resolve) => setTimeout(resolve, everyMs))]);
  }
  await Promise.all(probes);
  return slowest;
}

export async function startServer(env: Record<string, string> = {}): Promise<ServerProcess> {
  const tmp = await fs.mkdtemp(path.join(os.tmpdir(), 'corkboard-security-'));
  const dataDir = path.join(tmp, 'data');
  let postgres: TestDatabase | undefined;
  if (process.env.DATABASE_URL) postgres = await createTestDatabase();
  else await prepareDataDir(dataDir);
  const redisKeyPrefix = `test-${randomBytes(6).toString('hex')}:`;

  const child = spawnProgram(
    'src/main.ts',
    [],
    childEnv({
      PORT: '0',
      HOST: '127.0.0.1',
      DATA_DIR: dataDir,
      SEED_DEMO: 'false',
      LOG_LEVEL: 'info',
      RELATED_PINS_WORKERS: '1',
      DATABASE_URL: postgres?.url,
      REDIS_URL: process.env.REDIS_URL,
      REDIS_KEY_PREFIX: redisKeyPrefix,
      ...env,
    }),
  );
  const logs: Array<Record<string, unknown>> = [];
  let stderr = '';
  child.stderr!.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));

  const baseUrl = await new Promise<string>((resolve, reject) => {
    let buffer = '';
    child.stdout!.setEncoding('utf8').on('data', (chunk: string) => {
      buffer += chunk;
      let newline: number;
      while ((newline = buffer.indexOf('\n')) >= 0) {
        const text = buffer.slice(0, newline);
        buffer = buffer.slice(newline + 1);
        try {
          const line = JSON.parse(text) as Record<string, unknown>;
          logs.push(line);
          if (typeof line.msg === 'string' && line.msg.startsWith('Corkboard is serving')) resolve(line.url as string);
        } catch {
          // not a log line
        }
      }
    });
    void exited.then((code) => reject(new Error(`the server exited early with ${code}: ${stderr}`)));
  });

  return {
    baseUrl,
    logs,
    async stop() {
      if (child.exitCode === null && child.signalCode === null) {
        child.kill('SIGKILL');
        await exited;
      }
      await postgres?.drop();
      if (process.env.REDIS_URL) await deleteRedisKeys(process.env.REDIS_URL, redisKeyPrefix);
      await fs.rm(tmp, { recursive: true, force: true });
    },
  };
}
