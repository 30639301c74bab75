import { ConfigError, loadConfig } from '@ledgerline/config';
import { createApp } from './app.factory';
import { createLogger } from './observability/logger';

async function main(): Promise<void> {
  let config;
  try {
    config = loadConfig();
  } catch (error) {
    if (error instanceof ConfigError) {
      process.stderr.write(`ledgerline: refusing to start: ${error.message}\n`);
      process.exit(2);
    }
    throw error;
  }
  const logger = createLogger({ level: config.logLevel, format: config.logFormat });
  const app = await createApp(config, logger);
  await app.listen({ port: config.port, host: config.host });
  const scheme = config.tlsCertFile ? 'https' : 'http';
  logger.info(`Ledgerline API listening on ${scheme}://${config.host}:${config.port}`, { context: 'main' });

  // Graceful stop: stop accepting, drain in-flight requests, then shutdown hooks flush and close the store.
  let stopping = false;
  const stop = (signal: NodeJS.Signals): void => {
    if (stopping) return;
    stopping = true;
    logger.info(`${signal} received: draining`, { context: 'main' });
    app.close().then(
      () => {
        logger.info('stopped', { context: 'main' });
        process.exit(0);
      },
      (error: unknown) => {
        logger.error('shutdown failed', { context: 'main', error });
        process.exit(1);
      },
    );
  };
  process.on('SIGTERM', stop);
  process.on('SIGINT', stop);
}

main().catch((error: unknown) => {
  process.stderr.write(`ledgerline: failed to start: ${error instanceof Error ? error.message : 'unknown error'}\n`);
  process.exit(1);
});
