// Builds the whole application over a private test database, with helpers for the steps most tests
// need: sign up a user and get a token, and call the API as them.
import type { FastifyBaseLogger, FastifyInstance, InjectOptions, LightMyRequestResponse } from 'fastify';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { loadConfig, type Config } from '../../src/config.js';
import { createContainer, type Container } from '../../src/container.js';
import { buildApp } from '../../src/app.js';
import { createTestDatabase } from './test-database.js';
import { randomBytes } from 'node:crypto';
import { deleteRedisKeys } from './redis.js';
import { GENEROUS_RATE_LIMITS } from './rate-limits.js';
import { ALL_SCOPES } from '../../src/platform/http/viewer.js';

export interface TestUser {
  id: string;
  username: string;
  token: string;
}

export interface TestApp {
  app: FastifyInstance;
  container: Container;
  config: Config;
  /** Signs up `username` and returns a token with every v5 scope (or `scopes`, comma separated). */
  signUp(username: string, scopes?: string): Promise<TestUser>;
  /**
   * Signs up `username`, makes them an administrator (as `npm run cli -- admin grant` does) and
   * returns a token with every v5 scope plus experiments:admin.
   */
  signUpAdmin(username: string): Promise<TestUser>;
  /** Injects a request; `as` adds the user's bearer token; a `body` object is sent as JSON. */
  request(options: InjectOptions & { as?: TestUser | string | null }): Promise<LightMyRequestResponse>;
  close(): Promise<void>;
}

export async function createTestApp(
  env: Record<string, string> = {},
  options: { logger?: FastifyBaseLogger; webAppDir?: string } = {},
): Promise<TestApp> {
  const database = await createTestDatabase();
  const dataDir = await fs.mkdtemp(path.join(os.tmpdir(), 'corkboard-data-'));
  // On a shared Redis each test app gets keys and channels of its own.
  const redisKeyPrefix = `test-${randomBytes(6).toString('hex')}:`;
  const config = loadConfig({
    // Counting every request costs a Redis round trip on the real engines, which nearly doubled the
    // suite's time there; the tests of the limits (test/security/05-rate-limits.test.ts) and the fuzz
    // suite, which sends every route through the counting hooks, turn them on with RATE_LIMITS=on.
    RATE_LIMITS: 'off',
    ...GENEROUS_RATE_LIMITS,
    SEED_DEMO: 'false',
    DATA_DIR: dataDir,
    REDIS_KEY_PREFIX: redisKeyPrefix,
    ...(process.env.REDIS_URL ? { REDIS_URL: process.env.REDIS_URL } : {}),
    ...env,
  });
  const container = await createContainer(config, { database: database.handle, passwordLogCost: 10 });
  const app = await buildApp(container, { logger: options.logger, webAppDir: options.webAppDir });
  await app.ready();
  await container.start({ worker: true });

  const request: TestApp['request'] = async ({ as, headers, ...options }) => {
    const token = typeof as === 'string' ? as : as?.token;
    return app.inject({
      ...options,
      headers: { ...(token ? { authorization: `Bearer ${token}` } : {}), ...headers },
    });
  };

  const signUp: TestApp['signUp'] = async (username, scopes) => {
    const password = `pw-${username}-secret`;
    const created = await request({
      method: 'POST',
      url: '/v5/accounts',
      payload: { username, email: `${username}@example.test`, password },
    });
    if (created.statusCode !== 201) throw new Error(`sign-up failed: ${created.statusCode} ${created.body}`);
    const form = new URLSearchParams({ grant_type: 'password', username, password, ...(scopes ? { scope: scopes } : {}) });
    const tokenReply = await request({
      method: 'POST',
      url: '/v5/oauth/token',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      payload: form.toString(),
    });
    if (tokenReply.statusCode !== 200) throw new Error(`token failed: ${tokenReply.statusCode} ${tokenReply.body}`);
    const account = created.json<{ id: string }>();
    return { id: account.id, username, token: tokenReply.json<{ access_token: string }>().access_token };
  };

  return {
    app,
    container,
    config,
    request,
    signUp,
    async signUpAdmin(username) {
      const user = await signUp(username);
      await container.repositories.accounts.setAdmin(user.id, true);
      const issued = await container.services.tokens.issueFor(user.id, ALL_SCOPES);
      return { ...user, token: issued.access_token };
    },
    async close() {
      await app.close();
      await container.background.stop();
      if (config.redisUrl) await deleteRedisKeys(config.redisUrl, config.redisKeyPrefix);
      await database.drop();
      await fs.rm(dataDir, { recursive: true, force: true });
    },
  };
}
