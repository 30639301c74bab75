/**
 * The event store port: the only way anything in Ledgerline touches stored events.
 * Adapters: embedded SQLite (`sqlite/`) and EventStoreDB (`esdb/`); both must pass `conformance/`.
 */

/** Optimistic-concurrency expectation for an append; a number is the exact current revision. */
export type ExpectedRevision = 'any' | 'no_stream' | 'stream_exists' | number;

export type JsonObject = Record<string, unknown>;

/** An event to append. `id` is a lowercase UUID chosen by the writer (it is sealed into metadata). */
export interface NewEvent {
  id: string;
  type: string;
  data: JsonObject;
  metadata: JsonObject;
  /**
   * `data` already written as JSON text, stored as it is instead of `JSON.stringify(data)`: the sealed
   * write path passes JCS(data), the bytes its `dataHash` covers, so a verifier can hash the stored text
   * without re-canonicalizing it. It must be the JSON text of `data` (key order may differ).
   */
  dataJson?: string;
}

/** An event as stored. `position` is the global commit order (bigint: never narrowed to Number). */
export interface RecordedEvent {
  id: string;
  type: string;
  stream: string;
  revision: number;
  position: bigint;
  data: JsonObject;
  metadata: JsonObject;
}

/** A stored event with its data and metadata as the JSON text stored, not parsed (for byte-faithful bulk copies). */
export interface StoredEventText {
  id: string;
  type: string;
  stream: string;
  revision: number;
  position: bigint;
  dataJson: string;
  metadataJson: string;
}

/** One stream's part of a multi-stream append. */
export interface StreamAppend {
  stream: string;
  events: NewEvent[];
  expected: ExpectedRevision;
}

export interface AppendResult {
  /** Revision of the last event written (the stream's new head). */
  nextExpectedRevision: number;
  /** Global position of the last event written. */
  position: bigint;
}

export interface ReadStreamOptions {
  /** First revision to read (forwards: inclusive, default 0; backwards: inclusive, default the head). */
  fromRevision?: number;
  direction?: 'forwards' | 'backwards';
  maxCount?: number;
}

export interface ReadAllOptions {
  /** Read events strictly after this global position; omitted → from the beginning. */
  after?: bigint;
  maxCount?: number;
}

/** A catch-up subscription: yields every event after `after` in global order, then live ones, with no gap and no duplicate. */
export interface EventSubscription extends AsyncIterable<RecordedEvent> {
  close(): Promise<void>;
}

export interface EventStore {
  /**
   * Optional: the most bytes one append may carry, counted as `appendSizeOf` does (EventStoreDB's
   * MaxAppendSize). A bigger append is refused with AppendTooLargeError before anything is sent; a writer
   * whose batch needs no atomicity splits it within this limit. Absent: no limit.
   */
  readonly maxAppendBytes?: number;
  /** Appends atomically: all events or none, checked against `expected`. Throws ConcurrencyError on a mismatch. */
  append(stream: string, events: NewEvent[], expected: ExpectedRevision): Promise<AppendResult>;
  /**
   * Optional (the embedded store offers it): appends to several distinct streams in one transaction,
   * all or nothing, each checked against its own expectation; the first failing part's error rejects
   * the whole. Results in the order of `appends`.
   */
  appendAtomically?(appends: readonly StreamAppend[]): Promise<AppendResult[]>;
  /** Reads one stream; a missing stream yields nothing. */
  readStream(stream: string, options?: ReadStreamOptions): AsyncIterable<RecordedEvent>;
  /** Reads the global log forwards. */
  readAll(options?: ReadAllOptions): AsyncIterable<RecordedEvent>;
  /** Catch-up subscription over the global log. */
  subscribeAll(options?: { after?: bigint }): EventSubscription;
  /** The newest event of a stream, or undefined when the stream does not exist. */
  readLastEvent(stream: string): Promise<RecordedEvent | undefined>;
  /**
   * Optional (the embedded store offers it): the revision of a stream's newest event, without reading
   * or parsing the event; undefined when the stream does not exist. For per-request freshness checks.
   */
  readStreamRevision?(stream: string): Promise<number | undefined>;
  /**
   * Optional (the embedded store offers it): the events at these global positions, in the order asked,
   * undefined where the log holds none, with data and metadata as their stored JSON text. For bulk copies
   * (evidence exports) that would otherwise parse every event only to write it out again.
   */
  readTextAt?(positions: readonly bigint[]): Promise<(StoredEventText | undefined)[]>;
  /** Position of the newest event in the global log, or undefined when empty. */
  headPosition(): Promise<bigint | undefined>;
  /** Cheap reachability check for readiness probes. */
  ping(): Promise<void>;
  /** Flushes pending appends and releases the store. */
  close(): Promise<void>;
}
