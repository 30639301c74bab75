import type { EventStore, RecordedEvent, StoredEventText } from '@ledgerline/event-store';

/** Where the audit index says an event is. */
export interface IndexedAt {
  stream: string;
  revision: number;
  eventId: string;
  /** Global position: stores that read by position (readTextAt) take a page of events in one query. */
  position: bigint;
}

/**
 * Reads the event the audit index points at, by stream and revision (one indexed read on every
 * store). The id must agree: the index is only a map, the store is the truth.
 */
export async function readIndexedEvent(store: EventStore, at: IndexedAt): Promise<RecordedEvent> {
  for await (const event of store.readStream(at.stream, { fromRevision: at.revision, maxCount: 1 })) {
    return checked(event, at);
  }
  throw missing(at);
}

/**
 * readIndexedEvent for many rows, in their order: by global position in a few queries where the store
 * reads by position (the embedded one), else stream by stream.
 */
export async function readIndexedEvents(store: EventStore, rows: readonly IndexedAt[]): Promise<RecordedEvent[]> {
  if (store.readTextAt === undefined) return readStreamByStream(store, rows);
  return (await readIndexedEventTexts(store, rows)).map((text) => ({
    id: text.id,
    type: text.type,
    stream: text.stream,
    revision: text.revision,
    position: text.position,
    data: JSON.parse(text.dataJson),
    metadata: JSON.parse(text.metadataJson),
  }));
}

/**
 * readIndexedEvents through readStream. Rows of one stream whose revisions lie close together (a stream
 * query, an actor's session on one document) are read with one ranged read of that stream instead of
 * one read each.
 */
async function readStreamByStream(store: EventStore, rows: readonly IndexedAt[]): Promise<RecordedEvent[]> {
  const byStream = new Map<string, IndexedAt[]>();
  for (const row of rows) {
    const list = byStream.get(row.stream);
    if (list) list.push(row);
    else byStream.set(row.stream, [row]);
  }
  const found = new Map<string, RecordedEvent>();
  for (const [stream, list] of byStream) {
    let low = Infinity;
    let high = -1;
    for (const row of list) {
      low = Math.min(low, row.revision);
      high = Math.max(high, row.revision);
    }
    const span = high - low + 1;
    if (list.length > 1 && span <= 2 * list.length) {
      const wanted = new Map(list.map((row) => [row.revision, row]));
      for await (const event of store.readStream(stream, { fromRevision: low, maxCount: span })) {
        const row = wanted.get(event.revision);
        if (row !== undefined) found.set(row.eventId, checked(event, row));
      }
    } else {
      for (const row of list) found.set(row.eventId, await readIndexedEvent(store, row));
    }
  }
  return rows.map((row) => {
    const event = found.get(row.eventId);
    if (event === undefined) throw missing(row);
    return event;
  });
}

/*
 * Per-event objects are written out member by member, not as `{ ...rest, more }`: on Node 20 that gives
 * each object a hidden class of its own in the old generation (see the SQLite store's toText).
 */

/**
 * readIndexedEvents with data and metadata as JSON text (for exports, which only copy them): the store's
 * own stored text, read by global position, where it offers readTextAt; else written from the parsed events.
 */
export async function readIndexedEventTexts(store: EventStore, rows: readonly IndexedAt[]): Promise<StoredEventText[]> {
  if (store.readTextAt === undefined) {
    return (await readStreamByStream(store, rows)).map((event) => ({
      id: event.id,
      type: event.type,
      stream: event.stream,
      revision: event.revision,
      position: event.position,
      dataJson: JSON.stringify(event.data),
      metadataJson: JSON.stringify(event.metadata),
    }));
  }
  const texts = await store.readTextAt(rows.map((row) => row.position));
  return rows.map((row, i) => {
    const text = texts[i];
    if (text === undefined || text.stream !== row.stream) throw missing(row);
    return checked(text, row);
  });
}

function checked<T extends { id: string; revision: number }>(event: T, at: IndexedAt): T {
  if (event.revision !== at.revision || event.id !== at.eventId) throw missing(at);
  return event;
}

function missing(at: IndexedAt): Error {
  return new Error(`the store holds no event ${at.eventId} at ${at.stream}@${at.revision}, which the audit index lists`);
}
