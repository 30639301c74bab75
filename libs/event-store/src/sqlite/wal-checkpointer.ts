import type Database from 'better-sqlite3';
import { statSync } from 'node:fs';

export interface WalCheckpointerOptions {
  /** How often the WAL's size is looked at. */
  intervalMs: number;
  /** WAL size, in pages, from which a checkpoint runs. */
  minPages: number;
}

/** Bytes a WAL frame takes besides its page. */
const FRAME_HEADER_BYTES = 24;

/**
 * Checkpoints a WAL database from a connection that does not serve requests (the worker thread's),
 * so the connections that do can leave it to this one (a high `wal_autocheckpoint`) and never run a
 * checkpoint, with its two fsyncs, inside a COMMIT on their event loop.
 *
 * TRUNCATE: copies every frame into the database file, waits (SQLite's busy handler, on this thread)
 * for readers of older frames, and empties the WAL so that it starts over. Writers meanwhile find the
 * write lock busy; the embedded store's writers retry that off the event loop.
 */
export class WalCheckpointer {
  private timer: NodeJS.Timeout | undefined;
  private readonly frameBytes: number;
  /** Checkpoints run, and how many failed (busy past the timeout; the next tick tries again). */
  readonly counts = { runs: 0, failures: 0 };

  constructor(
    private readonly db: Database.Database,
    private readonly walPath: string,
    private readonly options: WalCheckpointerOptions,
  ) {
    this.frameBytes = Number(db.pragma('page_size', { simple: true })) + FRAME_HEADER_BYTES;
  }

  start(): void {
    this.timer ??= setInterval(() => this.tick(), this.options.intervalMs);
    // Checkpointing alone must not keep a thread alive.
    this.timer.unref();
  }

  stop(): void {
    clearInterval(this.timer);
    this.timer = undefined;
  }

  /** Runs a checkpoint if the WAL has grown past `minPages`; returns whether one ran. */
  tick(): boolean {
    let walBytes: number;
    try {
      walBytes = statSync(this.walPath).size;
    } catch {
      return false; // no WAL yet
    }
    if (walBytes < this.options.minPages * this.frameBytes) return false;
    this.counts.runs++;
    try {
      // One row: busy = 1 when a writer or a reader kept it from finishing (then nothing was truncated).
      const [result] = this.db.pragma('wal_checkpoint(TRUNCATE)') as { busy: number }[];
      if (result?.busy !== 0) throw new Error('busy');
    } catch {
      this.counts.failures++;
      return false;
    }
    return true;
  }
}
