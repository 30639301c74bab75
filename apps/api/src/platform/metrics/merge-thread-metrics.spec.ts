import { declaredNames, sampleValue, samples } from '../../../../../test/support/prometheus-text';
import { mergeThreadMetrics } from './merge-thread-metrics';
import { LedgerlineMetrics } from './metrics.registry';

describe('mergeThreadMetrics', () => {
  it('given both threads, then every name appears once, the worker-thread metrics are in, and what both write adds up', async () => {
    const main = new LedgerlineMetrics('main');
    const worker = new LedgerlineMetrics('worker');
    main.httpRequests.inc({ method: 'GET', route: '/health/live', status: '200' });
    main.httpDuration.observe({ method: 'GET', route: '/health/live' }, 0.003);
    worker.notaryTreeSize.set(42);
    worker.witnessFailures.inc({ witness: 'witness.test/w1' });
    main.appendBatchSize.observe(1);
    worker.appendBatchSize.observe(2);

    const text = await mergeThreadMetrics(await main.registry.getMetricsAsJSON(), await worker.registry.getMetricsAsJSON());

    const names = declaredNames(text, 'HELP');
    expect(names.length).toBeGreaterThan(20);
    expect(new Set(names).size).toBe(names.length);
    expect(sampleValue(text, 'ledgerline_worker_thread_metrics_up')).toBe(1);
    expect(sampleValue(text, 'ledgerline_notary_tree_size')).toBe(42);
    expect(sampleValue(text, 'ledgerline_witness_failures_total{witness="witness.test/w1"}')).toBe(1);
    expect(sampleValue(text, 'ledgerline_http_requests_total{method="GET",route="/health/live",status="200"}')).toBe(1);
    expect(sampleValue(text, 'ledgerline_http_request_duration_seconds_count{method="GET",route="/health/live"}')).toBe(1);
    expect(sampleValue(text, 'ledgerline_group_commit_batch_appends_count')).toBe(2);
    expect(sampleValue(text, 'ledgerline_group_commit_batch_appends_sum')).toBe(3);
    expect(sampleValue(text, 'ledgerline_group_commit_batch_appends_bucket{le="1"}')).toBe(1);
    expect(sampleValue(text, 'ledgerline_group_commit_batch_appends_bucket{le="2"}')).toBe(2);
    expect(sampleValue(text, 'ledgerline_worker_thread_heap_used_bytes')).toBeGreaterThan(0);
    expect(sampleValue(text, 'ledgerline_worker_thread_event_loop_active_seconds_total')).toBeGreaterThan(0);
    // Process-wide metrics come from the main thread only: once, not summed.
    expect(sampleValue(text, 'ledgerline_process_resident_memory_bytes')).toBeGreaterThan(0);
    expect(samples(text, 'ledgerline_process_cpu_seconds_total')).toHaveLength(1);
    // prom-client's cluster aggregator would omit this one; a metric of one thread passes through.
    expect(sampleValue(text, 'ledgerline_process_start_time_seconds')).toBeGreaterThan(0);
  });

  it("given no answer from the worker thread, then the main thread's metrics are served with the worker thread marked missing", async () => {
    const main = new LedgerlineMetrics('main');
    main.httpRequests.inc({ method: 'GET', route: '/metrics', status: '200' });

    const text = await mergeThreadMetrics(await main.registry.getMetricsAsJSON(), undefined);

    expect(sampleValue(text, 'ledgerline_worker_thread_metrics_up')).toBe(0);
    expect(sampleValue(text, 'ledgerline_http_requests_total{method="GET",route="/metrics",status="200"}')).toBe(1);
    expect(sampleValue(text, 'ledgerline_process_resident_memory_bytes')).toBeGreaterThan(0);
    expect(samples(text, 'ledgerline_worker_thread_heap_used_bytes')).toEqual([]);
    const names = declaredNames(text, 'HELP');
    expect(new Set(names).size).toBe(names.length);
  });
});
