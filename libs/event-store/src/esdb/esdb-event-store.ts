import { setMaxListeners } from 'node:events';
import {
  ANY,
  BACKWARDS,
  END,
  FORWARDS,
  NO_STREAM,
  START,
  STREAM_EXISTS,
  StreamNotFoundError,
  WrongExpectedVersionError,
  excludeSystemEvents,
  jsonEvent,
  type AppendExpectedRevision,
  type EventStoreDBClient,
  type ReadPosition,
  type ReadRevision,
  type ResolvedEvent,
  type AllStreamResolvedEvent,
  type AllStreamSubscription,
} from '@eventstore/db-client';
import { ConcurrencyError, InvalidEventStoreInputError } from '../event-store.errors';
import type {
  AppendResult,
  EventStore,
  EventSubscription,
  ExpectedRevision,
  NewEvent,
  ReadAllOptions,
  ReadStreamOptions,
  RecordedEvent,
} from '../event-store.port';
import { validateAppend, validateReadAll, validateReadStream, validateStreamName, type SerializedEvent } from '../validate-input';
import { createEsdbClient, trackEsdbChannels } from './esdb-connection';
import { toEsdbPosition, toPortPosition } from './esdb-position';
import { isSystemEvent, portPositionOf, toRecordedEvent } from './esdb-recorded-event';
import { EsdbSubscription } from './esdb-subscription';
import { pullRead } from './pull-read';

export interface EsdbEventStoreOptions {
  /** Events per read call when paging through a stream or $all (bounded memory on large logs). Default 1000. */
  pageSize?: number;
  /** How long a subscription keeps resubscribing through a node restart, leader change or cut connection before it fails. Default 60 s. */
  resubscribeForMs?: number;
}

function expectedRevisionOf(expected: ExpectedRevision): AppendExpectedRevision {
  if (expected === 'any') return ANY;
  if (expected === 'no_stream') return NO_STREAM;
  if (expected === 'stream_exists') return STREAM_EXISTS;
  return BigInt(expected);
}

/** `$` names belong to the server (system streams, `$`-typed events); the port's readers skip them, so writing one is refused. */
function refuseSystemNames(stream: string, events: SerializedEvent[]): void {
  if (stream.startsWith('$')) throw new InvalidEventStoreInputError(`stream name ${stream} is reserved for EventStoreDB system streams`);
  const systemType = events.find((event) => event.type.startsWith('$'));
  if (systemType) throw new InvalidEventStoreInputError(`event type ${systemType.type} is reserved for EventStoreDB system events`);
}

/**
 * The EventStore port on EventStoreDB / KurrentDB through `@eventstore/db-client` (gRPC). The URL is the
 * client's connection string (TLS unless `tls=false`, clusters via `esdb+discover://` or a host list); global
 * positions are `$all` positions folded into one bigint (see esdb-position.ts). Reads skip EventStoreDB's
 * own events, so the port's global log holds exactly what applications appended.
 */
export class EsdbEventStore implements EventStore {
  private readonly client: EventStoreDBClient;
  private readonly pageSize: number;
  private readonly resubscribeForMs: number;
  private readonly appending = new Set<Promise<unknown>>();
  private readonly subscriptions = new Set<EsdbSubscription>();
  private readonly closed = new AbortController();
  private readonly closeChannels: () => void;
  private closing: Promise<void> | undefined;

  constructor(url: string, options: EsdbEventStoreOptions = {}) {
    this.client = createEsdbClient(url);
    this.closeChannels = trackEsdbChannels(this.client);
    this.pageSize = options.pageSize ?? 1000;
    this.resubscribeForMs = options.resubscribeForMs ?? 60_000;
    // Every read in progress listens for closure.
    setMaxListeners(0, this.closed.signal);
    if (!Number.isSafeInteger(this.pageSize) || this.pageSize < 2) throw new RangeError('pageSize must be an integer of at least 2');
  }

  async append(stream: string, events: NewEvent[], expected: ExpectedRevision): Promise<AppendResult> {
    const serialized = validateAppend(stream, events, expected);
    refuseSystemNames(stream, serialized);
    const client = this.open();
    // Tracked before the first await, so close() waits for every append already called.
    const write = this.write(client, stream, serialized, expected);
    this.appending.add(write);
    try {
      return await write;
    } finally {
      this.appending.delete(write);
    }
  }

  readStream(stream: string, options: ReadStreamOptions = {}): AsyncIterable<RecordedEvent> {
    validateReadStream(stream, options);
    return this.pagedStream(stream, options);
  }

  readAll(options: ReadAllOptions = {}): AsyncIterable<RecordedEvent> {
    validateReadAll(options);
    return this.pagedAll(options.after, options.maxCount ?? Infinity);
  }

  subscribeAll(options: { after?: bigint } = {}): EventSubscription {
    validateReadAll(options);
    this.open();
    const subscribe = (after: bigint | undefined): AllStreamSubscription =>
      this.client.subscribeToAll({ fromPosition: after === undefined ? START : toEsdbPosition(after), filter: excludeSystemEvents() });
    const subscription = new EsdbSubscription(subscribe, options.after, () => this.subscriptions.delete(subscription), {
      retryForMs: this.resubscribeForMs,
    });
    this.subscriptions.add(subscription);
    return subscription;
  }

  async readLastEvent(stream: string): Promise<RecordedEvent | undefined> {
    validateStreamName(stream);
    // Read to the end rather than break: a cancelled call costs a stream reset, and servers cap reset rates.
    let last: RecordedEvent | undefined;
    for await (const event of this.pagedStream(stream, { direction: 'backwards', maxCount: 1 })) last = event;
    return last;
  }

  async headPosition(): Promise<bigint | undefined> {
    // The newest event is often the server's own ($statsCollected every 30 s): look further back, in growing
    // pages read to their end.
    let from: ReadPosition = END;
    for (let count = 1; ; count = Math.min(this.pageSize, count * 8)) {
      let seen = 0;
      let found: bigint | undefined;
      for await (const { event } of this.allPage(from, BACKWARDS, count)) {
        seen++;
        if (!event) continue;
        if (found === undefined && !isSystemEvent(event)) found = toPortPosition(event.position);
        from = event.position;
      }
      if (found !== undefined) return found;
      if (seen < count) return undefined;
    }
  }

  async ping(): Promise<void> {
    for await (const _ of this.allPage(END, BACKWARDS, 1));
  }

  /** Waits for appends already called, ends open subscriptions, then releases the connection. Idempotent. */
  close(): Promise<void> {
    this.closing ??= (async () => {
      await Promise.allSettled([...this.appending]);
      await Promise.all([...this.subscriptions].map((subscription) => subscription.close()));
      // A reader still waiting for a page gets an error (dispose() cancels calls silently).
      this.closed.abort(new Error('the EventStoreDB event store was closed during a read'));
      await this.client.dispose();
      this.closeChannels();
    })();
    return this.closing;
  }

  private open(): EventStoreDBClient {
    if (this.closing) throw new Error('the EventStoreDB event store is closed');
    return this.client;
  }

  private async write(client: EventStoreDBClient, stream: string, events: SerializedEvent[], expected: ExpectedRevision): Promise<AppendResult> {
    // The payloads go out as the JSON validated above, re-parsed so that later changes to the caller's objects cannot leak in.
    // The client writes them back with JSON.stringify, which keeps the text's member order: JCS data text stays JCS
    // (but for integer-like member names, which JavaScript objects put first).
    const proposed = events.map((event) =>
      jsonEvent({ id: event.id, type: event.type, data: JSON.parse(event.data), metadata: JSON.parse(event.metadata) }),
    );
    try {
      const result = await client.appendToStream(stream, proposed, { expectedRevision: expectedRevisionOf(expected) });
      if (!result.success || !result.position) throw new Error(`EventStoreDB did not acknowledge the append to ${stream}`);
      return { nextExpectedRevision: Number(result.nextExpectedRevision), position: toPortPosition(result.position) };
    } catch (error) {
      if (error instanceof WrongExpectedVersionError) {
        const actual = error.actualVersion === 'no_stream' ? 'no_stream' : Number(error.actualVersion);
        throw new ConcurrencyError(stream, expected, actual);
      }
      throw error;
    }
  }

  private allPage(fromPosition: ReadPosition, direction: typeof FORWARDS | typeof BACKWARDS, maxCount: number): AsyncGenerator<AllStreamResolvedEvent> {
    return pullRead(this.open().readAll({ fromPosition, direction, maxCount }), this.closed.signal);
  }

  /**
   * $all forwards in pages. The server's `fromPosition` is inclusive, so every page after the first starts
   * with the event the previous one ended on; anything at or before the last position seen is skipped.
   */
  private async *pagedAll(after: bigint | undefined, maxCount: number): AsyncGenerator<RecordedEvent> {
    let remaining = maxCount;
    let cursor = after;
    while (remaining > 0) {
      let seen = 0;
      const start = cursor;
      // Enough for what is still wanted (plus the repeated first event), so a page is rarely left unread.
      const count = Math.min(this.pageSize, remaining + (cursor === undefined ? 0 : 1));
      for await (const { event } of this.allPage(cursor === undefined ? START : toEsdbPosition(cursor), FORWARDS, count)) {
        seen++;
        if (!event) continue;
        const position = toPortPosition(event.position);
        if (cursor !== undefined && position <= cursor) continue;
        cursor = position;
        if (isSystemEvent(event)) continue;
        yield toRecordedEvent(event, position);
        if (--remaining === 0) return;
      }
      if (seen < count) return;
      if (cursor === start) throw new Error('EventStoreDB returned a full $all page without advancing');
    }
  }

  /** One stream in pages by revision (a missing stream yields nothing). */
  private async *pagedStream(stream: string, options: ReadStreamOptions): AsyncGenerator<RecordedEvent> {
    const backwards = options.direction === 'backwards';
    let remaining = options.maxCount ?? Infinity;
    let from: ReadRevision = options.fromRevision !== undefined ? BigInt(options.fromRevision) : backwards ? END : START;
    while (remaining > 0) {
      const maxCount = Math.min(this.pageSize, remaining);
      let seen = 0;
      let last: bigint | undefined;
      try {
        const read = this.open().readStream(stream, { fromRevision: from, direction: backwards ? BACKWARDS : FORWARDS, maxCount });
        for await (const { event } of pullRead<ResolvedEvent>(read, this.closed.signal)) {
          seen++;
          if (!event) continue;
          last = event.revision;
          yield toRecordedEvent(event, portPositionOf(event));
        }
      } catch (error) {
        if (error instanceof StreamNotFoundError) return;
        throw error;
      }
      remaining -= seen;
      if (seen < maxCount || last === undefined) return;
      if (backwards && last === 0n) return;
      from = backwards ? last - 1n : last + 1n;
    }
  }
}
