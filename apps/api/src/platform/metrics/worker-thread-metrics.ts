import { performance } from 'node:perf_hooks';
import { getHeapStatistics } from 'node:v8';
import { Counter, Gauge, type Registry } from 'prom-client';

/**
 * What only the worker thread of `npm start` can say about itself: its own V8 heap and how busy its
 * event loop is. The process-wide default metrics (CPU, RSS, fds) are the main thread's to report,
 * and its nodejs_* heap and loop metrics describe the main thread alone; these names keep the two apart.
 */
export function registerWorkerThreadMetrics(registry: Registry): WorkerThreadCounters {
  new Gauge({
    name: 'ledgerline_worker_thread_heap_used_bytes',
    help: "V8 heap used by the worker thread's isolate",
    registers: [registry],
    collect(): void {
      this.set(getHeapStatistics().used_heap_size);
    },
  });
  new Gauge({
    name: 'ledgerline_worker_thread_heap_total_bytes',
    help: "V8 heap allocated for the worker thread's isolate",
    registers: [registry],
    collect(): void {
      this.set(getHeapStatistics().total_heap_size);
    },
  });
  // A counter, not a "utilisation since the last scrape" gauge: that would depend on who scraped last
  // (two Prometheus replicas would each see half a window). rate() of it is the utilisation.
  let counted = 0;
  new Counter({
    name: 'ledgerline_worker_thread_event_loop_active_seconds_total',
    help: "Time the worker thread's event loop spent running (not idle); rate() is its event-loop utilisation",
    registers: [registry],
    collect(): void {
      const active = performance.eventLoopUtilization().active / 1000;
      this.inc(active - counted);
      counted = active;
    },
  });
  return {
    answers: new Counter({
      name: 'ledgerline_worker_thread_answers_total',
      help: "Questions of the API thread the worker thread answered, by question (metrics; session-verdict: a user's first token, verified here)",
      labelNames: ['question'] as const,
      registers: [registry],
    }),
  };
}

/** Counted by the worker thread itself (see registerWorkerThreadMetrics). */
export interface WorkerThreadCounters {
  answers: Counter<'question'>;
}
