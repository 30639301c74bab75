import { once } from 'node:events';
import { Worker } from 'node:worker_threads';
import type winston from 'winston';
import type { MetricsSnapshot } from '../metrics/merge-thread-metrics';

/**
 * Messages between the API thread and the worker thread. A metrics request is answered with the same
 * id and the thread's registry as JSON, or `null` when it could not collect them.
 */
export type WorkerThreadMessage =
  | { type: 'ready' }
  | { type: 'stop' }
  | { type: 'metrics-request'; id: number }
  | { type: 'metrics-response'; id: number; metrics: MetricsSnapshot | null };

/**
 * The worker role (projections and the notary) of an API process with WORKER=on, on a thread of its
 * own: the API thread then serves requests while the second core folds the log. The thread boots only
 * the worker role (WorkerRoleModule) with WORKER on and no listener. Supervision is all-or-nothing: if the thread
 * dies, the process exits non-zero, so a supervisor (systemd, compose, a shell) restarts both.
 */
export class WorkerThread {
  private stopping = false;
  private nextMetricsRequest = 0;
  /** Each metrics request still waiting for its answer, by id. */
  private readonly metricsRequests = new Map<number, (metrics: MetricsSnapshot | undefined) => void>();

  private constructor(private readonly worker: Worker) {
    worker.on('message', (message: WorkerThreadMessage) => {
      if (message.type === 'metrics-response') this.metricsRequests.get(message.id)?.(message.metrics ?? undefined);
    });
  }

  /** Starts the thread and resolves once its projections and notary run. */
  static async start(entry: string, logger: winston.Logger, onDeath: (code: number) => void): Promise<WorkerThread> {
    // The thread gets a copy of this process's environment; its entry forces WORKER on.
    const worker = new Worker(entry);
    const thread = new WorkerThread(worker);
    const ready = new Promise<void>((resolve, reject) => {
      worker.on('message', (message: WorkerThreadMessage) => {
        if (message.type === 'ready') resolve();
      });
      worker.once('error', reject);
      worker.once('exit', (code) => reject(new Error(`worker thread exited during start (code ${code})`)));
    });
    await ready;
    worker.removeAllListeners('error').removeAllListeners('exit');
    worker.on('error', (error) => logger.error('worker thread failed', { context: 'worker-thread', error }));
    worker.on('exit', (code) => {
      if (thread.stopping) return;
      logger.error(`worker thread died (code ${code}): stopping the process`, { context: 'worker-thread' });
      onDeath(code === 0 ? 1 : code);
    });
    return thread;
  }

  /**
   * The worker thread's metrics, or undefined when it is stopping or has not answered within
   * `timeoutMs` (busy folding the log, or gone): a scrape must never wait on it for long.
   */
  metrics(timeoutMs: number): Promise<MetricsSnapshot | undefined> {
    if (this.stopping) return Promise.resolve(undefined);
    const id = this.nextMetricsRequest++;
    return new Promise((resolve) => {
      const answer = (metrics: MetricsSnapshot | undefined): void => {
        clearTimeout(timer);
        this.metricsRequests.delete(id);
        resolve(metrics);
      };
      const timer = setTimeout(() => answer(undefined), timeoutMs);
      this.metricsRequests.set(id, answer);
      this.worker.postMessage({ type: 'metrics-request', id } satisfies WorkerThreadMessage);
    });
  }

  /** Stops the projections and the notary (they flush their work), then ends the thread. */
  async stop(): Promise<void> {
    if (this.stopping) return;
    this.stopping = true;
    // A stopping thread answers no more: the scrapes waiting on it go on without its metrics.
    for (const answer of [...this.metricsRequests.values()]) answer(undefined);
    const exited = once(this.worker, 'exit');
    this.worker.postMessage({ type: 'stop' } satisfies WorkerThreadMessage);
    await exited;
  }
}
