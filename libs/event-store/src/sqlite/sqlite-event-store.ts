import Database from 'better-sqlite3';
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { BroadcastChannel } from 'node:worker_threads';
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
  StoredEventText,
  StreamAppend,
} from '../event-store.port';
import { validateAppend, validateReadAll, validateReadStream, validateStreamName } from '../validate-input';
import { GroupCommitQueue, type BatchReport, type GroupCommitStats } from './group-commit.queue';
import { PollingSubscription } from './polling-subscription';
import { SqliteBatchWriter, type PendingWrite } from './sqlite-batch-writer';
import { LIMIT_PARAMETER, prepareDatabase, STREAM_HEAD_SQL } from './sqlite-schema';
import { DurableCommits } from './durable-commits';
import { WalCheckpointer, type WalCheckpointerOptions } from './wal-checkpointer';
import { WalFileSync, type CommitSync } from './wal-file-sync';

export interface SqliteEventStoreOptions {
  /**
   * How long a write waits for another process's write lock before failing, and reads wait for a locked
   * database. Default 5000. Writes retry without blocking the event loop; reads use SQLite's busy handler.
   */
  busyTimeoutMs?: number;
  /** Most appends written in one transaction. Default 1000. */
  maxBatchAppends?: number;
  /** Appends queued for the writer before callers are made to wait. Default 10000. */
  maxQueuedAppends?: number;
  /** Rows read per query by readAll, readStream and subscriptions. Default 1000. */
  pageSize?: number;
  /** How often an idle subscription looks for appends made by other processes. Default 200 ms. */
  pollIntervalMs?: number;
  /** Called after every group-commit transaction (metrics). */
  onBatch?: (report: BatchReport) => void;
  /**
   * Tell the other threads of this process about commits, and hear theirs (a BroadcastChannel named
   * after the file): their subscriptions then read at once instead of at their next poll.
   */
  shareCommitsAcrossThreads?: boolean;
  /**
   * Wait this long after a commit before waking this store's subscriptions, so that what is committed
   * meanwhile is read in the same pages (fewer, larger batches for projections). Default 0: at once.
   */
  commitNoticeDelayMs?: number;
  /**
   * WAL size, in pages, at which a COMMIT on this connection also checkpoints (SQLite's
   * `wal_autocheckpoint`, default 1000). Raise it where another connection checkpoints in the background.
   */
  autoCheckpointPages?: number;
  /** Checkpoint from this connection on a timer (see WalCheckpointer): for a connection that serves no requests. */
  backgroundCheckpoint?: WalCheckpointerOptions;
  /** Makes commits durable after COMMIT (default: fdatasync of the `-wal` file, see WalFileSync); tests pass their own. */
  commitSync?: CommitSync;
}

/** What one thread tells the others of a file after a durable commit: the log is on disk through this position. */
type CommitNotice = bigint;

interface EventRow {
  position: bigint;
  id: string;
  stream: string;
  revision: bigint;
  type: string;
  data: string;
  metadata: string;
}

const COLUMNS = 'position, id, stream, revision, type, data, metadata';
/** Positions per readTextAt query: always this many terms (the last repeated), so it is one prepared statement. */
const TEXT_BATCH = 64;

/*
 * One object literal per row, never `{ ...place, data }`: on Node 20 (V8 11) a spread followed by more
 * members gives every object a hidden class (map) of its own, and the garbage collector then promotes
 * what the rows hold to the old generation, where only a full collection frees it. An export reading
 * 100 k events promoted ≈ 91 KB per young-generation collection with the spread, ≈ 5 KB without.
 */
function toRecorded(row: EventRow): RecordedEvent {
  return {
    id: row.id,
    type: row.type,
    stream: row.stream,
    revision: Number(row.revision),
    position: row.position,
    data: JSON.parse(row.data),
    metadata: JSON.parse(row.metadata),
  };
}

function toText(row: EventRow): StoredEventText {
  return { id: row.id, type: row.type, stream: row.stream, revision: Number(row.revision), position: row.position, dataJson: row.data, metadataJson: row.metadata };
}

function checkpointPages(pages: number): number {
  if (!Number.isSafeInteger(pages) || pages < 0) throw new Error('autoCheckpointPages must be a non-negative integer');
  return pages;
}

/**
 * Embedded event store on one SQLite file (WAL).
 *
 * Durability: every append is on disk before its promise resolves, as with `synchronous=FULL`, but
 * the fsync runs on the thread pool after COMMIT (WalFileSync) instead of inside it, so the thread
 * that serves requests is not blocked while the disk flushes. Subscriptions deliver only events known
 * to be on disk, so nothing derived from the log (read models, checkpoints) can get ahead of it after
 * a power loss. Plain reads may see an append a moment before it is durable, as its own later
 * appends do: any append that depends on it is durable only with it (the WAL is one ordered file).
 *
 * Appends are group-committed: all appends queued within one event-loop turn go into one
 * `BEGIN IMMEDIATE` transaction, each checked against its own expected revision (and the earlier
 * appends of the same batch); a failing append rejects alone. Because the check happens under the
 * write lock, several stores — in this process or others — may share the file without forking a stream.
 *
 * Ordering invariant: writers are serialized by the file's write lock and positions are assigned
 * inside the transaction (AUTOINCREMENT: above any position ever used), so positions become visible in commit order. A reader that sees
 * position p has therefore seen every position below p; subscriptions rely on this for no-gap delivery.
 */
export class SqliteEventStore implements EventStore {
  private readonly db: Database.Database;
  private readonly queue: GroupCommitQueue<PendingWrite, AppendResult[]>;
  private readonly subscriptions = new Set<PollingSubscription>();
  private readonly pageSize: number;
  private readonly pollIntervalMs: number;
  private closing: Promise<void> | undefined;
  private readonly commits: BroadcastChannel | undefined;
  /** Undefined for `:memory:` (nothing to make durable). */
  private readonly durable: DurableCommits | undefined;
  private readonly commitNoticeDelayMs: number;
  private readonly checkpointer: WalCheckpointer | undefined;
  private noticeTimer: NodeJS.Timeout | undefined;
  /**
   * The page the last subscription read in this turn of the event loop: the others, woken by the same
   * commit and at the same checkpoint (every read model, usually), take it instead of reading and
   * parsing the same rows again. Subscribers therefore share event objects and must not change them.
   */
  private sharedPage: { after: bigint; limit: number; events: RecordedEvent[] } | undefined;

  private readonly stmt: ReturnType<SqliteEventStore['prepareStatements']>;
  private readonly writer: SqliteBatchWriter;

  constructor(
    readonly path: string,
    options: SqliteEventStoreOptions = {},
  ) {
    this.pageSize = options.pageSize ?? 1000;
    const busyTimeoutMs = options.busyTimeoutMs ?? 5000;
    if (!Number.isSafeInteger(busyTimeoutMs) || busyTimeoutMs < 0) throw new Error('busyTimeoutMs must be a non-negative integer');
    this.pollIntervalMs = options.pollIntervalMs ?? 200;
    this.commitNoticeDelayMs = options.commitNoticeDelayMs ?? 0;
    if (path !== ':memory:') mkdirSync(dirname(path), { recursive: true });
    this.db = new Database(path);
    try {
      prepareDatabase(this.db, busyTimeoutMs);
      if (options.autoCheckpointPages !== undefined) this.db.pragma(`wal_autocheckpoint = ${checkpointPages(options.autoCheckpointPages)}`);
      this.stmt = this.prepareStatements();
      this.writer = new SqliteBatchWriter(this.db, busyTimeoutMs);
    } catch (error) {
      this.db.close();
      throw error;
    }
    this.durable = path === ':memory:' ? undefined : new DurableCommits(options.commitSync ?? new WalFileSync(path));
    if (options.backgroundCheckpoint && path !== ':memory:') {
      this.checkpointer = new WalCheckpointer(this.db, `${path}-wal`, options.backgroundCheckpoint);
      this.checkpointer.start();
    }
    if (options.shareCommitsAcrossThreads) {
      this.commits = new BroadcastChannel(`ledgerline-commits:${path}`);
      this.commits.onmessage = (message) => this.notifyExternalCommit((message as { data: CommitNotice }).data);
      // Listening alone must not keep a thread alive.
      this.commits.unref();
    }
    this.queue = new GroupCommitQueue<PendingWrite, AppendResult[]>(
      (batch) => this.writer.writeBatch(batch, (position) => this.durable?.committed(position)),
      { maxBatch: options.maxBatchAppends ?? 1000, maxQueued: options.maxQueuedAppends ?? 10_000, lockWaitMs: busyTimeoutMs },
      (report) => {
        if (report.items > report.failedItems) {
          // A page cached before this commit (or cut short while it synced) lacks its rows: read again.
          this.sharedPage = undefined;
          this.commits?.postMessage((this.durable?.through ?? 0n) satisfies CommitNotice);
          this.notifySubscriptions();
        }
        options.onBatch?.(report);
      },
      this.durable && (() => (this.durable as DurableCommits).afterCommit()),
    );
  }

  private prepareStatements() {
    const db = this.db;
    return {
      head: db.prepare(STREAM_HEAD_SQL).pluck(),
      readAll: db.prepare(`SELECT ${COLUMNS} FROM events WHERE position > ? ORDER BY position ${LIMIT_PARAMETER}`).safeIntegers(true),
      readForwards: db
        .prepare(`SELECT ${COLUMNS} FROM events WHERE stream = ? AND revision >= ? ORDER BY revision ${LIMIT_PARAMETER}`)
        .safeIntegers(true),
      readBackwards: db
        .prepare(`SELECT ${COLUMNS} FROM events WHERE stream = ? AND revision <= ? ORDER BY revision DESC ${LIMIT_PARAMETER}`)
        .safeIntegers(true),
      last: db
        .prepare(`SELECT ${COLUMNS} FROM events WHERE stream = ? ORDER BY revision DESC LIMIT 1`)
        .safeIntegers(true),
      textAt: db.prepare(`SELECT ${COLUMNS} FROM events WHERE position IN (${Array.from({ length: TEXT_BATCH }, () => '?').join(', ')})`).safeIntegers(true),
      headPosition: db.prepare('SELECT max(position) FROM events').pluck().safeIntegers(true),
      ping: db.prepare('SELECT 1').pluck(),
    };
  }

  /**
   * Another connection to this file (another thread of this process) committed, durably through
   * `durableThrough` when it says so: subscriptions read now (or after `commitNoticeDelayMs`) instead
   * of at their next poll, which only bounds how late other processes' appends are seen.
   */
  notifyExternalCommit(durableThrough?: bigint): void {
    if (typeof durableThrough === 'bigint') this.durable?.heard(durableThrough);
    this.notifySubscriptions();
  }

  private notifySubscriptions(): void {
    if (this.subscriptions.size === 0) return;
    const wake = (): void => {
      this.noticeTimer = undefined;
      for (const subscription of this.subscriptions) subscription.notify();
    };
    if (this.commitNoticeDelayMs <= 0) wake();
    else this.noticeTimer ??= setTimeout(wake, this.commitNoticeDelayMs);
  }


  /** Group-commit counters: batches (= transactions), appends committed and rejected, batch sizes. */
  stats(): GroupCommitStats {
    return this.queue.stats();
  }

  append(stream: string, events: NewEvent[], expected: ExpectedRevision): Promise<AppendResult> {
    return this.enqueue([{ stream, events, expected }]).then(([result]) => result);
  }

  appendAtomically(appends: readonly StreamAppend[]): Promise<AppendResult[]> {
    if (appends.length === 0) return Promise.reject(new InvalidEventStoreInputError('appendAtomically: no appends'));
    if (new Set(appends.map((a) => a.stream)).size !== appends.length) {
      return Promise.reject(new InvalidEventStoreInputError('appendAtomically: each stream at most once'));
    }
    return this.enqueue(appends);
  }

  /** Validates and queues one caller's appends for the next group commit (all or nothing). */
  private enqueue(appends: readonly StreamAppend[]): Promise<AppendResult[]> {
    try {
      this.assertOpen();
      this.durable?.assertHealthy();
      return this.queue.enqueue({ appends: appends.map(({ stream, events, expected }) => ({ stream, events: validateAppend(stream, events, expected), expected })) });
    } catch (error) {
      return Promise.reject(error);
    }
  }

  readStream(stream: string, options: ReadStreamOptions = {}): AsyncIterable<RecordedEvent> {
    validateReadStream(stream, options);
    return this.pageStream(stream, options);
  }

  readAll(options: ReadAllOptions = {}): AsyncIterable<RecordedEvent> {
    validateReadAll(options);
    return this.pageAll(options.after ?? 0n, options.maxCount ?? Number.POSITIVE_INFINITY);
  }

  subscribeAll(options: { after?: bigint } = {}): EventSubscription {
    validateReadAll(options);
    this.assertOpen();
    const subscription = new PollingSubscription(
      {
        readPage: (after, limit) => this.readSharedPage(after, limit),
        untilDurable: (position) => this.durable?.untilDurable(position),
        release: (s) => this.subscriptions.delete(s),
      },
      options.after ?? 0n,
      this.pageSize,
      this.pollIntervalMs,
    );
    this.subscriptions.add(subscription);
    return subscription;
  }

  private readSharedPage(after: bigint, limit: number): RecordedEvent[] {
    const shared = this.sharedPage;
    if (shared !== undefined && shared.after === after && shared.limit === limit) return shared.events;
    let events = (this.stmt.readAll.all(after, limit) as EventRow[]).map(toRecorded);
    // This thread's own commit still syncing: its rows (the page's tail) come with its commit notice.
    const pendingAfter = this.durable?.pendingAfter();
    if (pendingAfter !== undefined && events.length > 0 && events[events.length - 1].position > pendingAfter) {
      events = events.filter((event) => event.position <= pendingAfter);
    }
    if (shared === undefined) setImmediate(() => (this.sharedPage = undefined));
    this.sharedPage = { after, limit, events };
    return events;
  }

  async readTextAt(positions: readonly bigint[]): Promise<(StoredEventText | undefined)[]> {
    for (const position of positions) {
      if (typeof position !== 'bigint' || position < 0n) throw new InvalidEventStoreInputError(`a position must be a non-negative bigint, not ${String(position)}`);
    }
    this.assertOpen();
    const found = new Map<bigint, StoredEventText>();
    const params = new Array<bigint>(TEXT_BATCH);
    for (let offset = 0; offset < positions.length; offset += TEXT_BATCH) {
      const end = Math.min(offset + TEXT_BATCH, positions.length);
      for (let i = 0; i < TEXT_BATCH; i++) params[i] = positions[Math.min(offset + i, end - 1)];
      for (const row of this.stmt.textAt.all(...params) as EventRow[]) found.set(row.position, toText(row));
    }
    return positions.map((position) => found.get(position));
  }

  async readLastEvent(stream: string): Promise<RecordedEvent | undefined> {
    validateStreamName(stream);
    this.assertOpen();
    const row = this.stmt.last.get(stream) as EventRow | undefined;
    return row && toRecorded(row);
  }

  async readStreamRevision(stream: string): Promise<number | undefined> {
    validateStreamName(stream);
    this.assertOpen();
    return (this.stmt.head.get(stream) as number | undefined) ?? undefined;
  }

  async headPosition(): Promise<bigint | undefined> {
    this.assertOpen();
    return (this.stmt.headPosition.get() as bigint | null) ?? undefined;
  }

  async ping(): Promise<void> {
    this.assertOpen();
    this.durable?.assertHealthy();
    this.stmt.ping.get();
  }

  close(): Promise<void> {
    this.closing ??= (async () => {
      await this.queue.drain();
      this.checkpointer?.stop();
      clearTimeout(this.noticeTimer);
      for (const subscription of [...this.subscriptions]) await subscription.close();
      this.commits?.close();
      await this.durable?.close();
      this.db.close();
    })();
    return this.closing;
  }

  private assertOpen(): void {
    if (this.closing) throw new Error('event store is closed');
  }

  private async *pageAll(after: bigint, maxCount: number): AsyncGenerator<RecordedEvent> {
    let remaining = maxCount;
    while (remaining > 0) {
      this.assertOpen();
      const limit = Math.min(this.pageSize, remaining);
      const rows = this.stmt.readAll.all(after, limit) as EventRow[];
      for (const row of rows) yield toRecorded(row);
      if (rows.length < limit) return;
      remaining -= rows.length;
      after = rows[rows.length - 1].position;
    }
  }

  private async *pageStream(stream: string, options: ReadStreamOptions): AsyncGenerator<RecordedEvent> {
    const backwards = options.direction === 'backwards';
    let cursor = options.fromRevision ?? (backwards ? Number.MAX_SAFE_INTEGER : 0);
    let remaining = options.maxCount ?? Number.POSITIVE_INFINITY;
    const page = backwards ? this.stmt.readBackwards : this.stmt.readForwards;
    while (remaining > 0 && cursor >= 0) {
      this.assertOpen();
      const limit = Math.min(this.pageSize, remaining);
      const rows = page.all(stream, cursor, limit) as EventRow[];
      for (const row of rows) yield toRecorded(row);
      if (rows.length < limit) return;
      remaining -= rows.length;
      const last = Number(rows[rows.length - 1].revision);
      cursor = backwards ? last - 1 : last + 1;
    }
  }
}
