// Helpers for tests that run Corkboard's programs (src/main.ts, src/cli.ts) as separate processes,
// the way an operator does. Programs run as `node --import tsx <file>` rather than `npx tsx <file>`,
// so the child is the program itself: signals reach it directly, and start-up skips npx.
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { PGlite } from '@electric-sql/pglite';
import { inject } from 'vitest';
import { GENEROUS_RATE_LIMITS } from '../support/rate-limits.js';
import { PGLITE_EXTENSIONS } from '../../src/platform/db/database.js';

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

/**
 * The parent's environment with `overrides` applied; an `undefined` override removes the variable.
 * Rate limits are generous (test/support/rate-limits.ts) unless overridden.
 */
export function childEnv(overrides: Record<string, string | undefined>): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...GENEROUS_RATE_LIMITS, ...process.env, ...overrides };
  for (const [key, value] of Object.entries(overrides)) if (value === undefined) delete env[key];
  return env;
}

export function spawnProgram(file: string, args: readonly string[], env: NodeJS.ProcessEnv): ChildProcess {
  return spawn(process.execPath, ['--import', 'tsx', file, ...args], { cwd: ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] });
}

export interface ProgramResult {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

/** Runs a program to completion. */
export async function runProgram(file: string, args: readonly string[], env: NodeJS.ProcessEnv): Promise<ProgramResult> {
  const child = spawnProgram(file, args, env);
  let stdout = '';
  let stderr = '';
  child.stdout!.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
  child.stderr!.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
  return new Promise((resolve, reject) => {
    child.once('error', reject);
    child.once('close', (code, signal) => resolve({ code, signal, stdout, stderr }));
  });
}

/**
 * Fills `dataDir` with the migrated database the test setup prepared, so a test starts from an
 * initialised embedded database without paying for initdb.
 */
export async function prepareDataDir(dataDir: string): Promise<void> {
  const snapshot = await fs.readFile(inject('pgliteSnapshotPath'));
  await fs.mkdir(dataDir, { recursive: true });
  const pglite = await PGlite.create(path.join(dataDir, 'pglite'), { loadDataDir: new Blob([snapshot]), extensions: PGLITE_EXTENSIONS });
  await pglite.close();
}

/** Where data-dir-lock.ts keeps the lock of the embedded database under DATA_DIR `dataDir`. */
export function lockFileOf(dataDir: string): string {
  return path.join(dataDir, '.pglite.lock');
}

export async function exists(file: string): Promise<boolean> {
  return fs.access(file).then(
    () => true,
    () => false,
  );
}

export interface LogLine {
  level: number;
  msg: string;
  reqId?: string;
  url?: string;
  req?: { method: string; url: string };
  res?: { statusCode: number };
  [key: string]: unknown;
}

/** Collects a child's JSON log lines and lets a test wait for one. */
export class LogWatcher {
  readonly lines: LogLine[] = [];
  readonly notJson: string[] = [];
  private waiters: Array<{ test: (line: LogLine) => boolean; resolve: (line: LogLine) => void }> = [];
  private buffer = '';

  constructor(stream: NodeJS.ReadableStream) {
    stream.setEncoding('utf8');
    stream.on('data', (chunk: string) => {
      this.buffer += chunk;
      let newline: number;
      while ((newline = this.buffer.indexOf('\n')) >= 0) {
        const text = this.buffer.slice(0, newline);
        this.buffer = this.buffer.slice(newline + 1);
        this.add(text);
      }
    });
  }

  private add(text: string): void {
    let line: LogLine;
    try {
      line = JSON.parse(text) as LogLine;
    } catch {
      this.notJson.push(text);
      return;
    }
    this.lines.push(line);
    for (const waiter of [...this.waiters]) {
      if (waiter.test(line)) {
        this.waiters.splice(this.waiters.indexOf(waiter), 1);
        waiter.resolve(line);
      }
    }
  }

  waitFor(test: (line: LogLine) => boolean): Promise<LogLine> {
    const seen = this.lines.find(test);
    if (seen) return Promise.resolve(seen);
    return new Promise((resolve) => this.waiters.push({ test, resolve }));
  }
}
