import { Injectable } from '@nestjs/common';
import { mergeThreadMetrics, type MetricsSnapshot } from './merge-thread-metrics';
import { LedgerlineMetrics } from './metrics.registry';

/** How long a scrape waits for the worker thread's metrics before it answers without them. */
const WORKER_THREAD_METRICS_TIMEOUT_MS = 1_000;

/** The worker thread of `npm start` as a scrape sees it (WorkerThread). */
export interface WorkerThreadMetricsSource {
  /** Its registry as JSON, or undefined when it is stopping or did not answer within `timeoutMs`. */
  metrics(timeoutMs: number): Promise<MetricsSnapshot | undefined>;
}

/**
 * What /metrics serves: this thread's registry, merged with the worker thread's when the process runs
 * one (`npm start` with WORKER on). A process without one (WORKER=off, `npm run worker`) serves its own.
 */
@Injectable()
export class MetricsExposition {
  private workerThread: WorkerThreadMetricsSource | undefined;

  constructor(private readonly metrics: LedgerlineMetrics) {}

  /** From now on every scrape asks the worker thread too (server.ts, once the thread runs). */
  includeWorkerThread(source: WorkerThreadMetricsSource): void {
    this.workerThread = source;
  }

  async render(): Promise<string> {
    if (this.workerThread === undefined) return this.metrics.registry.metrics();
    const [main, worker] = await Promise.all([this.metrics.registry.getMetricsAsJSON(), this.workerThread.metrics(WORKER_THREAD_METRICS_TIMEOUT_MS)]);
    return mergeThreadMetrics(main, worker);
  }
}
