// Finding 13: the demo data (an administrator `demo` with a published password) must never reach a
// production database by default. With DATABASE_URL set, SEED_DEMO defaults to off; the embedded quick
// start (`npm install && npm start`, no DATABASE_URL) still gets the demo. On PostgreSQL the server is
// started for real on a fresh database with SEED_DEMO unset, and nobody can sign in as `demo`.
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import pg from 'pg';
import { loadConfig } from '../../src/config.js';
import { DEMO_PASSWORD, DEMO_USERNAME } from '../../src/demo/demo-content.js';
import { createTestDatabase, type TestDatabase } from '../support/test-database.js';
import { childEnv, spawnProgram } from '../ops/processes.js';

describe('SEED_DEMO default', () => {
  it('is on for the embedded database and off when DATABASE_URL names a PostgreSQL', () => {
    expect(loadConfig({}).seedDemo).toBe(true);
    expect(loadConfig({ DATABASE_URL: 'postgres://db.example/prod' }).seedDemo).toBe(false);
    // An operator may still ask for it explicitly, on either engine.
    expect(loadConfig({ DATABASE_URL: 'postgres://db.example/staging', SEED_DEMO: 'true' }).seedDemo).toBe(true);
    expect(loadConfig({ SEED_DEMO: 'false' }).seedDemo).toBe(false);
  });
});

describe.skipIf(!process.env.DATABASE_URL)('a server started on a fresh PostgreSQL database', () => {
  let database: TestDatabase;
  let tmp: string;
  beforeAll(async () => {
    database = await createTestDatabase();
    tmp = await fs.mkdtemp(path.join(os.tmpdir(), 'corkboard-seed-default-'));
  });
  afterAll(async () => {
    await database?.drop();
    if (tmp) await fs.rm(tmp, { recursive: true, force: true });
  });

  it('adds no demo accounts and does not let anyone sign in as demo', async () => {
    const child = spawnProgram(
      'src/main.ts',
      ['--role', 'api'],
      childEnv({ PORT: '0', HOST: '127.0.0.1', DATA_DIR: tmp, DATABASE_URL: database.url, SEED_DEMO: undefined, LOG_LEVEL: 'info', REDIS_URL: undefined }),
    );
    let stdout = '';
    let stderr = '';
    child.stderr!.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    try {
      const base = await new Promise<string>((resolve, reject) => {
        child.stdout!.setEncoding('utf8').on('data', (chunk: string) => {
          stdout += chunk;
          const match = /"url":"(http:\/\/[^"]+)"/.exec(stdout);
          if (match) resolve(match[1]!);
        });
        child.once('exit', (code) => reject(new Error(`server exited with ${code}: ${stderr}`)));
      });
      const login = await fetch(`${base}/v5/oauth/token`, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({ grant_type: 'password', username: DEMO_USERNAME, password: DEMO_PASSWORD }).toString(),
      });
      expect(login.status).toBe(400);
      const client = new pg.Client({ connectionString: database.url });
      await client.connect();
      try {
        const users = await client.query<{ n: string }>('SELECT count(*) AS n FROM users');
        expect(Number(users.rows[0]!.n)).toBe(0);
      } finally {
        await client.end();
      }
      expect(stdout).not.toContain(DEMO_PASSWORD);
    } finally {
      child.kill('SIGKILL');
    }
  }, 60_000);
});
