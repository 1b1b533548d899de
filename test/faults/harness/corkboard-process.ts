// Corkboard as a real server process (`node --import tsx src/main.ts`), the way an operator runs it, so
// a fault that kills it shows as a dead process and shutdown is measured by the clock. Its JSON logs
// are collected; its exit is recorded; SIGKILL on teardown if it is still running.
import type { ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { LogWatcher, childEnv, spawnProgram, type LogLine } from '../../ops/processes.js';
import { killOnExit, removeOnExit, withTimeout, type Teardown } from './teardown.js';

export interface Exit {
  code: number | null;
  signal: NodeJS.Signals | null;
  /** When it exited (Date.now()). */
  at: number;
}

export interface StartOptions {
  /** Environment variables on top of the test's own (DATABASE_URL, REDIS_URL, ...). */
  env: Record<string, string | undefined>;
  role?: 'api' | 'worker' | 'all';
  /** How long start-up may take (tsx compiling on a busy machine is slow). */
  startTimeoutMs?: number;
}

export class CorkboardProcess {
  readonly logs: LogWatcher;
  private stderrText = '';
  readonly exited: Promise<Exit>;
  private exitNow: Exit | undefined;
  url = '';

  private constructor(
    private readonly child: ChildProcess,
    readonly dataDir: string,
  ) {
    this.logs = new LogWatcher(child.stdout!);
    child.stderr!.setEncoding('utf8').on('data', (chunk: string) => {
      this.stderrText = (this.stderrText + chunk).slice(-20_000);
    });
    this.exited = new Promise((resolve) =>
      child.once('exit', (code, signal) => {
        this.exitNow = { code, signal, at: Date.now() };
        resolve(this.exitNow);
      }),
    );
  }

  /** Starts a server and waits until it logs that it is serving (or until its worker has started). */
  static async start(teardown: Teardown, options: StartOptions): Promise<CorkboardProcess> {
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'cb-data-'));
    const forgetDir = removeOnExit(dataDir);
    const role = options.role ?? 'all';
    const env = childEnv({
      PORT: '0',
      HOST: '127.0.0.1',
      DATA_DIR: dataDir,
      SEED_DEMO: 'false',
      LOG_LEVEL: 'info',
      DATABASE_URL: undefined,
      REDIS_URL: undefined,
      ...options.env,
    });
    const child = spawnProgram('src/main.ts', ['--role', role], env);
    const forgetPid = killOnExit(child.pid!);
    const server = new CorkboardProcess(child, dataDir);
    teardown.add('remove the server data dir', async () => {
      fs.rmSync(dataDir, { recursive: true, force: true });
      forgetDir();
    });
    teardown.add(`stop the Corkboard process ${child.pid}`, async () => {
      await server.kill('SIGKILL');
      forgetPid();
    });
    const ready =
      role === 'worker'
        ? server.logs.waitFor((line) => line.msg === 'worker started')
        : server.logs.waitFor((line) => line.msg.startsWith('Corkboard is serving'));
    const line = await withTimeout(
      Promise.race([
        ready,
        server.exited.then((exit) => {
          throw new Error(`the server exited during start-up (${exit.code ?? exit.signal}): ${server.stderr}`);
        }),
      ]),
      options.startTimeoutMs ?? 90_000,
      'the server start-up',
    );
    server.url = typeof line.url === 'string' ? line.url : '';
    return server;
  }

  get pid(): number {
    return this.child.pid!;
  }

  get alive(): boolean {
    return this.exitNow === undefined;
  }

  get exit(): Exit | undefined {
    return this.exitNow;
  }

  get stderr(): string {
    return this.stderrText;
  }

  /** Sends a signal; resolves at once (see `exited`). */
  signal(signal: NodeJS.Signals): void {
    if (this.alive) this.child.kill(signal);
  }

  /** Sends `signal` and waits for the exit (SIGKILL after `timeoutMs`). */
  async kill(signal: NodeJS.Signals = 'SIGTERM', timeoutMs = 30_000): Promise<Exit> {
    if (!this.alive) return this.exitNow!;
    this.child.kill(signal);
    try {
      return await withTimeout(this.exited, timeoutMs, `the server to exit after ${signal}`);
    } catch (error) {
      this.child.kill('SIGKILL');
      await this.exited;
      throw error;
    }
  }

  /** Log lines at warn (40) or above, for a failing test's message. */
  problems(): LogLine[] {
    return this.logs.lines.filter((line) => line.level >= 40);
  }

  /** What to print when a test about this process fails. */
  describe(): string {
    const lines = this.problems()
      .slice(-15)
      .map((line) => JSON.stringify(line).slice(0, 600));
    return `exit: ${JSON.stringify(this.exitNow ?? null)}\nstderr: ${this.stderrText.slice(-3000)}\nlast problems:\n${lines.join('\n')}`;
  }
}
