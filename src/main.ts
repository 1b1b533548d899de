// Entry point: `npm start` serves the API (and, once the job queue lands, runs the worker) in one
// process. Shuts down gracefully on SIGTERM/SIGINT: stop accepting, drain in-flight requests, close
// the database.
import { pino } from 'pino';
import { ConfigError, loadConfig } from './config.js';
import { createContainer } from './container.js';
import { buildApp } from './app.js';
import { DataDirLockedError } from './platform/db/data-dir-lock.js';
import { seedDemoIfEmpty } from './demo/seed-demo.js';

async function main(): Promise<void> {
  const config = loadConfig();
  const logger = pino({ level: config.logLevel });
  const container = await createContainer(config);
  let shuttingDown = false;
  const app = await buildApp(container, { logger, isShuttingDown: () => shuttingDown });

  if (config.seedDemo) await seedDemoIfEmpty(container, logger);

  const shutdown = async (signal: string) => {
    if (shuttingDown) return;
    shuttingDown = true;
    logger.info({ signal }, 'shutting down');
    const timer = setTimeout(() => {
      logger.error('shutdown timed out; exiting');
      process.exit(1);
    }, config.shutdownTimeoutMs);
    timer.unref();
    try {
      await app.close();
      await container.close();
      logger.info('shutdown complete');
      process.exit(0);
    } catch (error) {
      logger.error({ err: error }, 'shutdown failed');
      process.exit(1);
    }
  };
  process.once('SIGTERM', () => void shutdown('SIGTERM'));
  process.once('SIGINT', () => void shutdown('SIGINT'));

  await app.listen({ host: config.host, port: config.port });
  logger.info(
    { engine: container.database.engine, url: `http://${config.host}:${config.port}` },
    `Corkboard is serving on http://${config.host}:${config.port} (database: ${container.database.engine})`,
  );
}

main().catch((error: unknown) => {
  if (error instanceof ConfigError || error instanceof DataDirLockedError) {
    console.error(`corkboard: ${error.message}`);
  } else {
    console.error(error);
  }
  process.exit(1);
});
