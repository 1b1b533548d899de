// Entry point: `npm start` runs Corkboard in one process. `--role api` serves HTTP only, `--role worker`
// runs background jobs only, `--role all` (the default) does both, so one machine needs one process and
// many machines can scale the two roles apart. Shuts down gracefully on SIGTERM/SIGINT: stop accepting,
// let in-flight requests finish, close the database, exit 0 (or exit 1 after SHUTDOWN_TIMEOUT_MS).
import net, { type AddressInfo } from 'node:net';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { pino } from 'pino';
import { ConfigError, loadConfig } from './config.js';
import { createContainer } from './container.js';
import { buildApp } from './app.js';
import { DataDirLockedError } from './platform/db/data-dir-lock.js';
import { seedDemoIfEmpty } from './demo/seed-demo.js';

export const ROLES = ['api', 'worker', 'all'] as const;
export type Role = (typeof ROLES)[number];

export class UsageError extends Error {}

const REPEAT_GRACE_MS = 2000;

/** Fails fast, before minutes of start-up work, when the port is taken. */
async function assertPortFree(host: string, port: number): Promise<void> {
  if (port === 0) return;
  await new Promise<void>((resolve, reject) => {
    const probe = net.createServer();
    probe.once('error', (error: NodeJS.ErrnoException) =>
      reject(error.code === 'EADDRINUSE' ? new ConfigError(`port ${port} on ${host} is in use; set PORT to another port`) : error),
    );
    probe.listen({ host, port }, () => probe.close(() => resolve()));
  });
}

/** Reads `--role <role>` (or `--role=<role>`) from the arguments; the default is `all`. */
export function parseRole(argv: readonly string[]): Role {
  let role: string = 'all';
  for (let i = 0; i < argv.length; i += 1) {
    const arg = argv[i]!;
    if (arg === '--role') role = argv[++i] ?? '';
    else if (arg.startsWith('--role=')) role = arg.slice('--role='.length);
    else throw new UsageError(`unknown argument "${arg}" (usage: main [--role api|worker|all])`);
  }
  if (!(ROLES as readonly string[]).includes(role)) {
    throw new UsageError(`--role must be one of ${ROLES.join(', ')}, got "${role}"`);
  }
  return role as Role;
}

/** Something the process runs until shutdown; stopped in reverse order of starting. */
interface Component {
  stop(): Promise<void>;
}

async function main(): Promise<void> {
  const role = parseRole(process.argv.slice(2));
  const config = loadConfig();
  const logger = pino({ level: config.logLevel, base: { pid: process.pid, role } });
  const components: Component[] = [];
  let shuttingDown = false;
  let closeDatabase: () => Promise<void> = async () => undefined;

  const start = async () => {
    if (role !== 'worker') await assertPortFree(config.host, config.port);
    if (!config.databaseUrl) {
      logger.info({ dataDir: config.pgliteDir }, 'opening the embedded database (the very first start creates it, ~15-30 s)');
    }
    const container = await createContainer(config, { logger });
    closeDatabase = () => container.close();
    logger.info(
      { engine: container.database.engine, ...(container.database.engine === 'pglite' ? { dataDir: config.dataDir } : {}) },
      'database ready',
    );
    if (shuttingDown) return;

    const serving = role === 'api' || role === 'all';
    const app = serving ? await buildApp(container, { logger, isShuttingDown: () => shuttingDown }) : undefined;
    if (app) {
      components.push({ stop: () => app.close() });
      if (config.seedDemo) await seedDemoIfEmpty(container, logger);
      if (shuttingDown) return;
    }
    // Every role follows the change log (the worker role also runs jobs and the durable log readers),
    // from before the first request: a row cached by a request is then always dropped when it changes.
    const worker = role === 'worker' || role === 'all';
    await container.start({ worker, api: serving });
    if (app) {
      await app.listen({ host: config.host, port: config.port });
      // With PORT=0 the OS picks the port: log the real one so scripts and tests can find it.
      const address = app.server.address() as AddressInfo;
      const host = address.family === 'IPv6' ? `[${address.address}]` : address.address;
      const url = `http://${host}:${address.port}`;
      logger.info(
        { engine: container.database.engine, url, port: address.port },
        `Corkboard is serving on ${url} (database: ${container.database.engine})`,
      );
    }
    if (worker) {
      logger.info({ queue: container.background.jobs.kind }, 'worker started');
      // The worker keeps the process alive through its timers, which are unref'd: hold it open.
      const keepAlive = setInterval(() => undefined, 1 << 30);
      components.push({ stop: async () => clearInterval(keepAlive) });
    }
  };
  const started = start();

  const shutdown = async (signal: string) => {
    if (shuttingDown) return;
    shuttingDown = true;
    logger.info({ signal }, 'shutting down: no new connections, waiting for in-flight requests');
    const timer = setTimeout(() => {
      logger.error({ timeoutMs: config.shutdownTimeoutMs }, 'shutdown timed out; exiting');
      process.exit(1);
    }, config.shutdownTimeoutMs);
    timer.unref();
    try {
      // A signal during start-up waits for the step in progress, so the database (and the data dir
      // lock) is still closed cleanly.
      await started.catch(() => undefined);
      for (const component of [...components].reverse()) await component.stop();
      await closeDatabase();
      logger.info('shutdown complete');
      process.exit(0);
    } catch (error) {
      logger.error({ err: error }, 'shutdown failed');
      process.exit(1);
    }
  };
  // Ctrl-C in a terminal signals the whole process group, so under `npm start` the same SIGINT
  // arrives twice (from the terminal and relayed by npm). A repeat within REPEAT_GRACE_MS is that echo
  // and is ignored; a later one means the person insists, and ends the process at once.
  let firstSignalAt = 0;
  const onSignal = (signal: string) => {
    if (!shuttingDown) {
      firstSignalAt = Date.now();
      void shutdown(signal);
    } else if (Date.now() - firstSignalAt > REPEAT_GRACE_MS) {
      logger.warn({ signal }, 'second signal: exiting without finishing the shutdown');
      process.exit(1);
    }
  };
  process.on('SIGTERM', () => onSignal('SIGTERM'));
  process.on('SIGINT', () => onSignal('SIGINT'));

  try {
    await started;
  } catch (error) {
    await closeDatabase().catch(() => undefined);
    throw error;
  }
}

// Runs only as a program, so tests can import parseRole.
if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  main().catch((error: unknown) => {
    if (error instanceof ConfigError || error instanceof DataDirLockedError || error instanceof UsageError) {
      console.error(`corkboard: ${error.message}`);
    } else {
      console.error(error);
    }
    process.exit(1);
  });
}
