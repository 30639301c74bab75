import { parentPort } from 'node:worker_threads';
import { loadWorkerConfig } from '@ledgerline/config';
import { createApp } from './app.factory';
import { createLogger } from './platform/observability/logger';
import type { WorkerThreadMessage } from './platform/worker-thread/worker-thread.supervisor';

// The worker role on a thread of the API process (see WorkerThread): the application with WORKER on,
// initialised (projections and notary started) but never listening.
async function run(): Promise<void> {
  const port = parentPort;
  if (port === null) throw new Error('worker-thread.js runs only as a worker thread');
  const config = loadWorkerConfig();
  const logger = createLogger({ level: config.logLevel, format: config.logFormat });
  const app = await createApp(config, logger);
  await app.init();
  port.on('message', (message: WorkerThreadMessage) => {
    if (message.type !== 'stop') return;
    app.close().then(
      () => process.exit(0),
      (error: unknown) => {
        logger.error('worker thread shutdown failed', { context: 'worker-thread', error });
        process.exit(1);
      },
    );
  });
  port.postMessage({ type: 'ready' } satisfies WorkerThreadMessage);
}

run().catch((error: unknown) => {
  // Seen by the supervisor as an 'error' event; the message only, never a stack with paths.
  throw new Error(`worker thread failed to start: ${error instanceof Error ? error.message : 'unknown error'}`);
});
