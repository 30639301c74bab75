import path from 'node:path';
import { ConfigError, type AppConfig } from '@ledgerline/config';
import { createApp } from './app.factory';
import { offThreadVerdicts } from './contexts/access/authentication/off-thread-verdicts';
import { TokenVerifier } from './contexts/access/authentication/token-verifier';
import { MetricsExposition } from './platform/metrics/metrics-exposition';
import { createLogger } from './platform/observability/logger';
import { WorkerThread } from './platform/worker-thread/worker-thread.supervisor';

/** Loads the configuration (exit 2 naming the variable when invalid), serves, and stops gracefully on SIGTERM/SIGINT. */
export async function serve(role: 'api' | 'worker', load: () => AppConfig): Promise<void> {
  let config: AppConfig;
  try {
    config = load();
  } catch (error) {
    if (error instanceof ConfigError) {
      process.stderr.write(`ledgerline: refusing to start: ${error.message}\n`);
      process.exit(2);
    }
    throw error;
  }
  const logger = createLogger({ level: config.logLevel, format: config.logFormat });
  // An API process with WORKER on runs the worker role on a second thread; its own thread only serves.
  const threaded = role === 'api' && config.worker;
  const app = await createApp(threaded ? { ...config, worker: false } : config, logger);
  // Started after the API app made the dev keys and tables, so the two never race to create them.
  const workerThread = threaded ? await WorkerThread.start(path.join(__dirname, 'worker-thread.js'), logger, (code) => process.exit(code)) : undefined;
  // The worker role's metrics (notary, witnesses, its appends) live in the thread's registry: /metrics asks it.
  if (workerThread !== undefined) app.get(MetricsExposition).includeWorkerThread(workerThread);
  // A user's first request leaves Clerk's verification of their token to the worker thread: the request thread is the busier.
  if (workerThread !== undefined) {
    app.get(TokenVerifier).verifyOnAnotherThread(offThreadVerdicts((question, timeoutMs) => workerThread.ask('session-verdict', question, timeoutMs)));
  }
  await app.listen({ port: config.port, host: config.host });
  const scheme = config.tlsCertFile ? 'https' : 'http';
  logger.info(`Ledgerline ${role} listening on ${scheme}://${config.host}:${config.port} (worker ${config.worker ? 'on' : 'off'})`, { context: 'main' });

  // Graceful stop: stop accepting, drain in-flight requests, then shutdown hooks flush and close the store.
  let stopping = false;
  const stop = (signal: NodeJS.Signals): void => {
    if (stopping) return;
    stopping = true;
    logger.info(`${signal} received: draining`, { context: 'main' });
    app
      .close()
      .then(() => workerThread?.stop())
      .then(
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

export function exitOnStartFailure(error: unknown): void {
  process.stderr.write(`ledgerline: failed to start: ${error instanceof Error ? error.message : 'unknown error'}\n`);
  process.exit(1);
}
