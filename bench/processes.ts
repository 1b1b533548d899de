// The two servers under load, each its own process: Corkboard (src/main.ts) and the bare Fastify
// baseline. Programs run as `node --import tsx <file>` (what `npx tsx` does, without npx in between),
// so SIGTERM reaches the server itself and it shuts down gracefully.
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs/promises';
import net from 'node:net';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

/** A free TCP port on 127.0.0.1 (the OS picks it; it is released again for the child to take). */
export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

export class ServerProcess {
  private output = '';
  private exited: Promise<number | null>;
  private exitCode: number | null | undefined;

  private constructor(
    readonly name: string,
    readonly child: ChildProcess,
    readonly url: string,
  ) {
    const keep = (chunk: string) => {
      // The last few KiB are enough to explain a failed start.
      this.output = (this.output + chunk).slice(-8192);
    };
    child.stdout?.setEncoding('utf8').on('data', keep);
    child.stderr?.setEncoding('utf8').on('data', keep);
    this.exited = new Promise((resolve) => {
      child.once('exit', (code) => {
        this.exitCode = code;
        resolve(code);
      });
    });
  }

  static start(name: string, file: string, args: string[], env: Record<string, string | undefined>, port: number): ServerProcess {
    // Benchmarks send floods from one address: rate limits off unless the environment sets RATE_LIMITS.
    const childEnv: NodeJS.ProcessEnv = { RATE_LIMITS: 'off', ...process.env, ...env };
    for (const [key, value] of Object.entries(env)) if (value === undefined) delete childEnv[key];
    const child = spawn(process.execPath, ['--import', 'tsx', file, ...args], {
      cwd: ROOT,
      env: childEnv,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    return new ServerProcess(name, child, `http://127.0.0.1:${port}`);
  }

  get pid(): number | undefined {
    return this.child.pid;
  }

  /** Polls `readyPath` until it answers 200; fails early with the child's output if it exits. */
  async waitReady(readyPath: string, timeoutMs = 180_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (Date.now() < deadline) {
      if (this.exitCode !== undefined) {
        throw new Error(`${this.name} exited (code ${this.exitCode}) before it was ready:\n${this.output}`);
      }
      try {
        const response = await fetch(`${this.url}${readyPath}`, { signal: AbortSignal.timeout(2000) });
        if (response.ok) return;
      } catch {
        // not listening yet
      }
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
    throw new Error(`${this.name} was not ready after ${timeoutMs / 1000} s:\n${this.output}`);
  }

  /** Peak and current resident memory of the process (Linux /proc; undefined elsewhere). */
  async memory(): Promise<{ rssMiB: number; peakRssMiB: number } | undefined> {
    try {
      const status = await fs.readFile(`/proc/${this.pid}/status`, 'utf8');
      const kib = (field: string) => Number(new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(status)?.[1] ?? NaN);
      return { rssMiB: Math.round(kib('VmRSS') / 1024), peakRssMiB: Math.round(kib('VmHWM') / 1024) };
    } catch {
      return undefined;
    }
  }

  /** SIGTERM, then SIGKILL if it has not exited after `graceMs`. */
  async stop(graceMs = 20_000): Promise<void> {
    if (this.exitCode !== undefined) return;
    this.child.kill('SIGTERM');
    const timer = setTimeout(() => this.child.kill('SIGKILL'), graceMs);
    await this.exited;
    clearTimeout(timer);
  }
}

/** Waits until the server's related-pins graph has been built (its edge gauge is set); returns the seconds waited. */
export async function waitForRelatedGraph(baseUrl: string, timeoutSeconds = 1800): Promise<number> {
  const started = performance.now();
  while ((performance.now() - started) / 1000 < timeoutSeconds) {
    const metrics = await (await fetch(`${baseUrl}/metrics`)).text();
    const edges = /^corkboard_related_graph_edges (\S+)$/m.exec(metrics);
    if (edges && Number(edges[1]) > 0) return (performance.now() - started) / 1000;
    await new Promise((resolve) => setTimeout(resolve, 2000));
  }
  throw new Error(`the related-pins graph was not built within ${timeoutSeconds} s`);
}
