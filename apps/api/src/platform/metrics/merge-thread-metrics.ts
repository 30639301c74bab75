import { AggregatorRegistry, Gauge, Registry } from 'prom-client';

/** One thread's registry as prom-client's JSON (`getMetricsAsJSON`): what crosses between threads. */
export type MetricsSnapshot = Awaited<ReturnType<Registry['getMetricsAsJSON']>>;

/**
 * The main thread's and the worker thread's metrics as one Prometheus exposition, each name once, with
 * `ledgerline_worker_thread_metrics_up` saying whether the worker thread's are in it (`undefined`: it
 * did not answer in time, or is stopping).
 *
 * Both threads register the same LedgerlineMetrics, but each metric is written on one of them (HTTP,
 * rate limits and write admission on the main thread; the notary and witnesses on the worker thread),
 * except the group-commit histograms, which both threads' appends write. prom-client's default
 * aggregator, sum, is right for all of them: counters and histograms add up, and a gauge one thread
 * never sets is 0 or absent there.
 */
export async function mergeThreadMetrics(main: MetricsSnapshot, worker: MetricsSnapshot | undefined): Promise<string> {
  const threads = [main, worker ?? [], await workerThreadUp(worker !== undefined)];
  return AggregatorRegistry.aggregate(passSinglesThrough(threads)).metrics();
}

/**
 * prom-client's aggregators are made for N cluster workers that all report a metric, and some drop it
 * outright (process_start_time_seconds is 'omit'). A metric only one thread reports is that thread's
 * alone, so it passes through as it is: the 'first' of one.
 */
function passSinglesThrough(threads: MetricsSnapshot[]): MetricsSnapshot[] {
  const reporters = new Map<string, number>();
  for (const metric of threads.flat()) reporters.set(metric.name, (reporters.get(metric.name) ?? 0) + 1);
  return threads.map((metrics) => metrics.map((metric) => (reporters.get(metric.name) === 1 ? { ...metric, aggregator: 'first' } : metric)));
}

async function workerThreadUp(answered: boolean): Promise<MetricsSnapshot> {
  const registry = new Registry();
  new Gauge({
    name: 'ledgerline_worker_thread_metrics_up',
    help: "1 when this scrape holds the worker thread's metrics; 0 when it did not answer in time or is stopping",
    registers: [registry],
  }).set(answered ? 1 : 0);
  return registry.getMetricsAsJSON();
}
