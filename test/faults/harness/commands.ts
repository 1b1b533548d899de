// Running the programs the fault tests need (initdb, pg_ctl, redis-server): bounded in time, as the
// `postgres` user when PostgreSQL's tools would refuse to run as root, with their output kept for the
// error message when one fails.
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';

export interface CommandResult {
  stdout: string;
  stderr: string;
}

export interface RunOptions {
  timeoutMs?: number;
  /** Run as this user (through `runuser -u <user> --`) when this process is root. */
  asUser?: string;
  env?: NodeJS.ProcessEnv;
}

export const isRoot = typeof process.getuid === 'function' && process.getuid() === 0;

export async function run(file: string, args: readonly string[], options: RunOptions = {}): Promise<CommandResult> {
  const [program, argv] = options.asUser && isRoot ? ['runuser', ['-u', options.asUser, '--', file, ...args]] : [file, [...args]];
  return new Promise((resolve, reject) => {
    execFile(
      program,
      argv,
      { timeout: options.timeoutMs ?? 60_000, killSignal: 'SIGKILL', env: options.env ?? process.env, maxBuffer: 16 * 1024 * 1024 },
      (error, stdout, stderr) => {
        if (error) reject(new Error(`${file} ${args.join(' ')} failed: ${error.message}\n${stderr}\n${stdout}`));
        else resolve({ stdout, stderr });
      },
    );
  });
}

/** The uid and gid of a local user (PostgreSQL's tools run as `postgres` when we are root). */
export function userIds(user: string): { uid: number; gid: number } {
  const line = fs
    .readFileSync('/etc/passwd', 'utf8')
    .split('\n')
    .find((entry) => entry.startsWith(`${user}:`));
  if (!line) throw new Error(`no local user "${user}" (PostgreSQL's server programs refuse to run as root)`);
  const [, , uid, gid] = line.split(':');
  return { uid: Number(uid), gid: Number(gid) };
}

/** Gives `dir` and everything in it to `user`. */
export function chownTree(dir: string, user: string): void {
  const { uid, gid } = userIds(user);
  fs.chownSync(dir, uid, gid);
  for (const entry of fs.readdirSync(dir, { withFileTypes: true, recursive: true })) {
    fs.chownSync(path.join(entry.parentPath, entry.name), uid, gid);
  }
}

/** A TCP port nothing listens on right now (the kernel's pick). */
export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen({ host: '127.0.0.1', port: 0 }, () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

export const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** Polls `check` every `everyMs` until it returns a value other than undefined, or fails after `timeoutMs`. */
export async function waitFor<T>(what: string, check: () => Promise<T | undefined>, timeoutMs: number, everyMs = 50): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let lastError: unknown;
  for (;;) {
    try {
      const value = await check();
      if (value !== undefined) return value;
    } catch (error) {
      lastError = error;
    }
    if (Date.now() > deadline) {
      const reason = lastError instanceof Error ? ` (last error: ${lastError.message})` : '';
      throw new Error(`waited ${timeoutMs} ms for ${what}${reason}`);
    }
    await sleep(everyMs);
  }
}
