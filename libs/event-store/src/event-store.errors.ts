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

/** An append bigger than the store takes in one write (EventStoreDB's MaxAppendSize); nothing of it was written. */
export class AppendTooLargeError extends Error {
  readonly code = 'append-too-large';
  constructor(
    readonly stream: string,
    /** Bytes as the server counts them (see append-size.ts); for a single event, that event's. */
    readonly bytes: number,
    readonly maxBytes: number,
    /** Set when one event alone is over the limit (no split can help). */
    readonly eventId?: string,
  ) {
    super(
      eventId === undefined
        ? `append to ${stream}: ${bytes} bytes exceed the store's limit of ${maxBytes} bytes per append (EVENTSTORE_MAX_APPEND_BYTES); split the batch or append it non-atomically`
        : `append to ${stream}: event ${eventId} alone is ${bytes} bytes, over the store's limit of ${maxBytes} bytes per append (EVENTSTORE_MAX_APPEND_BYTES)`,
    );
    this.name = 'AppendTooLargeError';
  }
}

/** The store's user lacks a right the call needs (EventStoreDB ACLs); the message names the right, never the credentials. */
export class EventStoreAccessDeniedError extends Error {
  readonly code = 'event-store-access-denied';
  constructor(
    /** What was attempted, e.g. `read $all`, `write to document-1`. */
    readonly operation: string,
    /** The missing right in EventStoreDB's terms, e.g. `$r on $all`. */
    readonly missingRight: string,
  ) {
    super(`the event store refused to ${operation}: the connection's user lacks ${missingRight} (see deploy/eventstore/setup-users.mjs for the ACLs Ledgerline needs)`);
    this.name = 'EventStoreAccessDeniedError';
  }
}
