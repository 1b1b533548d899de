// A change made through one API process reaches every other process within seconds, without a
// restart: two containers (two API processes) on one database, an administrator changes experiments
// through the first, and the second answers with the change after at most one poll interval
// (EXPERIMENTS_REFRESH_MS, 1 s by default) plus one reload. On PostgreSQL the two hold separate
// connection pools, as two machines would.
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config.js';
import { createContainer, type Container } from '../../src/container.js';
import { buildApp } from '../../src/app.js';
import { openDatabase } from '../../src/platform/db/database.js';
import { createTestDatabase, type TestDatabase } from '../support/test-database.js';
import { ALL_SCOPES } from '../../src/platform/http/viewer.js';

interface Process {
  container: Container;
  app: FastifyInstance;
}

let database: TestDatabase;
let dataDir: string;
const processes: Process[] = [];
let adminToken: string;
let userToken: string;

async function startProcess(handle: Awaited<ReturnType<typeof openDatabase>>): Promise<Process> {
  const config = loadConfig({ SEED_DEMO: 'false', DATA_DIR: dataDir });
  const container = await createContainer(config, { database: handle, passwordLogCost: 10 });
  const app = await buildApp(container);
  await app.ready();
  await container.start({ worker: false });
  return { container, app };
}

/** Signs up `username` (an administrator, made one as the CLI's `admin grant` does, when `admin`) and answers a token. */
async function tokenFor({ app, container }: Process, username: string, admin = false): Promise<string> {
  const password = `pw-${username}-secret`;
  const created = await app.inject({ method: 'POST', url: '/v5/accounts', payload: { username, email: `${username}@example.test`, password } });
  if (admin) await container.repositories.accounts.setAdmin(created.json<{ id: string }>().id, true);
  const res = await app.inject({
    method: 'POST',
    url: '/v5/oauth/token',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    payload: new URLSearchParams({ grant_type: 'password', username, password, ...(admin ? { scope: ALL_SCOPES.join(',') } : {}) }).toString(),
  });
  return res.json<{ access_token: string }>().access_token;
}

beforeAll(async () => {
  database = await createTestDatabase();
  dataDir = await fs.mkdtemp(path.join(os.tmpdir(), 'corkboard-propagation-'));
  processes.push(await startProcess(database.handle));
  // PostgreSQL: a second pool of its own. PGlite admits one process, so the second shares the handle.
  const second = database.url ? await openDatabase({ databaseUrl: database.url }) : database.handle;
  processes.push(await startProcess(second));
  adminToken = await tokenFor(processes[0]!, 'boss', true);
  userToken = await tokenFor(processes[0]!, 'someone');
});

afterAll(async () => {
  for (const [i, process] of processes.entries()) {
    await process.app.close();
    await process.container.background.stop();
    if (i > 0 && database.url) await process.container.database.close();
  }
  await database.drop();
  await fs.rm(dataDir, { recursive: true, force: true });
});

async function variationsSeenBy(process: Process): Promise<Record<string, { value: unknown }>> {
  const res = await process.app.inject({ method: 'POST', url: '/v5/experiments/evaluate', headers: { authorization: `Bearer ${userToken}` }, payload: {} });
  return res.json<{ experiments: Record<string, { value: unknown }> }>().experiments;
}

/** Milliseconds until `check` holds on the second process, polling every 50 ms. */
async function timeUntil(check: (experiments: Record<string, { value: unknown }>) => boolean, limitMs: number): Promise<number> {
  const started = Date.now();
  while (Date.now() - started < limitMs) {
    if (check(await variationsSeenBy(processes[1]!))) return Date.now() - started;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error(`the second process did not see the change within ${limitMs} ms`);
}

async function admin(method: 'POST' | 'PATCH', url: string, payload?: Record<string, unknown>) {
  const res = await processes[0]!.app.inject({ method, url, headers: { authorization: `Bearer ${adminToken}` }, ...(payload ? { payload } : {}) });
  if (res.statusCode >= 300) throw new Error(`${method} ${url}: ${res.statusCode} ${res.body}`);
}

describe('a change reaches every API process within seconds', () => {
  it('starts, changes and stops an experiment on another process within one poll interval', async () => {
    // Both processes have loaded the (empty) catalog.
    expect(await variationsSeenBy(processes[1]!)).toEqual({});

    await admin('POST', '/v5/experiments', { key: 'everywhere', name: 'Everywhere', variations: [{ key: 'a', value: 'old' }, { key: 'b', value: 'old' }] });
    await admin('POST', '/v5/experiments/everywhere/start');
    // The process that made the change sees it at once.
    expect(Object.keys(await variationsSeenBy(processes[0]!))).toEqual(['everywhere']);
    const started = await timeUntil((experiments) => 'everywhere' in experiments, 5000);

    await admin('PATCH', '/v5/experiments/everywhere', { variations: [{ key: 'a', value: 'new' }, { key: 'b', value: 'new' }] });
    const changed = await timeUntil((experiments) => experiments.everywhere?.value === 'new', 5000);

    await admin('POST', '/v5/experiments/everywhere/stop');
    const stopped = await timeUntil((experiments) => !('everywhere' in experiments), 5000);

    console.info(`Seen by the second process after: start ${started} ms, change ${changed} ms, stop ${stopped} ms (poll interval 1000 ms)`);
    for (const ms of [started, changed, stopped]) expect(ms).toBeLessThan(2500);
  });
});
