import Database from 'better-sqlite3';
import { mkdirSync, realpathSync } from 'node:fs';
import { dirname } from 'node:path';
import { AsyncMutex } from './async-mutex';
import type { ReadDb, ReadTx } from './read-db.port';
import { bindValue, fromInt64 } from './sql-values';

export interface SqliteReadDbOptions {
  /** How long a writer waits for another process's write lock. Default 5000. */
  busyTimeoutMs?: number;
  /** Prepared statements kept per connection. Default 256. */
  statementCacheSize?: number;
  /**
   * SQLite page cache of each connection, in KiB. Default 4096 (better-sqlite3 builds SQLite with 16 MiB
   * per connection). Pages missed are read from the OS's file cache; a bigger cache mostly duplicates it
   * in the process's own memory.
   */
  pageCacheKib?: number;
}

const DEFAULT_PAGE_CACHE_KIB = 4096;

type Row = Record<string, unknown>;

/**
 * One mutex per file for the whole process. better-sqlite3 waits for a lock synchronously, so a
 * second connection in this process asking for the write lock while the first holds it across an
 * await would block the event loop the holder needs to finish: a deadlock until busy_timeout.
 */
const fileMutexes = new Map<string, { mutex: AsyncMutex; users: number }>();

function acquireFileMutex(file: string): AsyncMutex {
  const entry = fileMutexes.get(file) ?? { mutex: new AsyncMutex(), users: 0 };
  entry.users++;
  fileMutexes.set(file, entry);
  return entry.mutex;
}

function releaseFileMutex(file: string): void {
  const entry = fileMutexes.get(file);
  if (entry && --entry.users === 0) fileMutexes.delete(file);
}

/** Prepared statements by SQL text, least recently used evicted first. */
class StatementCache {
  private readonly statements = new Map<string, Database.Statement>();

  constructor(
    private readonly db: Database.Database,
    private readonly capacity: number,
  ) {}

  get(sql: string): Database.Statement {
    let statement = this.statements.get(sql);
    if (statement) {
      this.statements.delete(sql);
    } else {
      statement = this.db.prepare(sql);
      // Integers are read exactly and narrowed only when safe (see fromInt64).
      if (statement.reader) statement.safeIntegers(true);
      if (this.statements.size >= this.capacity) this.statements.delete(this.statements.keys().next().value as string);
    }
    this.statements.set(sql, statement);
    return statement;
  }
}

/**
 * SQLite understands `$1` natively as a parameter named "1", so the portable SQL runs unchanged
 * when the values are bound by name; no rewriting, hence no risk of touching a `$1` inside a literal.
 */
function run(cache: StatementCache, sql: string, params: readonly unknown[] | undefined): Row[] {
  const statement = cache.get(sql);
  const args: unknown[] = [];
  if (params && params.length > 0) {
    const named: Record<string, unknown> = {};
    params.forEach((value, i) => (named[i + 1] = bindValue(value, i)));
    args.push(named);
  }
  if (!statement.reader) {
    statement.run(...args);
    return [];
  }
  const rows = statement.all(...args) as Row[];
  for (const row of rows) {
    for (const key in row) {
      const value = row[key];
      if (typeof value === 'bigint') row[key] = fromInt64(value);
    }
  }
  return rows;
}

/**
 * Read models in one SQLite file: WAL, `synchronous=NORMAL` (read models are rebuildable from the
 * log, and each checkpoint commits with its changes, so a lost tail only means replaying it).
 *
 * One writer connection takes every transaction and write, serialised by a mutex because a
 * transaction's function is async and better-sqlite3 has one transaction per connection. Plain
 * reads outside transactions use a second connection, so queries never wait for a projection batch
 * and never see its uncommitted rows (`:memory:` has a single connection, so everything queues).
 * Other processes on the same file are kept out by SQLite's own locks and `busy_timeout`.
 */
export class SqliteReadDb implements ReadDb {
  readonly dialect = 'sqlite' as const;
  private readonly writer: Database.Database;
  private readonly reader: Database.Database | undefined;
  private readonly writerStatements: StatementCache;
  private readonly readerStatements: StatementCache | undefined;
  private readonly mutex: AsyncMutex;
  private readonly mutexKey: string | undefined;
  private closing: Promise<void> | undefined;

  constructor(
    readonly path: string,
    options: SqliteReadDbOptions = {},
  ) {
    const busyTimeout = options.busyTimeoutMs ?? 5000;
    const cacheSize = options.statementCacheSize ?? 256;
    const pageCacheKib = options.pageCacheKib ?? DEFAULT_PAGE_CACHE_KIB;
    if (!Number.isSafeInteger(pageCacheKib) || pageCacheKib < 0) throw new Error(`invalid page cache size ${options.pageCacheKib}`);
    const memory = path === ':memory:' || path === '';
    if (!memory) mkdirSync(dirname(path), { recursive: true });
    this.writer = new Database(path);
    try {
      this.writer.pragma(`busy_timeout = ${busyTimeout}`);
      if (!memory) this.writer.pragma('journal_mode = WAL');
      this.writer.pragma('synchronous = NORMAL');
      // Projection batches share one transaction, each in a savepoint (SharedTransactions). SQLite keeps a
      // savepoint's journal in a temp file once it passes 64 KiB: with temp_store=FILE that was 12 KB of
      // /var/tmp writes and 14 write syscalls per create on the worker thread. In memory it is bounded by
      // the pages one transaction changes; the writer's statements are keyed inserts and updates, with no
      // large sorts (a projector's new index is built on its table while empty, by a rebuild). The reader,
      // whose audit searches may sort much, keeps temp files on disk.
      this.writer.pragma('temp_store = MEMORY');
      this.writer.pragma(`cache_size = -${pageCacheKib}`);
      this.writerStatements = new StatementCache(this.writer, cacheSize);
      if (!memory) {
        this.reader = new Database(path);
        this.reader.pragma(`busy_timeout = ${busyTimeout}`);
        this.reader.pragma(`cache_size = -${pageCacheKib}`);
        this.readerStatements = new StatementCache(this.reader, cacheSize);
      }
      this.mutexKey = memory ? undefined : realpathSync(path);
      this.mutex = this.mutexKey === undefined ? new AsyncMutex() : acquireFileMutex(this.mutexKey);
    } catch (error) {
      this.reader?.close();
      this.writer.close();
      throw error;
    }
  }

  async query<T = Row>(sql: string, params?: readonly unknown[]): Promise<T[]> {
    this.assertOpen();
    if (this.readerStatements && this.readerStatements.get(sql).readonly) {
      return run(this.readerStatements, sql, params) as T[];
    }
    return this.mutex.run(async () => run(this.writerStatements, sql, params) as T[]);
  }

  async exec(sql: string): Promise<void> {
    this.assertOpen();
    await this.mutex.run(async () => void this.writer.exec(sql));
  }

  transaction<T>(fn: (tx: ReadTx) => Promise<T>): Promise<T> {
    try {
      this.assertOpen();
    } catch (error) {
      return Promise.reject(error);
    }
    // Work accepted before close() still runs: close waits for the mutex to drain.
    return this.mutex.run(async () => {
      // IMMEDIATE takes the write lock up front: two processes cannot both read then fail to upgrade.
      this.writer.exec('BEGIN IMMEDIATE');
      let active = true;
      const check = (): void => {
        if (!active) throw new Error('read-db transaction used after it ended');
      };
      const tx: ReadTx = {
        query: async <R>(sql: string, params?: readonly unknown[]): Promise<R[]> => {
          check();
          return run(this.writerStatements, sql, params) as R[];
        },
        exec: async (sql: string): Promise<void> => {
          check();
          this.writer.exec(sql);
        },
      };
      try {
        const result = await fn(tx);
        active = false;
        this.writer.exec('COMMIT');
        return result;
      } catch (error) {
        active = false;
        if (this.writer.inTransaction) this.writer.exec('ROLLBACK');
        throw error;
      }
    });
  }

  close(): Promise<void> {
    this.closing ??= (async () => {
      await this.mutex.idle();
      this.reader?.close();
      this.writer.close();
      if (this.mutexKey !== undefined) releaseFileMutex(this.mutexKey);
    })();
    return this.closing;
  }

  private assertOpen(): void {
    if (this.closing) throw new Error('read database is closed');
  }
}
