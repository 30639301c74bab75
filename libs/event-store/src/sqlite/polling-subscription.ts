import type { EventSubscription, RecordedEvent } from '../event-store.port';

/** Where a subscription reads from and how it learns that something was appended. */
export interface SubscriptionSource {
  /** Committed events with position > `after`, in position order, at most `limit`. */
  readPage(after: bigint, limit: number): RecordedEvent[];
  /** Resolves once the log is on disk through `position`; undefined when it already is. */
  untilDurable?(position: bigint): Promise<void> | undefined;
  /** Called once when the subscription ends (closed, broken out of, or failed). */
  release(subscription: PollingSubscription): void;
}

/**
 * Catch-up subscription over a log whose positions become visible in increasing order
 * (see SqliteEventStore: writers are serialized and positions assigned in commit order).
 * It re-reads strictly after the last delivered position, so it can neither skip nor repeat an
 * event; `notify()` wakes it for in-process appends and a poll timer catches other processes'.
 */
export class PollingSubscription implements EventSubscription {
  private closed = false;
  private started = false;
  private wake: (() => void) | undefined;

  constructor(
    private readonly source: SubscriptionSource,
    private after: bigint,
    private readonly pageSize: number,
    private readonly pollIntervalMs: number,
  ) {}

  /** Something was committed: re-read now instead of at the next poll. */
  notify(): void {
    this.wake?.();
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    this.wake?.();
    this.source.release(this);
  }

  [Symbol.asyncIterator](): AsyncIterator<RecordedEvent> {
    if (this.started) throw new Error('a subscription can be iterated only once');
    this.started = true;
    return this.run();
  }

  private async *run(): AsyncGenerator<RecordedEvent> {
    try {
      while (!this.closed) {
        const page = this.source.readPage(this.after, this.pageSize);
        if (page.length === 0) {
          // Registered synchronously after an empty read: an in-process commit cannot slip in between.
          await this.waitForChange();
          continue;
        }
        // Nothing is delivered before it is on disk: what a subscriber derives must not outlive a power loss of its source.
        const durable = this.source.untilDurable?.(page[page.length - 1].position);
        if (durable) await durable;
        for (const event of page) {
          if (this.closed) return;
          this.after = event.position;
          yield event;
        }
      }
    } finally {
      await this.close();
    }
  }

  private waitForChange(): Promise<void> {
    return new Promise((resolve) => {
      const done = (): void => {
        clearTimeout(timer);
        this.wake = undefined;
        resolve();
      };
      const timer = setTimeout(done, this.pollIntervalMs);
      this.wake = done;
    });
  }
}
