import type { ExpectedRevision } from './event-store.port';

/** The one error every adapter raises when an append's expected revision does not hold. */
export class ConcurrencyError extends Error {
  readonly code = 'concurrency-conflict';
  constructor(
    readonly stream: string,
    readonly expected: ExpectedRevision,
    /** Current revision of the stream, or 'no_stream' when it does not exist. */
    readonly actual: number | 'no_stream',
  ) {
    super(`append to ${stream}: expected revision ${String(expected)}, actual ${String(actual)}`);
    this.name = 'ConcurrencyError';
  }
}

/** Arguments that break the port's contract (bad stream name, id, payload or option): a caller bug, never worth retrying. */
export class InvalidEventStoreInputError extends Error {
  readonly code = 'event-store-invalid-input';
  constructor(message: string) {
    super(message);
    this.name = 'InvalidEventStoreInputError';
  }
}

/** An append carried an event id the store already holds; nothing of that append was written. */
export class DuplicateEventIdError extends Error {
  readonly code = 'duplicate-event-id';
  constructor(
    readonly stream: string,
    readonly eventId: string,
  ) {
    super(`append to ${stream}: event id ${eventId} already exists`);
    this.name = 'DuplicateEventIdError';
  }
}
