// Operator commands, run as `npm run -s cli -- <command>` (see `help`). They open the configured
// database: PostgreSQL when DATABASE_URL is set (safe while the server runs), otherwise the embedded
// database under DATA_DIR, which only one process may open: while the server runs on it, commands
// refuse with a message saying how to get the same result through the API instead.
//
// The argv parser is hand-written: a handful of commands and one flag do not justify a dependency. Switch to
// a parser library (commander, or node:util parseArgs for flags) when commands start growing options.
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadConfig, ConfigError, type Config } from './config.js';
import { createContainer, type Container } from './container.js';
import { openDatabase } from './platform/db/database.js';
import { createMigrator, migrateToLatest } from './platform/db/migrate.js';
import { DataDirLockedError } from './platform/db/data-dir-lock.js';
import { isAppError } from './platform/errors.js';
import { parseScopes } from './auth/token.service.js';
import { ADMIN_SCOPES, V5_SCOPES } from './platform/http/viewer.js';

export type Command =
  | { name: 'help' }
  | { name: 'token'; username: string; scopes: string | undefined }
  | { name: 'admin'; action: 'grant' | 'revoke'; username: string }
  | { name: 'migrate' }
  | { name: 'jobs' }
  | { name: 'jobs-retry'; id: string };

export class UsageError extends Error {}

export const HELP = `Corkboard operator commands

Usage: npm run -s cli -- <command>

  token <username> [--scopes a,b]   Mint an access token for a user and print it (every v5 scope
                                    unless --scopes lists some: ${V5_SCOPES.join(', ')}).
                                    Administrators may also be given ${ADMIN_SCOPES.join(', ')}.
  admin grant <username>            Make a user an administrator (the only way to become one).
  admin revoke <username>           Take administrator rights away (at once, also from their tokens).
  migrate                           Apply pending database migrations (the server also does at start).
  jobs                              Background jobs: how many wait, run, wait to retry, and the dead
                                    ones (failed every attempt) with their last error.
  jobs retry <id>                   Put a dead job back in line.
  help                              Show this text.

The commands use DATABASE_URL when it is set, otherwise the embedded database under DATA_DIR
(default ./data). The embedded database can be opened by one process at a time: stop the server
first, or use the HTTP API while it runs.`;

/** Parses the arguments after `cli`; throws UsageError with a one-line reason. */
export function parseCommand(argv: readonly string[]): Command {
  const [name, ...rest] = argv;
  switch (name) {
    case undefined:
    case 'help':
    case '--help':
    case '-h':
      return { name: 'help' };
    case 'token': {
      let scopes: string | undefined;
      const positional: string[] = [];
      for (let i = 0; i < rest.length; i += 1) {
        const arg = rest[i]!;
        if (arg === '--scopes') {
          scopes = rest[++i];
          if (scopes === undefined) throw new UsageError('--scopes needs a value, e.g. --scopes pins:read,boards:read');
        } else if (arg.startsWith('--scopes=')) {
          scopes = arg.slice('--scopes='.length);
        } else if (arg.startsWith('-')) {
          throw new UsageError(`token: unknown option "${arg}"`);
        } else {
          positional.push(arg);
        }
      }
      const [username, ...extra] = positional;
      if (!username || extra.length > 0) throw new UsageError('usage: token <username> [--scopes a,b]');
      return { name: 'token', username, scopes };
    }
    case 'admin': {
      const [action, username, ...extra] = rest;
      if ((action !== 'grant' && action !== 'revoke') || !username || extra.length > 0) {
        throw new UsageError('usage: admin grant|revoke <username>');
      }
      return { name: 'admin', action, username };
    }
    case 'migrate':
      if (rest.length > 0) throw new UsageError('usage: migrate');
      return { name: 'migrate' };
    case 'jobs': {
      if (rest.length === 0) return { name: 'jobs' };
      const [action, id, ...extra] = rest;
      if (action !== 'retry' || !id || extra.length > 0) throw new UsageError('usage: jobs [retry <id>]');
      return { name: 'jobs-retry', id };
    }
    default:
      throw new UsageError(`unknown command "${name}"; run "npm run cli -- help"`);
  }
}

/** What to tell someone whose command found the embedded database held by a running server. */
function lockedAdvice(command: Command, config: Config, error: DataDirLockedError): string {
  const held = `the server (process ${error.ownerPid}) has this data dir open (${config.dataDir})`;
  switch (command.name) {
    case 'token':
      return (
        `${held}; stop it, or get a token through the API:\n` +
        `  curl -X POST ${config.publicBaseUrl}/v5/oauth/token -d grant_type=password ` +
        `-d username=${command.username} -d 'password=<password>'`
      );
    case 'migrate':
      return `${held}; it applied the migrations when it started.`;
    default:
      return `${held}; stop it, then run this command again (on PostgreSQL, with DATABASE_URL set, commands work while the server runs).`;
  }
}

class CommandFailed extends Error {}

/** How many dead jobs `jobs` lists. */
const DEAD_JOBS_SHOWN = 20;

async function userIdOf(container: Container, username: string): Promise<string> {
  const user = await container.repositories.accounts.findByUsername(username);
  if (!user) throw new CommandFailed(`no user named "${username}"`);
  return user.id;
}

async function runWithContainer(config: Config, run: (container: Container) => Promise<void>): Promise<void> {
  const container = await createContainer(config);
  try {
    await run(container);
  } finally {
    await container.close();
  }
}

/** Where a command writes: results to `out` (stdout), progress and errors to `err` (stderr). */
export interface CliIo {
  out(line: string): void;
  err(line: string): void;
}

const consoleIo: CliIo = {
  out: (line) => console.log(line),
  err: (line) => console.error(line),
};

async function execute(command: Command, config: Config, io: CliIo): Promise<void> {
  switch (command.name) {
    case 'help':
      io.out(HELP);
      return;
    case 'token': {
      // Validate before opening the database, so a typo fails fast.
      const scopes = parseScopes(command.scopes);
      await runWithContainer(config, async (container) => {
        const userId = await userIdOf(container, command.username);
        const issued = await container.services.tokens.issueFor(userId, scopes);
        // The token alone on stdout, so `TOKEN=$(npm run -s cli -- token demo)` works.
        io.out(issued.access_token);
        io.err(
          `access token for ${command.username}, scopes ${issued.scope}, valid for ${Math.round(issued.expires_in / 86400)} days`,
        );
      });
      return;
    }
    case 'admin':
      await runWithContainer(config, async (container) => {
        const userId = await userIdOf(container, command.username);
        await container.repositories.accounts.setAdmin(userId, command.action === 'grant');
        io.out(
          command.action === 'grant'
            ? `${command.username} is now an administrator`
            : `${command.username} is no longer an administrator`,
        );
      });
      return;
    case 'jobs':
      await runWithContainer(config, async (container) => {
        const { jobs } = container.background;
        const counts = await jobs.counts();
        io.out(`queue: ${jobs.kind}; waiting ${counts.waiting}, running ${counts.active}, waiting to retry ${counts.delayed}, dead ${counts.dead}`);
        for (const job of await jobs.deadJobs(DEAD_JOBS_SHOWN)) {
          io.out(`dead ${job.id} ${job.name} after ${job.attempts} attempt(s): ${job.error ?? '(no error recorded)'}`);
        }
      });
      return;
    case 'jobs-retry':
      await runWithContainer(config, async (container) => {
        if (!(await container.background.jobs.retryDead(command.id))) throw new CommandFailed(`no dead job with id "${command.id}"`);
        io.out(`job ${command.id} is back in line`);
      });
      return;
    case 'migrate': {
      const database = await openDatabase({ databaseUrl: config.databaseUrl, dataDir: config.pgliteDir });
      try {
        await migrateToLatest(database.db);
        const migrations = await createMigrator(database.db).getMigrations();
        const latest = migrations.at(-1)?.name ?? '(none)';
        io.out(`database is up to date (${database.engine}): ${migrations.length} migration(s) applied, latest ${latest}`);
      } finally {
        await database.close();
      }
      return;
    }
  }
}

/** Runs one command; resolves to the exit code (0 done, 1 failed, 2 usage error). */
export async function runCli(argv: readonly string[], io: CliIo = consoleIo, env: NodeJS.ProcessEnv = process.env): Promise<number> {
  let command: Command;
  try {
    command = parseCommand(argv);
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    io.err(`corkboard: ${error.message}`);
    return 2;
  }
  let config: Config | undefined;
  try {
    config = loadConfig(env);
    await execute(command, config, io);
    return 0;
  } catch (error) {
    if (error instanceof DataDirLockedError && config) {
      io.err(`corkboard: ${lockedAdvice(command, config, error)}`);
    } else if (error instanceof ConfigError || error instanceof CommandFailed || isAppError(error)) {
      io.err(`corkboard: ${error.message}`);
    } else {
      throw error;
    }
    return 1;
  }
}

// Runs only as a program, so tests can import parseCommand. Exits explicitly: a database driver's
// idle timers must not keep a finished command alive.
if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  runCli(process.argv.slice(2)).then(
    (code) => process.exit(code),
    (error: unknown) => {
      console.error(error);
      process.exit(1);
    },
  );
}
