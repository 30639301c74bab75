import type { EventStore, EventSubscription, RecordedEvent } from '@ledgerline/event-store';

/**
 * A real store seen through a counter of the events its subscriptions have handed out, so a test
 * can compare what a runner pulled with what it committed.
 */
export function countingEventStore(store: EventStore): { store: EventStore; pulled(): number } {
  let pulled = 0;
  const subscribeAll = (options?: { after?: bigint }): EventSubscription => {
    const inner = store.subscribeAll(options);
    return {
      close: () => inner.close(),
      [Symbol.asyncIterator]: () => {
        const it = inner[Symbol.asyncIterator]();
        return {
          next: async (): Promise<IteratorResult<RecordedEvent>> => {
            const result = await it.next();
            if (!result.done) pulled++;
            return result;
          },
          return: async (): Promise<IteratorResult<RecordedEvent>> =>
            it.return ? it.return() : { done: true, value: undefined },
        };
      },
    };
  };
  const wrapped: EventStore = {
    append: (stream, events, expected) => store.append(stream, events, expected),
    readStream: (stream, options) => store.readStream(stream, options),
    readAll: (options) => store.readAll(options),
    subscribeAll,
    readLastEvent: (stream) => store.readLastEvent(stream),
    headPosition: () => store.headPosition(),
    ping: () => store.ping(),
    close: () => store.close(),
  };
  return { store: wrapped, pulled: () => pulled };
}
