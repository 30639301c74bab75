import { AppendTooLargeError } from './event-store.errors';
import type { NewEvent } from './event-store.port';

/** An event as an adapter writes it: type and the two JSON texts. */
export interface SizedEvent {
  type: string;
  data: string;
  metadata: string;
}

/**
 * An event's size as EventStoreDB counts it against MaxAppendSize (KurrentDB Event.cs `SizeOnDisk`): the
 * data and metadata bytes plus twice the type's UTF-16 length.
 */
export function appendSizeOf(event: SizedEvent): number {
  return Buffer.byteLength(event.data, 'utf8') + Buffer.byteLength(event.metadata, 'utf8') + event.type.length * 2;
}

/** The size a NewEvent will have once written (its dataJson when given, else JSON text of data). */
export function newEventSizeOf(event: NewEvent): number {
  return appendSizeOf({ type: event.type, data: event.dataJson ?? JSON.stringify(event.data), metadata: JSON.stringify(event.metadata) });
}

/**
 * Splits events, in order, into runs of at most `maxBytes` each (greedy: each run as long as fits). An event
 * over the limit on its own is refused with AppendTooLargeError, since no split could store it.
 */
export function splitWithin<T>(stream: string, events: readonly T[], maxBytes: number, sizeOf: (event: T) => number, idOf: (event: T) => string): T[][] {
  const runs: T[][] = [];
  let run: T[] = [];
  let bytes = 0;
  for (const event of events) {
    const size = sizeOf(event);
    if (size > maxBytes) throw new AppendTooLargeError(stream, size, maxBytes, idOf(event));
    if (run.length > 0 && bytes + size > maxBytes) {
      runs.push(run);
      run = [];
      bytes = 0;
    }
    run.push(event);
    bytes += size;
  }
  if (run.length > 0) runs.push(run);
  return runs;
}
