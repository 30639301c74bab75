import { once } from 'node:events';
import { Worker } from 'node:worker_threads';
import type winston from 'winston';

/** Messages between the API thread and the worker thread. */
export type WorkerThreadMessage = { type: 'ready' } | { type: 'stop' };

/**
 * The worker role (projections and the notary) of an API process with WORKER=on, on a thread of its
 * own: the API thread then serves requests while the second core folds the log. The thread boots only
 * the worker role (WorkerRoleModule) with WORKER on and no listener. Supervision is all-or-nothing: if the thread
 * dies, the process exits non-zero, so a supervisor (systemd, compose, a shell) restarts both.
 */
export class WorkerThread {
  private stopping = false;

  private constructor(private readonly worker: Worker) {}

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

  /** Stops the projections and the notary (they flush their work), then ends the thread. */
  async stop(): Promise<void> {
    if (this.stopping) return;
    this.stopping = true;
    const exited = once(this.worker, 'exit');
    this.worker.postMessage({ type: 'stop' } satisfies WorkerThreadMessage);
    await exited;
  }
}
