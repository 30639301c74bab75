/** What a batch writer reports for each item: its result, or the error that rejects that item alone. */
export type ItemOutcome<R> = { ok: true; value: R } | { ok: false; error: Error };

/**
 * Thrown by a batch writer whose transaction could not start because another connection holds the
 * write lock. Nothing was written; the queue retries the batch shortly (without blocking the event loop)
 * and rejects it with `cause` only after `lockWaitMs`.
 */
export class WriteLockBusyError extends Error {
  constructor(override readonly cause: Error) {
    super(`write lock busy: ${cause.message}`);
    this.name = 'WriteLockBusyError';
  }
}

export interface GroupCommitLimits {
  /** Most items written in one transaction. */
  maxBatch: number;
  /** Items queued for the writer; beyond this, callers wait in line (back-pressure) instead of growing the batch. */
  maxQueued: number;
  /** How long a batch keeps retrying a busy write lock before it is rejected. */
  lockWaitMs: number;
}

/** Counters for metrics and for tests that check batching really happens. */
export interface GroupCommitStats {
  /** Batches handed to the writer (one transaction each). */
  batches: number;
  /** Items resolved with a value. */
  committed: number;
  /** Items rejected, alone or with their whole batch. */
  rejected: number;
  largestBatch: number;
  lastBatch: number;
  /** Times a batch found the write lock held by another connection and was retried. */
  lockRetries: number;
  /** Items waiting right now (queued plus those held back by the queue limit). */
  pending: number;
}

/** Reported after every batch, e.g. to feed a batch-size histogram. */
export interface BatchReport {
  items: number;
  failedItems: number;
  durationMs: number;
  /** Set when the whole batch failed (transaction rolled back). */
  error?: Error;
}

/** Short and jittered, so two processes retrying the lock do not fall into step. */
const retryDelayMs = (): number => 1 + Math.random() * 2;

interface Entry<T, R> {
  item: T;
  resolve(value: R): void;
  reject(error: Error): void;
}

/**
 * Group commit: every item enqueued during one event-loop turn is handed to `writeBatch` together
 * (up to `maxBatch`), so one durable commit serves many callers. `writeBatch` runs synchronously
 * and returns one outcome per item; if it throws, the transaction is gone and every item of the batch
 * is rejected with that error. Promises settle only after `writeBatch` returned, i.e. after COMMIT,
 * and, with `durable`, after the commit is on disk.
 */
export class GroupCommitQueue<T, R> {
  private queue: Entry<T, R>[] = [];
  private overflow: Entry<T, R>[] = [];
  private overflowHead = 0;
  private scheduled = false;
  private busySince: number | undefined;
  private readonly counters = { batches: 0, committed: 0, rejected: 0, largestBatch: 0, lastBatch: 0, lockRetries: 0 };

  /** The committed batch whose durability is awaited (see `durable`): at most one, the next batch gathers meanwhile. */
  private settling: Promise<void> | undefined;

  /**
   * `durable`, when given, runs right after each transaction that wrote something and must resolve
   * once that transaction is on disk: the batch's callers (and `onBatch`) hear of it only then, while
   * the next batch is already being written. If it fails, every caller of the batch is rejected with its error.
   */
  constructor(
    private readonly writeBatch: (items: T[]) => ItemOutcome<R>[],
    private readonly limits: GroupCommitLimits,
    private readonly onBatch?: (report: BatchReport) => void,
    private readonly durable?: () => Promise<void>,
  ) {}

  enqueue(item: T): Promise<R> {
    return new Promise<R>((resolve, reject) => {
      const entry = { item, resolve, reject };
      // FIFO: once anyone waits in overflow, newcomers queue behind them.
      if (this.queue.length < this.limits.maxQueued && this.overflowHead === this.overflow.length) this.queue.push(entry);
      else this.overflow.push(entry);
      this.schedule();
    });
  }

  /** Writes everything pending now (used by close), batch after batch. */
  async drain(): Promise<void> {
    for (;;) {
      if (this.settling) await this.settling;
      else if (this.pendingCount() === 0) return;
      else if (this.flushOne() === 'busy') await new Promise((r) => setTimeout(r, retryDelayMs()));
    }
  }

  stats(): GroupCommitStats {
    return { ...this.counters, pending: this.pendingCount() };
  }

  private pendingCount(): number {
    return this.queue.length + this.overflow.length - this.overflowHead;
  }

  private schedule(delayMs = 0): void {
    if (this.scheduled) return;
    this.scheduled = true;
    const run = (): void => {
      this.scheduled = false;
      // While a commit is being made durable, the next batch gathers: one transaction per fsync, as
      // large as a blocking fsync made them, without blocking the thread (rescheduled when it settles).
      if (this.pendingCount() === 0 || this.settling) return;
      const result = this.flushOne();
      if (this.pendingCount() > 0) this.schedule(result === 'busy' ? retryDelayMs() : 0);
    };
    // setImmediate, not a microtask: callers whose previous append just resolved run their
    // continuations (and enqueue again) before the batch is cut, which is what makes batches large.
    if (delayMs > 0) setTimeout(run, delayMs);
    else setImmediate(run);
  }

  private flushOne(): 'written' | 'busy' {
    const batch = this.queue.length <= this.limits.maxBatch ? this.queue : this.queue.slice(0, this.limits.maxBatch);
    this.queue = batch === this.queue ? [] : this.queue.slice(this.limits.maxBatch);
    this.refillFromOverflow();
    const started = performance.now();
    let outcomes: ItemOutcome<R>[];
    try {
      outcomes = this.writeBatch(batch.map((entry) => entry.item));
    } catch (thrown) {
      let error = thrown as Error;
      if (error instanceof WriteLockBusyError) {
        this.busySince ??= started;
        if (performance.now() - this.busySince < this.limits.lockWaitMs) {
          this.queue = batch.concat(this.queue);
          this.counters.lockRetries++;
          return 'busy';
        }
        error = error.cause;
      }
      this.busySince = undefined;
      for (const entry of batch) entry.reject(error);
      this.record(batch.length, batch.length, started, error);
      return 'written';
    }
    this.busySince = undefined;
    if (this.durable === undefined || !outcomes.some((outcome) => outcome.ok)) {
      this.settle(batch, outcomes, started);
      return 'written';
    }
    this.settling = this.durable()
      .then(
        () => this.settle(batch, outcomes, started),
        (error: Error) => {
          for (const entry of batch) entry.reject(error);
          this.record(batch.length, batch.length, started, error);
        },
      )
      .finally(() => {
        this.settling = undefined;
        if (this.pendingCount() > 0) this.schedule();
      });
    return 'written';
  }

  private settle(batch: Entry<T, R>[], outcomes: ItemOutcome<R>[], started: number): void {
    let failed = 0;
    for (let i = 0; i < batch.length; i++) {
      const outcome = outcomes[i];
      if (outcome.ok) batch[i].resolve(outcome.value);
      else {
        failed++;
        batch[i].reject(outcome.error);
      }
    }
    this.record(batch.length, failed, started);
  }

  private refillFromOverflow(): void {
    while (this.queue.length < this.limits.maxQueued && this.overflowHead < this.overflow.length) {
      this.queue.push(this.overflow[this.overflowHead++]);
    }
    if (this.overflowHead === this.overflow.length) {
      this.overflow = [];
      this.overflowHead = 0;
    }
  }

  private record(items: number, failed: number, started: number, error?: Error): void {
    const c = this.counters;
    c.batches++;
    c.committed += items - failed;
    c.rejected += failed;
    c.lastBatch = items;
    if (items > c.largestBatch) c.largestBatch = items;
    if (!this.onBatch) return;
    try {
      this.onBatch({ items, failedItems: failed, durationMs: performance.now() - started, error });
    } catch (hookError) {
      // A metrics hook must never break appends that already settled.
      process.emitWarning(`group-commit onBatch hook threw: ${(hookError as Error).message}`);
    }
  }
}
