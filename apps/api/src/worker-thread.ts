import 'reflect-metadata';
import { parentPort } from 'node:worker_threads';
import { NestFactory } from '@nestjs/core';
import { loadWorkerConfig } from '@ledgerline/config';
import { clerkVerdict } from './contexts/access/authentication/clerk-verdict';
import type { SessionVerdictQuestion } from './contexts/access/authentication/off-thread-verdicts';
import { LedgerlineMetrics } from './platform/metrics/metrics.registry';
import { createLogger } from './platform/observability/logger';
import { WinstonNestLogger } from './platform/observability/nest-logger';
import type { WorkerThreadMessage, WorkerThreadQuestion } from './platform/worker-thread/worker-thread.supervisor';
import { WorkerRoleModule } from './worker-role.module';

// The worker role on a thread of the API process (see WorkerThread): WorkerRoleModule with WORKER on,
// an application context (projections and notary started) with no HTTP server at all.
async function run(): Promise<void> {
  const port = parentPort;
  if (port === null) throw new Error('worker-thread.js runs only as a worker thread');
  const config = loadWorkerConfig();
  const logger = createLogger({ level: config.logLevel, format: config.logFormat });
  // createApplicationContext initialises the modules (bootstrap hooks run) before it resolves.
  const app = await NestFactory.createApplicationContext(WorkerRoleModule.forRoot(config, logger), {
    logger: new WinstonNestLogger(logger),
    bufferLogs: false,
    // A wiring error must reach the supervisor as this thread's failure, not abort the whole process.
    abortOnError: false,
  });
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
  const metrics = app.get(LedgerlineMetrics);
  // The API thread asks for this thread's registry (its /metrics merges it with its own), and for Clerk's
  // verdict on session tokens it has not seen (TokenVerifier): the same SDK call, off the request thread.
  const answers: Record<WorkerThreadQuestion, (payload: unknown) => Promise<unknown>> = {
    metrics: () => metrics.registry.getMetricsAsJSON(),
    'session-verdict': (payload) => {
      const { token, settings } = payload as SessionVerdictQuestion;
      return clerkVerdict(token, settings);
    },
  };
  port.on('message', (message: WorkerThreadMessage) => {
    if (message.type !== 'request') return;
    answers[message.question](message.payload).then(
      (answer) => {
        metrics.workerThread?.answers.inc({ question: message.question });
        port.postMessage({ type: 'answer', id: message.id, answer } satisfies WorkerThreadMessage);
      },
      (error: unknown) => {
        logger.warn(`worker thread could not answer a ${message.question} request`, { context: 'worker-thread', error });
        port.postMessage({ type: 'answer', id: message.id, answer: null } satisfies WorkerThreadMessage);
      },
    );
  });
  port.postMessage({ type: 'ready' } satisfies WorkerThreadMessage);
}

run().catch((error: unknown) => {
  // Seen by the supervisor as an 'error' event; the message only, never a stack with paths.
  throw new Error(`worker thread failed to start: ${error instanceof Error ? error.message : 'unknown error'}`);
});
