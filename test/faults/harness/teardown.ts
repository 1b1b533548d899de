// Everything a fault test starts (a PostgreSQL cluster, a Redis server, a proxy, Corkboard processes)
// is registered here, and stopped in reverse order when the test file ends, even when a test failed or
// timed out. Each step is bounded in time, and one failing step does not keep the others from running.
// If the test process itself dies (a crash, vitest killing a worker), `process.on('exit')` still
// SIGKILLs the child processes and removes the temporary directories, synchronously.
import fs from 'node:fs';

interface Step {
  name: string;
  run: () => Promise<void>;
}

const STEP_TIMEOUT_MS = 20_000;

/** Process ids and directories that must not outlive this test process, whatever happens. */
const lastResort = { pids: new Set<number>(), dirs: new Set<string>() };
let exitHookInstalled = false;

function installExitHook(): void {
  if (exitHookInstalled) return;
  exitHookInstalled = true;
  process.on('exit', () => {
    for (const pid of lastResort.pids) {
      try {
        process.kill(pid, 'SIGKILL');
      } catch {
        // Already gone.
      }
    }
    for (const dir of lastResort.dirs) fs.rmSync(dir, { recursive: true, force: true });
  });
}

/** Kills `pid` with SIGKILL when this process exits, unless forgotten first. */
export function killOnExit(pid: number): () => void {
  installExitHook();
  lastResort.pids.add(pid);
  return () => lastResort.pids.delete(pid);
}

/** Removes `dir` when this process exits, unless forgotten first. */
export function removeOnExit(dir: string): () => void {
  installExitHook();
  lastResort.dirs.add(dir);
  return () => lastResort.dirs.delete(dir);
}

export async function withTimeout<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_resolve, reject) => {
    timer = setTimeout(() => reject(new Error(`${what} did not finish within ${ms} ms`)), ms);
  });
  try {
    return await Promise.race([promise, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

export class Teardown {
  private readonly steps: Step[] = [];

  /** Registers a step; steps run last-in, first-out. */
  add(name: string, run: () => Promise<void>): void {
    this.steps.push({ name, run });
  }

  /** Runs every step (each within STEP_TIMEOUT_MS); throws at the end if any failed. */
  async run(): Promise<void> {
    const failures: string[] = [];
    while (this.steps.length > 0) {
      const step = this.steps.pop()!;
      try {
        await withTimeout(step.run(), STEP_TIMEOUT_MS, `teardown step "${step.name}"`);
      } catch (error) {
        failures.push(`${step.name}: ${(error as Error).message}`);
      }
    }
    if (failures.length > 0) throw new Error(`teardown failed:\n${failures.join('\n')}`);
  }
}
