import type Database from 'better-sqlite3';
import { ConcurrencyError, DuplicateEventIdError } from '../event-store.errors';
import type { AppendResult, ExpectedRevision } from '../event-store.port';
import type { SerializedEvent } from '../validate-input';
import { WriteLockBusyError, type ItemOutcome } from './group-commit.queue';
import { STREAM_HEAD_SQL } from './sqlite-schema';

export interface PendingAppend {
  stream: string;
  events: SerializedEvent[];
  expected: ExpectedRevision;
}

/** What one caller queued: one append, or several to commit all or nothing. */
export interface PendingWrite {
  appends: PendingAppend[];
}

/** Null when the expectation holds against `head` (-1 = no stream). */
function checkExpected(stream: string, expected: ExpectedRevision, head: number): ConcurrencyError | null {
  const exists = head >= 0;
  const holds =
    expected === 'any' ||
    (expected === 'no_stream' && !exists) ||
    (expected === 'stream_exists' && exists) ||
    (typeof expected === 'number' && expected === head);
  return holds ? null : new ConcurrencyError(stream, expected, exists ? head : 'no_stream');
}

function isBusy(error: unknown): boolean {
  return String((error as { code?: string })?.code ?? '').startsWith('SQLITE_BUSY');
}

function isDuplicateIdViolation(error: unknown): boolean {
  const e = error as { code?: string; message?: string };
  return e?.code === 'SQLITE_CONSTRAINT_UNIQUE' && /events\.id\b/.test(e.message ?? '');
}

/**
 * The event store's write path: one group-commit batch as one `BEGIN IMMEDIATE` transaction. Each
 * append is checked against its expected revision under the file's write lock (and against the
 * earlier appends of the same batch), so a failing append rejects alone; one caller's appends
 * commit all or nothing. What follows the COMMIT (making it durable, telling subscribers) is the
 * store's.
 */
export class SqliteBatchWriter {
  private readonly s;

  constructor(
    private readonly db: Database.Database,
    busyTimeoutMs: number,
  ) {
    this.s = {
      noWait: db.prepare('PRAGMA busy_timeout = 0'),
      wait: db.prepare(`PRAGMA busy_timeout = ${busyTimeoutMs}`),
      begin: db.prepare('BEGIN IMMEDIATE'),
      commit: db.prepare('COMMIT'),
      rollback: db.prepare('ROLLBACK'),
      savepoint: db.prepare('SAVEPOINT append'),
      release: db.prepare('RELEASE append'),
      rollbackTo: db.prepare('ROLLBACK TO append'),
      savepointTogether: db.prepare('SAVEPOINT together'),
      releaseTogether: db.prepare('RELEASE together'),
      rollbackToTogether: db.prepare('ROLLBACK TO together'),
      head: db.prepare(STREAM_HEAD_SQL).pluck(),
      insert: db.prepare('INSERT INTO events (id, stream, revision, type, data, metadata) VALUES (?, ?, ?, ?, ?, ?)').safeIntegers(true),
    };
  }

  /**
   * One transaction for the whole batch; throws (rolling back) only on errors that are not one
   * append's fault. `committed` hears every position the COMMIT wrote.
   */
  writeBatch(batch: PendingWrite[], committed: (position: bigint) => void): ItemOutcome<AppendResult[]>[] {
    const s = this.s;
    this.beginImmediate();
    try {
      const heads = new Map<string, number>();
      const outcomes = batch.map((write) => this.writeTogether(write.appends, heads));
      s.commit.run();
      for (const outcome of outcomes) {
        if (!outcome.ok) continue;
        for (const { position } of outcome.value) committed(position);
      }
      return outcomes;
    } catch (error) {
      if (this.db.inTransaction) s.rollback.run();
      throw error;
    }
  }

  /**
   * Takes the file's write lock without SQLite's busy handler, which would sleep with the event loop
   * blocked (and is unfair between processes); when busy, the queue retries the batch a moment later.
   */
  private beginImmediate(): void {
    const s = this.s;
    s.noWait.get();
    try {
      s.begin.run();
    } catch (error) {
      if (isBusy(error)) throw new WriteLockBusyError(error as Error);
      throw error;
    } finally {
      s.wait.get();
    }
  }

  /** One caller's appends, all or nothing: the first that fails undoes the others (and their heads). */
  private writeTogether(appends: PendingAppend[], heads: Map<string, number>): ItemOutcome<AppendResult[]> {
    if (appends.length === 1) {
      const outcome = this.writeAppend(appends[0], heads);
      return outcome.ok ? { ok: true, value: [outcome.value] } : outcome;
    }
    const s = this.s;
    const headsBefore = appends.map(({ stream }) => [stream, heads.get(stream)] as const);
    s.savepointTogether.run();
    const results: AppendResult[] = [];
    for (const append of appends) {
      const outcome = this.writeAppend(append, heads);
      if (!outcome.ok) {
        s.rollbackToTogether.run();
        s.releaseTogether.run();
        for (const [stream, head] of headsBefore) {
          if (head === undefined) heads.delete(stream);
          else heads.set(stream, head);
        }
        return outcome;
      }
      results.push(outcome.value);
    }
    s.releaseTogether.run();
    return { ok: true, value: results };
  }

  private writeAppend({ stream, events, expected }: PendingAppend, heads: Map<string, number>): ItemOutcome<AppendResult> {
    const s = this.s;
    let head = heads.get(stream);
    if (head === undefined) {
      head = (s.head.get(stream) as number | undefined) ?? -1;
      heads.set(stream, head);
    }
    const conflict = checkExpected(stream, expected, head);
    if (conflict) return { ok: false, error: conflict };

    // A single INSERT that fails leaves nothing behind (statement rollback); several need a savepoint.
    const several = events.length > 1;
    if (several) s.savepoint.run();
    let index = 0;
    try {
      let position = 0n;
      for (; index < events.length; index++) {
        const e = events[index];
        position = s.insert.run(e.id, stream, head + 1 + index, e.type, e.data, e.metadata).lastInsertRowid as bigint;
      }
      if (several) s.release.run();
      heads.set(stream, head + events.length);
      return { ok: true, value: { nextExpectedRevision: head + events.length, position } };
    } catch (error) {
      if (!isDuplicateIdViolation(error)) throw error;
      if (several) {
        s.rollbackTo.run();
        s.release.run();
      }
      return { ok: false, error: new DuplicateEventIdError(stream, events[index].id) };
    }
  }
}
