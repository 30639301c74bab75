import { randomUUID } from 'node:crypto';

/** A global position on the stand-in's log, as EventStoreDB's `(commit, prepare)` pair. */
export interface LogPosition {
  commit: bigint;
  prepare: bigint;
}

/** One stored event, with the bytes exactly as the client proposed them. */
export interface StoredEvent {
  id: string;
  stream: string;
  revision: number;
  type: string;
  contentType: string;
  data: Uint8Array;
  metadata: Uint8Array;
  /** .NET ticks (100 ns) since the Unix epoch, as the server's `created` metadata entry. */
  created: bigint;
  position: LogPosition;
}

export interface ProposedEvent {
  id: string;
  type: string;
  contentType: string;
  data: Uint8Array;
  metadata: Uint8Array;
}

/** The server's four kinds of expectation; `revision` is the exact current revision. */
export type Expectation = { kind: 'any' } | { kind: 'no_stream' } | { kind: 'stream_exists' } | { kind: 'revision'; revision: number };

export type AppendOutcome =
  | { ok: true; currentRevision: number; position: LogPosition; idempotent?: boolean }
  | { ok: false; currentRevision: number | undefined };

export interface StandInLogOptions {
  /** Log position of the first record (EventStoreDB positions are byte offsets into the transaction file). */
  firstPosition?: bigint;
  /** After every n-th client append, write a `$statsCollected` event the way a real node does every 30 s. */
  systemEventEvery?: number;
}

const RECORD_OVERHEAD = 80;

/** Compares two positions the way the server's TFPos does: commit first, then prepare. */
export function comparePositions(a: LogPosition, b: LogPosition): number {
  if (a.commit !== b.commit) return a.commit < b.commit ? -1 : 1;
  if (a.prepare !== b.prepare) return a.prepare < b.prepare ? -1 : 1;
  return 0;
}

/**
 * The stand-in's storage: one in-memory transaction log in commit order plus a per-stream index.
 * Every event gets its own record, so commit = prepare = the record's offset, as for events written
 * through gRPC on log format V2 (no explicit transactions). Appends are applied synchronously, so
 * an append is all-or-nothing and contiguous by construction.
 */
export class StandInLog {
  readonly events: StoredEvent[] = [];
  private readonly streams = new Map<string, number[]>();
  private readonly waiters = new Set<() => void>();
  private nextOffset: bigint;
  private clientAppends = 0;

  constructor(private readonly options: StandInLogOptions = {}) {
    this.nextOffset = options.firstPosition ?? 128n;
  }

  /** Log indexes of a stream's events by revision, or undefined when the stream does not exist. */
  streamIndexes(stream: string): readonly number[] | undefined {
    return this.streams.get(stream);
  }

  /** Index of the first event at or after `position` (the log length when there is none). */
  firstIndexAtOrAfter(position: LogPosition): number {
    let low = 0;
    let high = this.events.length;
    while (low < high) {
      const mid = (low + high) >>> 1;
      if (comparePositions(this.events[mid].position, position) < 0) low = mid + 1;
      else high = mid;
    }
    return low;
  }

  /**
   * True where a `$all` read may start: the log's start, an event's own position, or the end (the writer
   * checkpoint). Anywhere else the server's chunk reader finds no record and answers InvalidPosition
   * (StorageReaderWorker.cs ReadAllEventsForward/Backward, RpcExceptions.cs InvalidPositionException).
   */
  isRecordBoundary(position: LogPosition): boolean {
    if (position.commit === 0n && position.prepare === 0n) return true;
    if (position.commit === this.nextOffset && position.prepare === this.nextOffset) return true;
    const index = this.firstIndexAtOrAfter(position);
    return index < this.events.length && comparePositions(this.events[index].position, position) === 0;
  }

  /** Copies what `source` holds beyond this log, positions unchanged: a follower catching up with its leader. */
  replicateFrom(source: StandInLog): void {
    for (const event of source.events.slice(this.events.length)) {
      const indexes = this.streams.get(event.stream) ?? [];
      indexes.push(this.events.length);
      this.streams.set(event.stream, indexes);
      this.events.push(event);
    }
    this.nextOffset = source.nextOffset;
    for (const wake of [...this.waiters]) wake();
  }

  /** Appends (at least one event) atomically after checking the expectation; a repeat of the same ids at the expected revision succeeds without writing (the server's idempotent write). */
  append(stream: string, expectation: Expectation, proposed: ProposedEvent[]): AppendOutcome {
    const outcome = this.write(stream, expectation, proposed);
    if (outcome.ok && this.options.systemEventEvery && ++this.clientAppends % this.options.systemEventEvery === 0) {
      this.writeSystemEvent('$stats-127.0.0.1:2113', '$statsCollected', { 'proc-id': process.pid, 'sys-freeMem': 1 });
    }
    return outcome;
  }

  /** Writes a `$`-typed event into a `$`-stream, as the node itself does (stats, settings, users). */
  writeSystemEvent(stream: string, type: string, data: object): void {
    const json = new TextEncoder().encode(JSON.stringify(data));
    const id = randomUUID();
    this.write(stream, { kind: 'any' }, [{ id, type, contentType: 'application/json', data: json, metadata: new Uint8Array() }]);
  }

  /** Resolves on the next append (or when `signal` fires), for live subscriptions. */
  nextAppend(signal: AbortSignal): Promise<void> {
    return new Promise((resolve) => {
      if (signal.aborted) return resolve();
      const done = (): void => {
        this.waiters.delete(done);
        signal.removeEventListener('abort', done);
        resolve();
      };
      this.waiters.add(done);
      signal.addEventListener('abort', done);
    });
  }

  private write(stream: string, expectation: Expectation, proposed: ProposedEvent[]): AppendOutcome {
    if (proposed.length === 0) throw new Error('the stand-in does not model empty appends');
    const indexes = this.streams.get(stream);
    const current = indexes ? indexes.length - 1 : undefined;
    const repeat = this.idempotentRepeat(indexes, expectation, proposed);
    if (repeat) return repeat;
    const expectedOk =
      expectation.kind === 'any' ||
      (expectation.kind === 'no_stream' && current === undefined) ||
      (expectation.kind === 'stream_exists' && current !== undefined) ||
      (expectation.kind === 'revision' && current === expectation.revision);
    if (!expectedOk) return { ok: false, currentRevision: current };
    const target = indexes ?? [];
    const created = BigInt(Date.now()) * 10_000n;
    for (const event of proposed) {
      const offset = this.nextOffset;
      this.nextOffset += BigInt(RECORD_OVERHEAD + stream.length + event.type.length + event.data.length + event.metadata.length);
      target.push(this.events.length);
      this.events.push({ ...event, stream, revision: target.length - 1, created, position: { commit: offset, prepare: offset } });
    }
    this.streams.set(stream, target);
    for (const wake of [...this.waiters]) wake();
    return { ok: true, currentRevision: target.length - 1, position: this.events[target[target.length - 1]].position };
  }

  /**
   * IndexWriter.cs's idempotency check: an exact expectation (or no_stream) whose next revisions already hold
   * these ids, in order; for any / stream_exists, ids found in the stream one after another from the first.
   */
  private idempotentRepeat(indexes: number[] | undefined, expectation: Expectation, proposed: ProposedEvent[]): AppendOutcome | undefined {
    if (!indexes || proposed.length === 0) return undefined;
    const byId = (): number | undefined => {
      const found = indexes.findIndex((index) => this.events[index].id === proposed[0].id);
      return found < 0 ? undefined : found;
    };
    const first =
      expectation.kind === 'no_stream' ? 0 : expectation.kind === 'revision' ? expectation.revision + 1 : byId();
    if (first === undefined || first + proposed.length > indexes.length) return undefined;
    const same = proposed.every((event, k) => this.events[indexes[first + k]].id === event.id);
    if (!same) return undefined;
    const last = this.events[indexes[first + proposed.length - 1]];
    return { ok: true, currentRevision: last.revision, position: last.position, idempotent: true };
  }
}
