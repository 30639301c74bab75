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
}

main().catch((error: unknown) => {
  process.stderr.write(`ledgerline: failed to start: ${error instanceof Error ? error.message : 'unknown error'}\n`);
  process.exit(1);
});
