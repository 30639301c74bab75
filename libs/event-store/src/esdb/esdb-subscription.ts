import type { AllStreamResolvedEvent, AllStreamSubscription } from '@eventstore/db-client';
import type { EventSubscription, RecordedEvent } from '../event-store.port';
import { toPortPosition } from './esdb-position';
import { isSystemEvent, toRecordedEvent } from './esdb-recorded-event';

const DONE: IteratorReturnResult<undefined> = { done: true, value: undefined };

/**
 * The port's catch-up subscription over the client's `subscribeToAll` stream. Events are pulled with
 * `read()` only when the consumer asks for the next one, so the client's buffer fills, the gRPC call
 * pauses and HTTP/2 flow control holds the server back: backpressure end to end. Positions at or before
 * the last one delivered are dropped, so a server that repeats the start event cannot cause a duplicate.
 */
export class EsdbSubscription implements EventSubscription {
  private readonly waiters = new Set<() => void>();
  private last: bigint | undefined;
  private closed = false;
  private ended = false;
  private failure: Error | undefined;
  private closing: Promise<void> | undefined;

  constructor(
    private readonly source: AllStreamSubscription,
    after: bigint | undefined,
    private readonly onClose: () => void,
  ) {
    this.last = after;
    const wake = (): void => this.wake();
    source.on('readable', wake);
    source.on('end', () => {
      this.ended = true;
      wake();
    });
    source.on('error', (error: Error) => {
      this.failure ??= error;
      wake();
    });
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
      // The gRPC call may never have started (e.g. the server was unreachable): then there is nothing to cancel.
      await this.source.unsubscribe().catch(() => undefined);
      this.source.destroy();
    })();
    return this.closing;
  }

  private async next(): Promise<IteratorResult<RecordedEvent>> {
    for (;;) {
      if (this.closed) return DONE;
      const resolved = this.source.read() as AllStreamResolvedEvent | null;
      if (resolved !== null) {
        const event = resolved.event;
        if (!event) continue;
        const position = toPortPosition(event.position);
        if (this.last !== undefined && position <= this.last) continue;
        this.last = position;
        if (isSystemEvent(event)) continue;
        return { done: false, value: toRecordedEvent(event, position) };
      }
      if (this.failure) throw this.failure;
      // The server never ends a subscription on its own; an end without close() means the call was cut.
      if (this.ended) throw new Error('EventStoreDB ended the $all subscription');
      await new Promise<void>((resolve) => this.waiters.add(resolve));
    }
  }

  private wake(): void {
    for (const resolve of this.waiters) resolve();
    this.waiters.clear();
  }
}
