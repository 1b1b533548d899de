// `npm start` as an operator runs it: a real process on a fresh data dir, JSON logs, and a graceful
// SIGTERM that lets a request already in flight finish before the process exits 0.
import http from 'node:http';
import net from 'node:net';
import { spawn } from 'node:child_process';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../support/test-database.js';
import { parseRole, UsageError } from '../../src/main.js';
import { LogWatcher, ROOT, childEnv, exists, lockFileOf, runProgram, spawnProgram } from './processes.js';

/** A plain request on a fresh connection (no pooled keep-alive socket), resolving to status and body. */
function request(url: string, options: http.RequestOptions = {}): { req: http.ClientRequest; done: Promise<{ status: number; body: string }> } {
  const req = http.request(url, { agent: false, ...options });
  const done = new Promise<{ status: number; body: string }>((resolve, reject) => {
    req.once('error', reject);
    req.once('response', (res) => {
      let body = '';
      res.setEncoding('utf8').on('data', (chunk: string) => (body += chunk));
      res.once('end', () => resolve({ status: res.statusCode ?? 0, body }));
    });
  });
  return { req, done };
}

describe('main arguments', () => {
  it('takes --role api|worker|all, all by default, and refuses anything else', () => {
    expect(parseRole([])).toBe('all');
    expect(parseRole(['--role', 'api'])).toBe('api');
    expect(parseRole(['--role=worker'])).toBe('worker');
    expect(() => parseRole(['--role', 'everything'])).toThrow('--role must be one of api, worker, all, got "everything"');
    expect(() => parseRole(['--role'])).toThrow(UsageError);
    expect(() => parseRole(['--port', '80'])).toThrow('unknown argument "--port"');
  });
});

describe('the server process', () => {
  let tmp: string;
  let postgres: TestDatabase | undefined;
  beforeAll(async () => {
    tmp = await fs.mkdtemp(path.join(os.tmpdir(), 'corkboard-process-'));
    if (process.env.DATABASE_URL) postgres = await createTestDatabase();
  });
  // A data dir that does not exist yet, as on a fresh clone.
  const dataDir = () => path.join(tmp, 'nested', 'data');
  const serverEnv = () =>
    childEnv({ PORT: '0', HOST: '127.0.0.1', DATA_DIR: dataDir(), SEED_DEMO: 'false', LOG_LEVEL: 'info', DATABASE_URL: postgres?.url });
  afterAll(async () => {
    await postgres?.drop();
    await fs.rm(tmp, { recursive: true, force: true });
  });

  it('starts on a fresh data dir, logs JSON with request ids, and drains in-flight requests on SIGTERM', async () => {
    const child = spawnProgram('src/main.ts', [], serverEnv());
    const exited = new Promise<{ code: number | null; signal: string | null }>((resolve) =>
      child.once('exit', (code, signal) => resolve({ code, signal })),
    );
    let stderr = '';
    child.stderr!.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    const logs = new LogWatcher(child.stdout!);

    try {
      const serving = await Promise.race([
        logs.waitFor((line) => line.msg.startsWith('Corkboard is serving')),
        exited.then(({ code }) => {
          throw new Error(`server exited early with ${code}: ${stderr}`);
        }),
      ]);
      const base = serving.url!;
      expect(base).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
      expect(base).not.toMatch(/:0$/);
      if (!postgres) expect(await exists(lockFileOf(dataDir()))).toBe(true);

      const health = request(`${base}/healthz`, { headers: { 'x-request-id': 'probe-1' } });
      health.req.end();
      expect(await health.done).toEqual({ status: 200, body: '{"status":"ok"}' });

      // A sign-up whose body is still arriving when SIGTERM lands.
      const body = JSON.stringify({ username: 'latecomer', email: 'late@example.test', password: 'pw-latecomer-secret' });
      const slow = request(`${base}/v5/accounts`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) },
      });
      slow.req.write(body.slice(0, 20));
      await logs.waitFor((line) => line.msg === 'incoming request' && line.req?.url === '/v5/accounts');

      child.kill('SIGTERM');
      await logs.waitFor((line) => line.msg.startsWith('shutting down'));
      // New work is refused: the listener is closed (or a connection that slipped in gets 503).
      const late = request(`${base}/healthz`);
      late.req.end();
      const lateOutcome = await late.done.then((reply) => reply.status, (error: NodeJS.ErrnoException) => error.code);
      expect([503, 'ECONNREFUSED', 'ECONNRESET']).toContain(lateOutcome);

      slow.req.end(body.slice(20));
      const created = await slow.done;
      expect(created.status).toBe(201);
      expect(JSON.parse(created.body)).toMatchObject({ username: 'latecomer' });

      expect(await exited).toEqual({ code: 0, signal: null });
      expect(stderr).toBe('');
      expect(logs.notJson).toEqual([]);
      expect(logs.lines.map((line) => line.msg)).toContain('shutdown complete');
      // The request lines carry the request id; the caller's id is honoured.
      const requestLines = logs.lines.filter((line) => line.msg === 'incoming request' || line.msg === 'request completed');
      expect(requestLines.length).toBeGreaterThanOrEqual(4);
      for (const line of requestLines) expect(line.reqId).toEqual(expect.any(String));
      expect(requestLines.filter((line) => line.reqId === 'probe-1')).toHaveLength(2);
      // The embedded database was closed properly: its lock is gone, so the next start needs no cleanup.
      if (!postgres) expect(await exists(lockFileOf(dataDir()))).toBe(false);
    } finally {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    }
  });

  it('shuts down cleanly on Ctrl-C under `npm start`, where the whole process group gets SIGINT', async () => {
    // `detached` makes npm the leader of a new process group, as a terminal's foreground job is.
    const child = spawn('npm', ['start', '--silent'], { cwd: ROOT, env: serverEnv(), detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
    const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
    const logs = new LogWatcher(child.stdout);
    try {
      await Promise.race([
        logs.waitFor((line) => line.msg.startsWith('Corkboard is serving')),
        exited.then((code) => {
          throw new Error(`npm start exited early with ${code}`);
        }),
      ]);
      process.kill(-child.pid!, 'SIGINT');
      await exited;
      await logs.waitFor((line) => line.msg === 'shutdown complete');
      if (!postgres) expect(await exists(lockFileOf(dataDir()))).toBe(false);
    } finally {
      try {
        process.kill(-child.pid!, 'SIGKILL');
      } catch {
        // already gone
      }
    }
  });

  it('treats a SIGINT repeated at once (a terminal Ctrl-C plus npm relaying it) as one', async () => {
    const child = spawnProgram('src/main.ts', [], serverEnv());
    const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
    const logs = new LogWatcher(child.stdout!);
    try {
      await Promise.race([
        logs.waitFor((line) => line.msg.startsWith('Corkboard is serving')),
        exited.then((code) => {
          throw new Error(`server exited early with ${code}`);
        }),
      ]);
      child.kill('SIGINT');
      await logs.waitFor((line) => line.msg.startsWith('shutting down'));
      child.kill('SIGINT');
      expect(await exited).toBe(0);
      expect(logs.lines.map((line) => line.msg)).toContain('shutdown complete');
      if (!postgres) expect(await exists(lockFileOf(dataDir()))).toBe(false);
    } finally {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    }
  });

  it('refuses a busy port with one clear line, before doing any start-up work', async () => {
    const blocker = net.createServer();
    await new Promise<void>((resolve) => blocker.listen({ host: '127.0.0.1', port: 0 }, resolve));
    const port = (blocker.address() as net.AddressInfo).port;
    try {
      const result = await runProgram('src/main.ts', [], { ...serverEnv(), PORT: String(port), DATA_DIR: path.join(tmp, 'busy') });
      expect(result.code).toBe(1);
      expect(result.stderr.trim()).toBe(`corkboard: port ${port} on 127.0.0.1 is in use; set PORT to another port`);
      expect(await exists(path.join(tmp, 'busy', 'pglite'))).toBe(false);
    } finally {
      blocker.close();
    }
  });

  it('runs the worker role alone: no HTTP listener, and a clean exit on SIGTERM', async () => {
    const child = spawnProgram('src/main.ts', ['--role', 'worker'], serverEnv());
    const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
    const logs = new LogWatcher(child.stdout!);
    try {
      await Promise.race([
        logs.waitFor((line) => line.msg.startsWith('worker started')),
        exited.then((code) => {
          throw new Error(`worker exited early with ${code}`);
        }),
      ]);
      child.kill('SIGTERM');
      expect(await exited).toBe(0);
      const messages = logs.lines.map((line) => line.msg);
      expect(messages).toContain('shutdown complete');
      expect(messages.some((msg) => msg.startsWith('Corkboard is serving'))).toBe(false);
      expect(logs.lines.every((line) => line.role === 'worker')).toBe(true);
    } finally {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    }
  });
});
