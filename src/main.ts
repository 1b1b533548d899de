// Entry point: `npm start` runs Corkboard in one process. `--role api` serves HTTP only, `--role worker`
// runs background jobs only, `--role all` (the default) does both, so one machine needs one process and
// many machines can scale the two roles apart. Shuts down gracefully on SIGTERM/SIGINT, always within
// SHUTDOWN_TIMEOUT_MS: stop accepting, let in-flight requests finish, stop the background work, close
// Redis and the database, exit 0 (or 1 when requests still running at the deadline had to be cut).
import net, { type AddressInfo } from 'node:net';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { FastifyInstance } from 'fastify';
import { ConfigError, loadConfig } from './config.js';
import { createContainer } from './container.js';
import { buildApp } from './app.js';
import { DataDirLockedError } from './platform/db/data-dir-lock.js';
import { seedDemoIfEmpty } from './demo/seed-demo.js';
import { Deadline, settledWithin } from './platform/deadline.js';
import { createLogger } from './platform/logging.js';

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

/**
 * The share of SHUTDOWN_TIMEOUT_MS kept, after in-flight requests, for stopping the background work
 * and closing Redis and the database (at least 300 ms, at most 3 s).
 */
function closingReserveMs(timeoutMs: number): number {
  return Math.min(3000, Math.max(300, timeoutMs * 0.3));
}
/** The shutdown's own steps end this much before SHUTDOWN_TIMEOUT_MS, the last-resort exit (at most 250 ms). */
function marginMs(timeoutMs: number): number {
  return Math.min(250, timeoutMs / 10);
}
/** After the database connections are dropped, how long requests get to send their 503 before their connections close. */
const ANSWER_GRACE_MS = 300;

async function main(): Promise<void> {
  const role = parseRole(process.argv.slice(2));
  const config = loadConfig();
  const logger = createLogger({ level: config.logLevel, base: { pid: process.pid, role } });
  const components: Component[] = [];
  let shuttingDown = false;
  let closeContainer: (deadline: Deadline) => Promise<string[]> = async () => [];
  let abortDatabase: () => void = () => undefined;
  let server: FastifyInstance | undefined;

  const start = async () => {
    if (role !== 'worker') await assertPortFree(config.host, config.port);
    if (!config.databaseUrl) {
      logger.info({ dataDir: config.pgliteDir }, 'opening the embedded database (the very first start creates it, ~15-30 s)');
    }
    const container = await createContainer(config, { logger });
    closeContainer = (deadline) => container.close(deadline);
    abortDatabase = () => container.database.abort();
    logger.info(
      { engine: container.database.engine, ...(container.database.engine === 'pglite' ? { dataDir: config.dataDir } : {}) },
      'database ready',
    );
    if (shuttingDown) return;

    const serving = role === 'api' || role === 'all';
    const app = serving ? await buildApp(container, { logger, isShuttingDown: () => shuttingDown }) : undefined;
    if (app) {
      server = app;
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

  // Every step of the shutdown is bounded by one deadline, SHUTDOWN_TIMEOUT_MS from the signal: in-flight
  // requests get most of it, and what is still running when their share is up is cut (the database
  // connections dropped, so a request waiting on a statement answers 503, then its connection closed);
  // the background work, Redis and the database close in the rest, each dropped rather than waited
  // for if it does not answer. Exit status 0 when every request finished, 1 when some were cut.
  const shutdown = async (signal: string) => {
    if (shuttingDown) return;
    shuttingDown = true;
    const signalledAt = Date.now();
    const deadline = new Deadline(config.shutdownTimeoutMs - marginMs(config.shutdownTimeoutMs));
    const reserve = closingReserveMs(config.shutdownTimeoutMs);
    logger.info({ signal }, 'shutting down: no new connections, waiting for in-flight requests');
    // The last resort, should a step ignore its bound.
    const timer = setTimeout(() => {
      logger.error({ timeoutMs: config.shutdownTimeoutMs }, 'shutdown timed out; exiting');
      process.exit(1);
    }, config.shutdownTimeoutMs);
    timer.unref();
    try {
      // A signal during start-up waits for the step in progress (within the deadline), so the database
      // (and the data dir lock) is still closed cleanly.
      await deadline.within(started.catch(() => undefined), reserve);
      let requestsCut = false;
      if (server) {
        const app = server;
        const closing = app.close();
        if (!(await deadline.within(closing, reserve))) {
          requestsCut = true;
          logger.warn({ timeoutMs: config.shutdownTimeoutMs }, 'shutdown: requests still running at the deadline are cut');
          abortDatabase();
          await settledWithin(closing, Math.min(ANSWER_GRACE_MS, deadline.remaining() / 3));
          app.server.closeAllConnections();
          await deadline.within(closing, reserve / 2);
        }
      }
      for (const component of [...components].reverse()) await deadline.within(component.stop(), reserve);
      const late = await closeContainer(deadline);
      if (late.length > 0) logger.warn({ late }, 'shutdown: these did not close in time and were dropped');
      logger.info({ ms: Date.now() - signalledAt, requestsCut }, 'shutdown complete');
      process.exit(requestsCut ? 1 : 0);
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
    await closeContainer(new Deadline(config.shutdownTimeoutMs)).catch(() => undefined);
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
