import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';
import { registerWorkerThreadMetrics, type WorkerThreadCounters } from './worker-thread-metrics';

/**
 * Which thread a registry belongs to. `main`: a process's main thread, which reports the process-wide
 * default metrics. `worker`: the worker thread of `npm start`, which reads the same process, so it
 * leaves those to the main thread (they would be counted twice once merged) and reports its own heap
 * and event loop instead.
 */
export type MetricsThread = 'main' | 'worker';

/** Every Prometheus metric of one thread, created once and shared through MetricsModule. */
export class LedgerlineMetrics {
  readonly registry = new Registry();

  readonly httpRequests = new Counter({
    name: 'ledgerline_http_requests_total',
    help: 'HTTP requests answered, by method, route template and status code',
    labelNames: ['method', 'route', 'status'] as const,
    registers: [this.registry],
  });

  readonly httpDuration = new Histogram({
    name: 'ledgerline_http_request_duration_seconds',
    help: 'HTTP request latency by method and route template',
    labelNames: ['method', 'route'] as const,
    buckets: [0.002, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
    registers: [this.registry],
  });

  readonly appendBatchSize = new Histogram({
    name: 'ledgerline_group_commit_batch_appends',
    help: 'Appends written per group-commit transaction',
    buckets: [1, 2, 4, 8, 16, 32, 64, 128, 256, 512, 1024],
    registers: [this.registry],
  });

  readonly appendBatchDuration = new Histogram({
    name: 'ledgerline_group_commit_duration_seconds',
    help: 'Time to write and durably commit one group-commit transaction',
    buckets: [0.0005, 0.001, 0.002, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25],
    registers: [this.registry],
  });

  readonly projectionLag = new Gauge({
    name: 'ledgerline_projection_lag_positions',
    help: 'Global positions between the store head and each projection checkpoint',
    labelNames: ['projection'] as const,
    registers: [this.registry],
  });

  readonly notaryTreeSize = new Gauge({
    name: 'ledgerline_notary_tree_size',
    help: 'Leaves in the newest signed checkpoint',
    registers: [this.registry],
  });

  /** Age is `time() - ledgerline_notary_checkpoint_signed_timestamp_seconds` in PromQL. */
  readonly notaryCheckpointSignedAt = new Gauge({
    name: 'ledgerline_notary_checkpoint_signed_timestamp_seconds',
    help: 'Unix time the newest checkpoint was signed by this process',
    registers: [this.registry],
  });

  readonly witnessFailures = new Counter({
    name: 'ledgerline_witness_failures_total',
    help: 'Checkpoints a witness did not cosign (unreachable, lagging or refusing), by witness key name',
    labelNames: ['witness'] as const,
    registers: [this.registry],
  });

  /** Compare with ledgerline_notary_tree_size: a gap that stays is an unwitnessed (unpublished) log. */
  readonly witnessedTreeSize = new Gauge({
    name: 'ledgerline_witnessed_tree_size',
    help: 'Leaves in the newest checkpoint that met the witness quorum',
    registers: [this.registry],
  });

  readonly witnessedCosignatures = new Gauge({
    name: 'ledgerline_witnessed_cosignatures',
    help: 'Valid cosignatures on the newest witnessed checkpoint',
    registers: [this.registry],
  });

  readonly rateLimitRejections = new Counter({
    name: 'ledgerline_rate_limit_rejections_total',
    help: 'Requests refused with 429, by limit',
    labelNames: ['limit'] as const,
    registers: [this.registry],
  });

  readonly writesRefusedOverloaded = new Counter({
    name: 'ledgerline_writes_refused_overloaded_total',
    help: 'State-changing requests refused with 503 because the write admission queue was full',
    registers: [this.registry],
  });

  /** Read when /metrics is scraped: the write admission's queue (see trackWriteQueue). */
  private writeQueueDepth: () => number = () => 0;

  readonly writesQueued: Gauge = new Gauge({
    name: 'ledgerline_writes_queued',
    help: 'State-changing requests waiting for write admission',
    registers: [this.registry],
    collect: (): void => this.writesQueued.set(this.writeQueueDepth()),
  });

  trackWriteQueue(depth: () => number): void {
    this.writeQueueDepth = depth;
  }

  /** Set on the worker thread only. */
  readonly workerThread: WorkerThreadCounters | undefined;

  constructor(thread: MetricsThread) {
    if (thread === 'main') collectDefaultMetrics({ register: this.registry, prefix: 'ledgerline_' });
    else this.workerThread = registerWorkerThreadMetrics(this.registry);
  }
}
