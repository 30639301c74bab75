import { open, type FileHandle } from 'node:fs/promises';
import { dirname } from 'node:path';

/** What a durable commit needs from the file system; WalFileSync is the real one, tests pass their own. */
export interface CommitSync {
  /** Resolves once everything committed before the call is on disk. */
  sync(): Promise<void>;
  close(): Promise<void>;
}

/**
 * Makes a SQLite WAL database's commits durable from the thread pool instead of inside COMMIT.
 *
 * The connection runs `synchronous=NORMAL`: COMMIT writes its frames to the `-wal` file and returns
 * without an fsync, and SQLite keeps the file consistent (frames carry cumulative checksums, the
 * header is synced whenever the WAL restarts, checkpoints sync both files). `sync()` then runs
 * fdatasync on the `-wal` file off the event loop; once it resolves, every transaction committed
 * before the call is on disk, which is what `synchronous=FULL` guarantees at the end of COMMIT. On
 * Linux an fsync flushes the file's dirty pages whoever wrote them, so one call covers every commit
 * of every connection (and thread) before it.
 *
 * Calls coalesce: while one fdatasync runs, every caller waits for the single next one, which starts
 * after it (so it covers their commits); at most two are ever outstanding.
 */
export class WalFileSync implements CommitSync {
  private readonly walPath: string;
  private wal: Promise<FileHandle> | undefined;
  private running: Promise<void> | undefined;
  private next: Promise<void> | undefined;
  private closed = false;

  constructor(databasePath: string) {
    this.walPath = `${databasePath}-wal`;
  }

  sync(): Promise<void> {
    if (this.closed) return Promise.reject(new Error('WAL sync is closed'));
    if (this.running === undefined) {
      this.running = this.syncOnce().finally(() => (this.running = undefined));
      return this.running;
    }
    // One is running: it may have started before the caller's commit, so wait for the one after it.
    this.next ??= this.running
      .catch(() => undefined)
      .then(() => {
        this.next = undefined;
        return this.sync();
      });
    return this.next;
  }

  async close(): Promise<void> {
    this.closed = true;
    await Promise.allSettled([this.running, this.next]);
    const wal = await this.wal?.catch(() => undefined);
    this.wal = undefined;
    await wal?.close();
  }

  private async syncOnce(): Promise<void> {
    this.wal ??= this.openWal();
    let wal: FileHandle;
    try {
      wal = await this.wal;
    } catch (error) {
      this.wal = undefined;
      throw error;
    }
    await wal.datasync();
  }

  /** The `-wal` file exists once the database has been written in WAL mode; its directory entry is synced once. */
  private async openWal(): Promise<FileHandle> {
    const wal = await open(this.walPath, 'r+');
    try {
      const directory = await open(dirname(this.walPath), 'r');
      try {
        await directory.sync();
      } finally {
        await directory.close();
      }
    } catch (error) {
      await wal.close();
      throw error;
    }
    return wal;
  }
}
