import type { AllStreamResolvedEvent, AllStreamSubscription } from '@eventstore/db-client';
import type { EventSubscription, RecordedEvent } from '../event-store.port';
import { isPermanent } from './esdb-errors';
import { toPortPosition } from './esdb-position';
import { isSystemEvent, toRecordedEvent } from './esdb-recorded-event';

const DONE: IteratorReturnResult<undefined> = { done: true, value: undefined };

// The client's error types a node restart, a leader change or a cut connection produce.
const TRANSIENT = new Set(['unavailable', 'cancelled', 'not-leader', 'deadline-exceeded', 'timeout', 'unknown']);

export interface EsdbSubscriptionOptions {
  /** How long to keep resubscribing through transient failures before failing the iterator. */
  retryForMs: number;
  /** The error the consumer sees for a failure (e.g. access denied named as the missing right); `position` is where it started. */
  toPortError(error: Error, position: bigint | undefined): unknown;
}

/**
 * The port's catch-up subscription over the client's `subscribeToAll` stream.
 *
 * Events are pulled with `read()` only when the consumer asks for the next one, so the client's buffer
 * fills, the gRPC call pauses and HTTP/2 flow control holds the server back: backpressure end to end.
 * Positions at or before the last one seen are dropped, so no event is delivered twice. When the call
 * fails transiently (node restart, leader change, cut connection) it resubscribes after the last position
 * seen, which keeps the stream gapless; only a failure that outlasts `retryForMs`, or a permanent one
 * (e.g. access denied), reaches the consumer.
 */
export class EsdbSubscription implements EventSubscription {
  private readonly waiters = new Set<() => void>();
  private source!: AllStreamSubscription;
  private last: bigint | undefined;
  private closed = false;
  private ended = false;
  private failure: Error | undefined;
  private failingSince: number | undefined;
  private closing: Promise<void> | undefined;

  constructor(
    private readonly subscribe: (after: bigint | undefined) => AllStreamSubscription,
    after: bigint | undefined,
    private readonly onClose: () => void,
    private readonly options: EsdbSubscriptionOptions,
  ) {
    this.last = after;
    this.attach();
  }

  [Symbol.asyncIterator](): AsyncIterator<RecordedEvent> {
    return {
      next: () => this.next(),
      return: async () => {
        await this.close();
        return DONE;
      },
    };
  }

  /** Ends the subscription: a pending `next()` resolves done, and nothing is delivered afterwards. */
  close(): Promise<void> {
    this.closing ??= (async () => {
      this.closed = true;
      this.wake();
      this.onClose();
      await this.release(this.source);
    })();
    return this.closing;
  }

  private attach(): void {
    const source = this.subscribe(this.last);
    this.source = source;
    this.ended = false;
    this.failure = undefined;
    const current = (): boolean => this.source === source;
    source.on('readable', () => current() && this.wake());
    source.on('end', () => {
      if (!current()) return;
      this.ended = true;
      this.wake();
    });
    source.on('error', (error: Error) => {
      if (!current()) return;
      this.failure ??= error;
      this.wake();
    });
  }

  private async release(source: AllStreamSubscription): Promise<void> {
    // The call may never have started (e.g. the server was unreachable): then there is nothing to cancel.
    await source.unsubscribe().catch(() => undefined);
    source.destroy();
  }

  private async next(): Promise<IteratorResult<RecordedEvent>> {
    for (;;) {
      if (this.closed) return DONE;
      const resolved = this.source.read() as AllStreamResolvedEvent | null;
      if (resolved !== null) {
        this.failingSince = undefined;
        const event = resolved.event;
        if (!event) continue;
        const position = toPortPosition(event.position);
        if (this.last !== undefined && position <= this.last) continue;
        this.last = position;
        if (isSystemEvent(event)) continue;
        return { done: false, value: toRecordedEvent(event, position) };
      }
      if (this.failure || this.ended) {
        // The server never ends a subscription on its own: an end without close() means the call was cut.
        const error = this.failure ?? new Error('EventStoreDB ended the $all subscription');
        await this.resubscribeOrThrow(error);
        continue;
      }
      await new Promise<void>((resolve) => this.waiters.add(resolve));
    }
  }

  private async resubscribeOrThrow(error: Error): Promise<void> {
    const type = (error as { type?: string }).type;
    // A refused right or a position that is not a record boundary (InvalidPosition) comes back the same every time.
    const transient = !isPermanent(error) && (type === undefined ? this.ended : TRANSIENT.has(type));
    const now = Date.now();
    this.failingSince ??= now;
    if (!transient || now - this.failingSince >= this.options.retryForMs) throw this.options.toPortError(error, this.last);
    const failed = this.source;
    void this.release(failed);
    // Back off while the node comes back, more slowly the longer it has been away (50 ms → 1 s).
    const delay = Math.min(1000, 50 + (now - this.failingSince) / 4);
    await new Promise<void>((resolve) => {
      const timer = setTimeout(resolve, delay);
      this.waiters.add(() => {
        clearTimeout(timer);
        resolve();
      });
    });
    if (!this.closed) this.attach();
  }

  private wake(): void {
    for (const resolve of this.waiters) resolve();
    this.waiters.clear();
  }
}
