// The embedded default keeps timelines and the fan-out relay's place in the database: after the
// server stops and starts again on the same data directory, a stored timeline is still there (no
// rebuild), and a pin created just before the stop - whose fan-out had not run - reaches its
// follower once the new process settles.
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { buildApp } from '../../app.js';
import { loadConfig } from '../../config.js';
import { createContainer, type Container } from '../../container.js';
import type { TestApp, TestUser } from '../../../test/support/test-app.js';
import { createPin, makeBoard } from '../../pins/pin-test-support.js';

const embedded = !process.env.DATABASE_URL && !process.env.REDIS_URL;
const dirs: string[] = [];

async function boot(dataDir: string): Promise<{ container: Container; app: FastifyInstance; t: TestApp }> {
  const config = loadConfig({ DATA_DIR: dataDir, SEED_DEMO: 'false' });
  const container = await createContainer(config, { passwordLogCost: 10 });
  const app = await buildApp(container);
  await app.ready();
  await container.start({ worker: true });
  const request: TestApp['request'] = ({ as, headers, ...options }) =>
    app.inject({ ...options, headers: { ...(as && typeof as !== 'string' ? { authorization: `Bearer ${as.token}` } : {}), ...headers } });
  // Enough of a TestApp for the pin helpers.
  return { container, app, t: { app, container, config, request } as unknown as TestApp };
}

async function signUp(t: TestApp, username: string): Promise<TestUser> {
  const password = `pw-${username}-secret`;
  const created = await t.request({ method: 'POST', url: '/v5/accounts', payload: { username, email: `${username}@example.test`, password } });
  const token = await t.request({
    method: 'POST',
    url: '/v5/oauth/token',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    payload: new URLSearchParams({ grant_type: 'password', username, password }).toString(),
  });
  return { id: created.json<{ id: string }>().id, username, token: token.json<{ access_token: string }>().access_token };
}

afterAll(async () => {
  for (const dir of dirs) await fs.rm(dir, { recursive: true, force: true });
});

describe.skipIf(!embedded)('embedded timelines across a restart', () => {
  it('keep stored timelines, and deliver a pin whose fan-out the stop interrupted', { timeout: 120_000 }, async () => {
    const dataDir = await fs.mkdtemp(path.join(os.tmpdir(), 'corkboard-timeline-restart-'));
    dirs.push(dataDir);

    const first = await boot(dataDir);
    const ana = await signUp(first.t, 'ana');
    const ben = await signUp(first.t, 'ben');
    const boardId = await makeBoard(first.t, ana, 'Lanterns');
    expect((await first.t.request({ method: 'POST', url: `/v5/user_account/following/${ana.username}`, as: ben, payload: {} })).statusCode).toBe(200);
    await first.container.services.followingTimeline.read(ben.id, { limit: 10 });
    const delivered = await createPin(first.t, ana, boardId);
    await first.container.background.settle();
    // The worker stops; the API takes one more pin before the process ends.
    await first.container.background.stop();
    const pending = await createPin(first.t, ana, boardId);
    await first.app.close();
    await first.container.close();

    const second = await boot(dataDir);
    try {
      const stored = await second.container.timelineParts.store.read(ben.id, { limit: 10 });
      expect(stored?.entries.map((entry) => entry.pinId)).toEqual([delivered.id]);
      await second.container.background.settle();
      const after = await second.container.timelineParts.store.read(ben.id, { limit: 10 });
      expect(after?.entries.map((entry) => entry.pinId)).toEqual([pending.id, delivered.id]);
    } finally {
      await second.app.close();
      await second.container.close();
    }
  });
});
