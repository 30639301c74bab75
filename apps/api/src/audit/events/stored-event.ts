import type { EventStore, RecordedEvent } from '@ledgerline/event-store';

/**
 * Reads the event the audit index points at, by stream and revision (one indexed read on every
 * store). The id must agree: the index is only a map, the store is the truth.
 */
export async function readIndexedEvent(store: EventStore, at: { stream: string; revision: number; eventId: string }): Promise<RecordedEvent> {
  for await (const event of store.readStream(at.stream, { fromRevision: at.revision, maxCount: 1 })) {
    if (event.revision === at.revision && event.id === at.eventId) return event;
    break;
  }
  throw new Error(`the store holds no event ${at.eventId} at ${at.stream}@${at.revision}, which the audit index lists`);
}
