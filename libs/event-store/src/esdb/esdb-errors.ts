import { status } from '@grpc/grpc-js';
import { AccessDeniedError, MaxAppendSizeExceededError, NotLeaderError, WrongExpectedVersionError } from '@eventstore/db-client';
import { AppendTooLargeError, ConcurrencyError, EventStoreAccessDeniedError, InvalidEventStoreInputError } from '../event-store.errors';
import type { ExpectedRevision } from '../event-store.port';

/** What a call was doing, to name it (and the right it needs) when the server refuses it. */
export type EsdbOperation = { kind: 'read-all' } | { kind: 'read-stream'; stream: string } | { kind: 'append'; stream: string; expected: ExpectedRevision; bytes: number; maxBytes: number };

/**
 * RpcExceptions.cs `InvalidPositionException` has no exception trailer: the client turns it into a plain
 * UnknownError, recognisable only by its status and text.
 */
function isInvalidPosition(error: unknown): boolean {
  const { code, message } = (error ?? {}) as { code?: number; message?: string };
  return code === status.INVALID_ARGUMENT && /invalid position/i.test(message ?? '');
}

/** True when the node answered that it is not the leader (the client then reconnects to the leader it named). */
export function isNotLeader(error: unknown): boolean {
  return error instanceof NotLeaderError;
}

/** The server's write timeout (ABORTED → TimeoutError) or the client's deadline: the write may or may not have been committed. */
export function isTimeout(error: unknown): boolean {
  const type = (error as { type?: string } | null)?.type;
  return type === 'timeout' || type === 'deadline-exceeded';
}

/** True for answers that are final (retrying cannot help): refused rights, bad positions. */
export function isPermanent(error: unknown): boolean {
  return error instanceof AccessDeniedError || isInvalidPosition(error);
}

/**
 * The port's error for a server refusal the caller can act on; anything else comes back unchanged. The
 * messages name the operation and the missing right, never credentials or the server's own text.
 */
export function toPortError(error: unknown, operation: EsdbOperation, position?: bigint): unknown {
  if (error instanceof WrongExpectedVersionError && operation.kind === 'append') {
    const actual = error.actualVersion === 'no_stream' ? 'no_stream' : Number(error.actualVersion);
    return new ConcurrencyError(operation.stream, operation.expected, actual);
  }
  if (error instanceof MaxAppendSizeExceededError && operation.kind === 'append') {
    // The server's limit is smaller than EVENTSTORE_MAX_APPEND_BYTES says: report the server's.
    return new AppendTooLargeError(operation.stream, operation.bytes, error.maxAppendSize ?? operation.maxBytes);
  }
  if (error instanceof AccessDeniedError) {
    if (error.code === status.UNAUTHENTICATED) return new EventStoreAccessDeniedError('authenticate', 'valid credentials in EVENTSTORE_URL (user and password)');
    if (operation.kind === 'read-all') return new EventStoreAccessDeniedError('read $all', '$r on $all');
    if (operation.kind === 'read-stream') return new EventStoreAccessDeniedError(`read ${operation.stream}`, `$r on ${operation.stream}`);
    return new EventStoreAccessDeniedError(`write to ${operation.stream}`, `$w on ${operation.stream}`);
  }
  if (isInvalidPosition(error)) {
    return new InvalidEventStoreInputError(
      `position ${position ?? '?'} is not where an event starts in this EventStoreDB log (the server answered InvalidPosition): pass only positions the store returned`,
    );
  }
  return error;
}

/** Runs a call, turning its failure into the port's error (see toPortError). */
export async function withPortErrors<T>(call: () => Promise<T>, operation: EsdbOperation): Promise<T> {
  try {
    return await call();
  } catch (error) {
    throw toPortError(error, operation);
  }
}

/** Iterates a read, turning its failure into the port's error; `position` is where the read started. */
export async function* withPortErrorsEach<T>(iterable: AsyncIterable<T>, operation: EsdbOperation, position?: bigint): AsyncGenerator<T> {
  try {
    yield* iterable;
  } catch (error) {
    throw toPortError(error, operation, position);
  }
}
