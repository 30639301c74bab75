import { AppendTooLargeError, EventStoreAccessDeniedError } from '@ledgerline/event-store';
import { problem, type Problem } from '../errors/problem';

/**
 * Store refusals that are not bugs, as clear answers instead of a bare 500:
 * - a change bigger than the store takes in one append (EVENTSTORE_MAX_APPEND_BYTES) is the caller's
 *   to make smaller: 413, nothing was written;
 * - a store user without the right the call needs is a deployment fault: 503, with the missing right in
 *   the log line (the filter logs every 5xx with its errorId), never in the answer.
 */
export function mapEventStoreError(error: unknown): Problem | undefined {
  if (error instanceof AppendTooLargeError) {
    return problem(413, { type: 'append-too-large', detail: 'the change is larger than the event store accepts in one write; nothing was stored' });
  }
  if (error instanceof EventStoreAccessDeniedError) {
    return problem(503, { type: 'event-store-unavailable', detail: 'the event store refused the operation; nothing was stored' });
  }
  return undefined;
}
