import { setMaxListeners } from 'node:events';
import {
  BACKWARDS,
  END,
  FORWARDS,
  START,
  StreamNotFoundError,
  excludeSystemEvents,
  type EventStoreDBClient,
  type ReadPosition,
  type ReadRevision,
  type ResolvedEvent,
  type AllStreamResolvedEvent,
  type AllStreamSubscription,
} from '@eventstore/db-client';
import { InvalidEventStoreInputError } from '../event-store.errors';
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
import { appendToEsdb, onLeader, type EsdbAppendPolicy } from './esdb-append';
import { createEsdbClient, trackEsdbChannels } from './esdb-connection';
import { toPortError, withPortErrors, withPortErrorsEach } from './esdb-errors';
import { toEsdbPosition, toPortPosition } from './esdb-position';
import { isSystemEvent, portPositionOf, toRecordedEvent } from './esdb-recorded-event';
import { EsdbSubscription } from './esdb-subscription';
import { pullRead } from './pull-read';

export interface EsdbEventStoreOptions {
  /** Events per read call when paging through a stream or $all (bounded memory on large logs). Default 1000. */
  pageSize?: number;
  /** How long a subscription keeps resubscribing through a node restart, leader change or cut connection before it fails. Default 60 s. */
  resubscribeForMs?: number;
  /** The server's MaxAppendSize (EVENTSTORE_MAX_APPEND_BYTES); larger appends are refused before sending. Default 1 MiB, KurrentDB 25.0's default. */
  maxAppendBytes?: number;
  /** Attempts after a write timeout, with the same ids and expected revision (see esdb-append.ts). Default 3, 100 ms apart and growing. */
  timeoutRetries?: number;
  timeoutBackoffMs?: number;
}

/** KurrentDB 25.0's default MaxAppendSize (ClusterVNodeOptions.cs). */
export const DEFAULT_ESDB_MAX_APPEND_BYTES = 1024 * 1024;
/** How long to look for the position of an event the server called already written but sent no position for. */
const POSITION_LOOKUPS = 20;
const POSITION_LOOKUP_PAUSE_MS = 50;

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
  readonly maxAppendBytes: number;
  private readonly client: EventStoreDBClient;
  private readonly appendPolicy: EsdbAppendPolicy;
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
    this.maxAppendBytes = options.maxAppendBytes ?? DEFAULT_ESDB_MAX_APPEND_BYTES;
    if (!Number.isSafeInteger(this.maxAppendBytes) || this.maxAppendBytes < 1) throw new RangeError('maxAppendBytes must be a positive integer');
    this.appendPolicy = {
      maxAppendBytes: this.maxAppendBytes,
      timeoutRetries: options.timeoutRetries ?? 3,
      timeoutBackoffMs: options.timeoutBackoffMs ?? 100,
      positionOf: (stream, revision) => this.positionOf(stream, revision),
    };
  }

  async append(stream: string, events: NewEvent[], expected: ExpectedRevision): Promise<AppendResult> {
    const serialized = validateAppend(stream, events, expected);
    refuseSystemNames(stream, serialized);
    const client = this.open();
    // Tracked before the first await, so close() waits for every append already called.
    const write = appendToEsdb(client, stream, serialized, expected, this.appendPolicy);
    this.appending.add(write);
    try {
      return await write;
    } finally {
      this.appending.delete(write);
    }
  }

  readStream(stream: string, options: ReadStreamOptions = {}): AsyncIterable<RecordedEvent> {
    validateReadStream(stream, options);
    return withPortErrorsEach(this.pagedStream(stream, options, false), { kind: 'read-stream', stream });
  }

  readAll(options: ReadAllOptions = {}): AsyncIterable<RecordedEvent> {
    validateReadAll(options);
    return withPortErrorsEach(this.pagedAll(options.after, options.maxCount ?? Infinity), { kind: 'read-all' }, options.after);
  }

  subscribeAll(options: { after?: bigint } = {}): EventSubscription {
    validateReadAll(options);
    this.open();
    const subscribe = (after: bigint | undefined): AllStreamSubscription =>
      this.client.subscribeToAll({ fromPosition: after === undefined ? START : toEsdbPosition(after), filter: excludeSystemEvents() });
    const subscription = new EsdbSubscription(subscribe, options.after, () => this.subscriptions.delete(subscription), {
      retryForMs: this.resubscribeForMs,
      toPortError: (error, position) => toPortError(error, { kind: 'read-all' }, position),
    });
    this.subscriptions.add(subscription);
    return subscription;
  }

  /**
   * The head the sealed writer chains to, read on the leader (`requiresLeader`): a follower may lag behind an
   * election, and a head read there would seal on an old revision and meet a spurious conflict.
   */
  async readLastEvent(stream: string): Promise<RecordedEvent | undefined> {
    validateStreamName(stream);
    return withPortErrors(
      () =>
        onLeader(async () => {
          // Read to the end rather than break: a cancelled call costs a stream reset, and servers cap reset rates.
          let last: RecordedEvent | undefined;
          for await (const event of this.pagedStream(stream, { direction: 'backwards', maxCount: 1 }, true)) last = event;
          return last;
        }),
      { kind: 'read-stream', stream },
    );
  }

  headPosition(): Promise<bigint | undefined> {
    return withPortErrors(() => this.findHeadPosition(), { kind: 'read-all' });
  }

  private async findHeadPosition(): Promise<bigint | undefined> {
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

  ping(): Promise<void> {
    return withPortErrors(async () => {
      for await (const _ of this.allPage(END, BACKWARDS, 1));
    }, { kind: 'read-all' });
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

  /** The $all position of `stream`@`revision`, read on the leader; waits briefly for an event the server has only just indexed. */
  private async positionOf(stream: string, revision: bigint): Promise<bigint> {
    for (let lookup = 1; ; lookup++) {
      for await (const event of this.pagedStream(stream, { fromRevision: Number(revision), maxCount: 1 }, true)) return event.position;
      if (lookup >= POSITION_LOOKUPS) throw new Error(`EventStoreDB acknowledged ${stream}@${revision} but does not show it`);
      await new Promise((resolve) => setTimeout(resolve, POSITION_LOOKUP_PAUSE_MS));
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

  /** One stream in pages by revision (a missing stream yields nothing); on the leader when `requiresLeader`. */
  private async *pagedStream(stream: string, options: ReadStreamOptions, requiresLeader: boolean): AsyncGenerator<RecordedEvent> {
    const backwards = options.direction === 'backwards';
    let remaining = options.maxCount ?? Infinity;
    let from: ReadRevision = options.fromRevision !== undefined ? BigInt(options.fromRevision) : backwards ? END : START;
    while (remaining > 0) {
      const maxCount = Math.min(this.pageSize, remaining);
      let seen = 0;
      let last: bigint | undefined;
      try {
        const read = this.open().readStream(stream, { fromRevision: from, direction: backwards ? BACKWARDS : FORWARDS, maxCount, requiresLeader });
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
