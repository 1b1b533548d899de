// `npm run cli -- <command>` as an operator runs it: mint a token that the API accepts, grant admin,
// migrate, and refuse clearly (exit 1) while another process has the embedded database open.
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig, type Config } from '../../src/config.js';
import { createContainer, type Container } from '../../src/container.js';
import { buildApp } from '../../src/app.js';
import { parseCommand, runCli, UsageError } from '../../src/cli.js';
import { openDatabase } from '../../src/platform/db/database.js';
import { createTestDatabase, type TestDatabase } from '../support/test-database.js';
import { childEnv, prepareDataDir, runProgram } from './processes.js';

describe('cli argument parsing', () => {
  it('understands the commands and help', () => {
    expect(parseCommand([])).toEqual({ name: 'help' });
    expect(parseCommand(['--help'])).toEqual({ name: 'help' });
    expect(parseCommand(['token', 'ada'])).toEqual({ name: 'token', username: 'ada', scopes: undefined });
    expect(parseCommand(['token', '--scopes', 'pins:read', 'ada'])).toEqual({ name: 'token', username: 'ada', scopes: 'pins:read' });
    expect(parseCommand(['token', 'ada', '--scopes=pins:read,boards:read'])).toMatchObject({ scopes: 'pins:read,boards:read' });
    expect(parseCommand(['admin', 'revoke', 'ada'])).toEqual({ name: 'admin', action: 'revoke', username: 'ada' });
    expect(parseCommand(['migrate'])).toEqual({ name: 'migrate' });
    expect(parseCommand(['jobs'])).toEqual({ name: 'jobs' });
    expect(parseCommand(['jobs', 'retry', '42'])).toEqual({ name: 'jobs-retry', id: '42' });
  });

  it('refuses malformed commands with a usage message', () => {
    for (const argv of [['token'], ['token', 'a', 'b'], ['token', 'a', '--scopes'], ['token', 'a', '--force'], ['admin', 'promote', 'a'], ['admin', 'grant'], ['migrate', 'now'], ['jobs', 'retry'], ['jobs', 'clear'], ['seed']]) {
      expect(() => parseCommand(argv), argv.join(' ')).toThrow(UsageError);
    }
  });
});

describe('cli against a database', () => {
  let tmp: string;
  let config: Config;
  let postgres: TestDatabase | undefined;
  /** The open container the test uses to sign up and check; on PostgreSQL it stays open throughout. */
  let container: Container | undefined;

  /** The CLI's environment: the test's PostgreSQL database when there is one, else the data dir. */
  const cliEnv = (dataDir = config.dataDir) => childEnv({ DATA_DIR: dataDir, DATABASE_URL: postgres?.url, SEED_DEMO: 'false' });

  /** Runs a command in this process (for outcomes that need no second process). */
  const cli = async (argv: string[]) => {
    const out: string[] = [];
    const err: string[] = [];
    const code = await runCli(argv, { out: (line) => out.push(line), err: (line) => err.push(line) }, cliEnv());
    return { code, out, err };
  };

  beforeAll(async () => {
    tmp = await fs.mkdtemp(path.join(os.tmpdir(), 'corkboard-cli-'));
    config = loadConfig({ DATA_DIR: path.join(tmp, 'data'), SEED_DEMO: 'false' });
    if (process.env.DATABASE_URL) {
      postgres = await createTestDatabase();
      container = await createContainer(config, { database: postgres.handle, passwordLogCost: 10 });
    } else {
      await prepareDataDir(config.dataDir);
      container = await createContainer(config, { passwordLogCost: 10 });
    }
    await container.services.accounts.signUp({ username: 'ada', email: 'ada@example.test', password: 'pw-ada-secret' });
    // The embedded database admits one process: hand it over to the CLI. PostgreSQL stays open, as
    // it would while the server runs.
    if (!postgres) {
      await container.close();
      container = undefined;
    }
  });
  afterAll(async () => {
    await container?.close();
    await postgres?.drop();
    await fs.rm(tmp, { recursive: true, force: true });
  });

  it('mints a token the API accepts, with the scopes asked for, and grants admin', async () => {
    const minted = await runProgram('src/cli.ts', ['token', 'ada', '--scopes', 'user_accounts:read,boards:read'], cliEnv());
    expect(minted.stderr).toContain('access token for ada');
    expect(minted.code).toBe(0);
    const lines = minted.stdout.trim().split('\n');
    expect(lines).toHaveLength(1);
    const token = lines[0]!;
    expect(token).toMatch(/^pina_[\w-]{43}$/);

    const granted = await runProgram('src/cli.ts', ['admin', 'grant', 'ada'], cliEnv());
    expect(granted.code).toBe(0);
    expect(granted.stdout).toContain('ada is now an administrator');

    container ??= await createContainer(config, { passwordLogCost: 10 });
    const app = await buildApp(container);
    try {
      const me = await app.inject({ method: 'GET', url: '/v5/user_account', headers: { authorization: `Bearer ${token}` } });
      expect(me.statusCode).toBe(200);
      expect(me.json()).toMatchObject({ username: 'ada' });
      const viewer = await container.services.tokens.verify(token);
      expect(viewer && [...viewer.scopes].sort()).toEqual(['boards:read', 'user_accounts:read']);
      expect(viewer?.isAdmin).toBe(true);
    } finally {
      await app.close();
      if (!postgres) {
        await container.close();
        container = undefined;
      }
    }
  });

  it('fails with exit 1 and names the problem for an unknown user or scope, 2 for a usage error', async () => {
    const unknownUser = await cli(['token', 'nobody']);
    expect(unknownUser).toEqual({ code: 1, out: [], err: ['corkboard: no user named "nobody"'] });

    const unknownScope = await cli(['token', 'ada', '--scopes', 'pins:everything']);
    expect(unknownScope).toEqual({ code: 1, out: [], err: ['corkboard: Unknown scope: pins:everything.'] });

    const usage = await cli(['admin', 'promote', 'ada']);
    expect(usage).toEqual({ code: 2, out: [], err: ['corkboard: usage: admin grant|revoke <username>'] });

    const help = await cli(['help']);
    expect(help.code).toBe(0);
    expect(help.out.join('\n')).toContain('token <username> [--scopes a,b]');
  });

  it('shows the job queue and refuses to retry a job that is not dead', async () => {
    const shown = await cli(['jobs']);
    expect(shown.code, shown.err.join('\n')).toBe(0);
    expect(shown.out[0]).toMatch(/^queue: (database|redis); waiting \d+, running \d+, waiting to retry \d+, dead 0$/);

    const retried = await cli(['jobs', 'retry', '424242']);
    expect(retried).toEqual({ code: 1, out: [], err: ['corkboard: no dead job with id "424242"'] });
  });

  it('refuses while another process has the embedded database open, and works once it is closed', async () => {
    const dataDir = config.dataDir;
    if (postgres) await prepareDataDir(dataDir);
    const env = childEnv({ DATA_DIR: dataDir, DATABASE_URL: undefined, PUBLIC_BASE_URL: 'http://corkboard.test:8080' });
    const holder = await openDatabase({ dataDir: path.join(dataDir, 'pglite') });
    try {
      const refused = await runProgram('src/cli.ts', ['token', 'ada'], env);
      expect(refused.code).toBe(1);
      expect(refused.stdout).toBe('');
      expect(refused.stderr).toContain(`has this data dir open (${dataDir})`);
      expect(refused.stderr).toContain('curl -X POST http://corkboard.test:8080/v5/oauth/token -d grant_type=password -d username=ada');
    } finally {
      await holder.close();
    }
    const migrated = await runProgram('src/cli.ts', ['migrate'], env);
    expect(migrated.stderr).toBe('');
    expect(migrated.code).toBe(0);
    expect(migrated.stdout).toMatch(/^database is up to date \(pglite\): \d+ migration\(s\) applied/);
  });
});
