import { once } from 'node:events';
import { Worker } from 'node:worker_threads';
import type winston from 'winston';
import type { MetricsSnapshot } from '../metrics/merge-thread-metrics';

/**
 * What the API thread asks the worker thread: its metrics registry as JSON (`metrics`), or Clerk's
 * verdict on a session token the API thread has not seen (`session-verdict`, see TokenVerifier).
 */
export type WorkerThreadQuestion = 'metrics' | 'session-verdict';

/**
 * Messages between the API thread and the worker thread. A request is answered with its id and the
 * answer, or `null` when the thread could not produce one.
 */
export type WorkerThreadMessage =
  | { type: 'ready' }
  | { type: 'stop' }
  | { type: 'request'; id: number; question: WorkerThreadQuestion; payload?: unknown }
  | { type: 'answer'; id: number; answer: unknown };

/**
 * The worker role (projections and the notary) of an API process with WORKER=on, on a thread of its
 * own: the API thread then serves requests while the second core folds the log. The thread boots only
 * the worker role (WorkerRoleModule) with WORKER on and no listener. Supervision is all-or-nothing: if the thread
 * dies, the process exits non-zero, so a supervisor (systemd, compose, a shell) restarts both.
 */
export class WorkerThread {
  private stopping = false;
  private nextRequest = 0;
  /** Each request still waiting for its answer, by id. */
  private readonly waiting = new Map<number, (answer: unknown) => void>();

  private constructor(private readonly worker: Worker) {
    worker.on('message', (message: WorkerThreadMessage) => {
      if (message.type === 'answer') this.waiting.get(message.id)?.(message.answer ?? undefined);
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
    return this.ask('metrics', undefined, timeoutMs) as Promise<MetricsSnapshot | undefined>;
  }

  /**
   * The thread's answer to a question, or undefined when it is stopping, could not answer, or has not
   * answered within `timeoutMs`. The answer is the thread's own data: the asker checks its shape.
   */
  ask(question: WorkerThreadQuestion, payload: unknown, timeoutMs: number): Promise<unknown> {
    if (this.stopping) return Promise.resolve(undefined);
    const id = this.nextRequest++;
    return new Promise((resolve) => {
      const answer = (value: unknown): void => {
        clearTimeout(timer);
        this.waiting.delete(id);
        resolve(value);
      };
      const timer = setTimeout(() => answer(undefined), timeoutMs);
      this.waiting.set(id, answer);
      this.worker.postMessage({ type: 'request', id, question, payload } satisfies WorkerThreadMessage);
    });
  }

  /** Stops the projections and the notary (they flush their work), then ends the thread. */
  async stop(): Promise<void> {
    if (this.stopping) return;
    this.stopping = true;
    // A stopping thread answers no more: the scrapes and first requests waiting on it go on without it.
    for (const answer of [...this.waiting.values()]) answer(undefined);
    const exited = once(this.worker, 'exit');
    this.worker.postMessage({ type: 'stop' } satisfies WorkerThreadMessage);
    await exited;
  }
}
