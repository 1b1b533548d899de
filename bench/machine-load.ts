// How much of the machine other programs took while a run was measured. On a shared machine a
// benchmark's absolute figures drop when something else runs; the report says so rather than hide it.
// Reads per-process CPU time from /proc (Linux); elsewhere it measures nothing.
import fs from 'node:fs/promises';
import os from 'node:os';

/** Clock ticks per second for /proc/<pid>/stat times (USER_HZ, 100 on Linux). */
const TICKS_PER_SECOND = 100;

interface ProcessTime {
  ticks: number;
  command: string;
}

export interface CpuSnapshot {
  at: number;
  processes: Map<number, ProcessTime>;
}

export interface OtherLoad {
  /** Share of the machine's total CPU capacity (all cores) used by processes that are not the benchmark's. */
  otherShare: number;
  /** The busiest of those processes, as "command (share)". */
  busiest: string[];
}

async function readProcess(pid: number): Promise<ProcessTime | undefined> {
  try {
    const stat = await fs.readFile(`/proc/${pid}/stat`, 'utf8');
    // The command name may hold spaces and parentheses: the fields we want come after the last ')'.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    const ticks = Number(fields[11]) + Number(fields[12]);
    const command = (await fs.readFile(`/proc/${pid}/cmdline`, 'utf8')).replace(/\0/g, ' ').trim() || stat.slice(stat.indexOf('(') + 1, stat.lastIndexOf(')'));
    return { ticks, command };
  } catch {
    return undefined;
  }
}

export async function cpuSnapshot(): Promise<CpuSnapshot | undefined> {
  let entries: string[];
  try {
    entries = await fs.readdir('/proc');
  } catch {
    return undefined;
  }
  const processes = new Map<number, ProcessTime>();
  await Promise.all(
    entries
      .filter((entry) => /^\d+$/.test(entry))
      .map(async (entry) => {
        const found = await readProcess(Number(entry));
        if (found) processes.set(Number(entry), found);
      }),
  );
  return { at: performance.now(), processes };
}

/**
 * CPU used between two snapshots by processes other than `ours` (pids) and other than database
 * backends serving `databaseName`. Processes that started and ended in between are not seen.
 */
export function otherLoad(before: CpuSnapshot, after: CpuSnapshot, ours: ReadonlySet<number>, databaseName: string | undefined): OtherLoad {
  const capacityTicks = ((after.at - before.at) / 1000) * TICKS_PER_SECOND * os.availableParallelism();
  const others: Array<{ command: string; ticks: number }> = [];
  for (const [pid, now] of after.processes) {
    if (ours.has(pid)) continue;
    if (databaseName && now.command.startsWith('postgres:') && now.command.includes(` ${databaseName} `)) continue;
    const used = now.ticks - (before.processes.get(pid)?.ticks ?? 0);
    if (used > 0) others.push({ command: now.command, ticks: used });
  }
  others.sort((a, b) => b.ticks - a.ticks);
  const total = others.reduce((sum, item) => sum + item.ticks, 0);
  return {
    otherShare: capacityTicks > 0 ? total / capacityTicks : 0,
    busiest: others
      .slice(0, 3)
      .filter((item) => item.ticks / capacityTicks >= 0.02)
      .map((item) => `${item.command.slice(0, 80)} (${((item.ticks / capacityTicks) * 100).toFixed(0)} %)`),
  };
}

/** CPU seconds `pids` (and, with `databaseName`, that database's PostgreSQL backends) used between two snapshots. */
export function cpuSecondsOf(before: CpuSnapshot, after: CpuSnapshot, pids: ReadonlySet<number>, databaseName?: string): { process: number; database: number } {
  let processTicks = 0;
  let databaseTicks = 0;
  for (const [pid, now] of after.processes) {
    const used = now.ticks - (before.processes.get(pid)?.ticks ?? 0);
    if (pids.has(pid)) processTicks += used;
    else if (databaseName && now.command.startsWith('postgres:') && now.command.includes(` ${databaseName} `)) databaseTicks += used;
  }
  return { process: processTicks / TICKS_PER_SECOND, database: databaseTicks / TICKS_PER_SECOND };
}

/** The machine's 1-minute load average (0 where the OS does not report one). */
export function loadAverage(): number {
  return os.loadavg()[0] ?? 0;
}

/**
 * On a shared machine, waits (up to `quietWaitSeconds`) until other programs use at most
 * `quietThreshold` of the CPUs, sampled over 3 s; returns the seconds waited (0 when it was quiet).
 */
export async function waitForQuiet(
  options: { quietWaitSeconds: number; quietThreshold: number },
  ours: ReadonlySet<number>,
  databaseName: string | undefined,
): Promise<number> {
  const { quietWaitSeconds, quietThreshold } = options;
  if (quietWaitSeconds <= 0) return 0;
  const started = performance.now();
  let announced = false;
  for (;;) {
    const before = await cpuSnapshot();
    await new Promise((resolve) => setTimeout(resolve, 3000));
    const after = await cpuSnapshot();
    if (!before || !after) return 0;
    const load = otherLoad(before, after, ours, databaseName);
    const waited = (performance.now() - started) / 1000;
    if (load.otherShare <= quietThreshold || waited >= quietWaitSeconds) {
      if (announced) console.log(`  waited ${waited.toFixed(0)} s (other programs now at ${(load.otherShare * 100).toFixed(0)} %)`);
      return announced ? waited : 0;
    }
    if (!announced) {
      console.log(
        `  other programs are using ${(load.otherShare * 100).toFixed(0)} % of the CPUs (${load.busiest.join('; ') || 'many small ones'}); ` +
          `waiting up to ${quietWaitSeconds} s for them to drop below ${(quietThreshold * 100).toFixed(0)} %`,
      );
      announced = true;
    }
  }
}
