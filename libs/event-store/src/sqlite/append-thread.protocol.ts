import { ConcurrencyError, DuplicateEventIdError, InvalidEventStoreInputError } from '../event-store.errors';
import type { AppendResult, ExpectedRevision } from '../event-store.port';
import type { SerializedEvent } from '../validate-input';
import type { BatchReport } from './group-commit.queue';

/** What the API thread asks of the append thread. */
export type AppendThreadRequest =
  | { kind: 'append'; id: number; stream: string; events: SerializedEvent[]; expected: ExpectedRevision }
  | { kind: 'close' };

/** What the append thread answers (a batch report feeds the API thread's metrics). */
export type AppendThreadReply =
  | { kind: 'ready' }
  | { kind: 'appended'; id: number; result: AppendResult }
  | { kind: 'failed'; id: number; error: SentError }
  | { kind: 'batch'; report: Omit<BatchReport, 'error'> }
  | { kind: 'closed' };

/** An error as it crosses threads: the port's own errors keep their class and fields. */
export interface SentError {
  name: string;
  message: string;
  stream?: string;
  expected?: ExpectedRevision;
  actual?: number | 'no_stream';
  eventId?: string;
}

export function sendableError(error: unknown): SentError {
  if (error instanceof ConcurrencyError) return { name: error.name, message: error.message, stream: error.stream, expected: error.expected, actual: error.actual };
  if (error instanceof DuplicateEventIdError) return { name: error.name, message: error.message, stream: error.stream, eventId: error.eventId };
  if (error instanceof Error) return { name: error.name, message: error.message };
  return { name: 'Error', message: String(error) };
}

export function receivedError(sent: SentError): Error {
  switch (sent.name) {
    case 'ConcurrencyError':
      return new ConcurrencyError(sent.stream as string, sent.expected as ExpectedRevision, sent.actual as number | 'no_stream');
    case 'DuplicateEventIdError':
      return new DuplicateEventIdError(sent.stream as string, sent.eventId as string);
    case 'InvalidEventStoreInputError':
      return new InvalidEventStoreInputError(sent.message);
    default: {
      const error = new Error(sent.message);
      error.name = sent.name;
      return error;
    }
  }
}
