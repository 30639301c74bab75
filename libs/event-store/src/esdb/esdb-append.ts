import { ANY, NO_STREAM, STREAM_EXISTS, jsonEvent, type AppendExpectedRevision, type AppendResult as EsdbAppendResult, type EventStoreDBClient } from '@eventstore/db-client';
import { appendSizeOf } from '../append-size';
import { AppendTooLargeError } from '../event-store.errors';
import type { AppendResult, ExpectedRevision } from '../event-store.port';
import type { SerializedEvent } from '../validate-input';
import { isNotLeader, isTimeout, toPortError, type EsdbOperation } from './esdb-errors';
import { toPortPosition } from './esdb-position';

export interface EsdbAppendPolicy {
  maxAppendBytes: number;
  /** Further attempts after a write timeout, each with the same event ids and expected revision. */
  timeoutRetries: number;
  /** Pause before each of those attempts. */
  timeoutBackoffMs: number;
  /** Finds the position of an event written idempotently (the server's reply may carry none). */
  positionOf(stream: string, revision: bigint): Promise<bigint>;
}

/** Redirects to follow per call: one election moves the leader once; a second move means the cluster is unsettled. */
const LEADER_REDIRECTS = 2;

function expectedRevisionOf(expected: ExpectedRevision): AppendExpectedRevision {
  if (expected === 'any') return ANY;
  if (expected === 'no_stream') return NO_STREAM;
  if (expected === 'stream_exists') return STREAM_EXISTS;
  return BigInt(expected);
}

const pause = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Runs a call that needs the leader. A follower answers NotLeader naming the leader; the client drops its
 * channel and points the next call there (its handleError runs unawaited, hence the pause of one turn).
 */
export async function onLeader<T>(call: () => Promise<T>): Promise<T> {
  for (let redirect = 0; ; redirect++) {
    try {
      return await call();
    } catch (error) {
      if (!isNotLeader(error) || redirect >= LEADER_REDIRECTS) throw error;
      await new Promise((resolve) => setImmediate(resolve));
    }
  }
}

/**
 * One port append on EventStoreDB: refused before sending when it is over MaxAppendSize, sent to the leader
 * (`requiresLeader`), and, when the answer is a timeout, sent again unchanged. A timeout says nothing about
 * the commit; the same ids at the same expected revision are either written now or recognised by the
 * server as already written (IndexWriter.cs idempotency check), so a durable write is neither reported
 * failed nor stored twice. That holds for exact revisions and `no_stream`, which the server checks against
 * its index; for `any` / `stream_exists` it looks in a bounded cache of recent ids, which is why the sealed
 * writer only ever appends at exact revisions.
 */
export async function appendToEsdb(client: EventStoreDBClient, stream: string, events: SerializedEvent[], expected: ExpectedRevision, policy: EsdbAppendPolicy): Promise<AppendResult> {
  let bytes = 0;
  for (const event of events) {
    const size = appendSizeOf(event);
    if (size > policy.maxAppendBytes) throw new AppendTooLargeError(stream, size, policy.maxAppendBytes, event.id);
    bytes += size;
  }
  if (bytes > policy.maxAppendBytes) throw new AppendTooLargeError(stream, bytes, policy.maxAppendBytes);
  // The payloads go out as the JSON validated above, re-parsed so that later changes to the caller's objects cannot leak in.
  // The client writes them back with JSON.stringify, which keeps the text's member order: JCS data text stays JCS
  // (but for integer-like member names, which JavaScript objects put first).
  const proposed = events.map((event) => jsonEvent({ id: event.id, type: event.type, data: JSON.parse(event.data), metadata: JSON.parse(event.metadata) }));
  const options = { expectedRevision: expectedRevisionOf(expected), requiresLeader: true };
  const operation: EsdbOperation = { kind: 'append', stream, expected, bytes, maxBytes: policy.maxAppendBytes };
  let result: EsdbAppendResult;
  for (let attempt = 0; ; attempt++) {
    try {
      result = await onLeader(() => client.appendToStream(stream, proposed, options));
      break;
    } catch (error) {
      if (isTimeout(error) && attempt < policy.timeoutRetries) {
        await pause(policy.timeoutBackoffMs * (attempt + 1));
        continue;
      }
      throw toPortError(error, operation);
    }
  }
  if (!result.success) throw new Error(`EventStoreDB did not acknowledge the append to ${stream}`);
  // An idempotent write not yet indexed comes back without a position (CommitPosition -1): look it up.
  const position = result.position ? toPortPosition(result.position) : await policy.positionOf(stream, result.nextExpectedRevision);
  return { nextExpectedRevision: Number(result.nextExpectedRevision), position };
}
