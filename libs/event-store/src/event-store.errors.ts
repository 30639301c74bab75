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
