import Database from 'better-sqlite3';
import { mkdirSync } from 'node:fs';
import path from 'node:path';

/** The latest checkpoint the witness cosigned for one log. */
export interface WitnessedCheckpoint {
  origin: string;
  size: number;
  rootHash: Buffer;
  /** The checkpoint as received plus this witness's cosignature line (served to monitors). */
  note: string;
}

/**
 * The witness's whole state: one row per log origin, in one small SQLite file with the event log's
 * durability rules (WAL, synchronous=FULL: a commit is on disk before the witness answers).
 */
export class WitnessStateStore {
  private readonly db: Database.Database;
  private readonly select: Database.Statement<[string]>;
  private readonly upsert: Database.Statement<[string, number, Buffer, string]>;

  constructor(file: string) {
    mkdirSync(path.dirname(file), { recursive: true, mode: 0o700 });
    this.db = new Database(file);
    const mode = this.db.pragma('journal_mode = WAL', { simple: true });
    if (String(mode).toLowerCase() !== 'wal') throw new Error(`witness state: cannot enable WAL (journal_mode is ${String(mode)})`);
    this.db.pragma('synchronous = FULL');
    this.db.exec(`CREATE TABLE IF NOT EXISTS witnessed_checkpoints (
      origin TEXT PRIMARY KEY,
      size INTEGER NOT NULL CHECK (size >= 0),
      root_hash BLOB NOT NULL CHECK (length(root_hash) = 32),
      note TEXT NOT NULL
    ) STRICT`);
    this.select = this.db.prepare('SELECT origin, size, root_hash AS rootHash, note FROM witnessed_checkpoints WHERE origin = ?');
    this.upsert = this.db.prepare(
      'INSERT INTO witnessed_checkpoints (origin, size, root_hash, note) VALUES (?, ?, ?, ?) ON CONFLICT (origin) DO UPDATE SET size = excluded.size, root_hash = excluded.root_hash, note = excluded.note',
    );
  }

  latest(origin: string): WitnessedCheckpoint | undefined {
    return this.select.get(origin) as WitnessedCheckpoint | undefined;
  }

  /**
   * Runs `decide` on the stored checkpoint of `origin` and stores what it returns, in one immediate
   * transaction: the check of the old size and the write are atomic (tlog-witness's rollback race).
   */
  advance<T>(origin: string, decide: (current: WitnessedCheckpoint | undefined) => { store?: WitnessedCheckpoint; result: T }): T {
    return this.db
      .transaction(() => {
        const { store, result } = decide(this.latest(origin));
        if (store !== undefined) this.upsert.run(store.origin, store.size, store.rootHash, store.note);
        return result;
      })
      .immediate();
  }

  close(): void {
    this.db.close();
  }
}
