import Database from 'better-sqlite3';
import type { DataKeyRecord, ErasedDataKey, NewDataKey } from '../data-key';
import { assertNewDataKey, assertSubjectId, newKeyId } from '../data-key';
import type { DataKeyStore } from '../data-key-store.port';

export interface SqliteDataKeyStoreOptions {
  /** Table name (a plain SQL identifier); default `data_keys`. */
  table?: string;
  now?: () => Date;
  /**
   * For a connection that runs `synchronous=NORMAL`: resolves once what was committed before the call
   * is on disk (e.g. the event store's WalFileSync on this file). Creates resolve only after it, so a key
   * is still durable before anything encrypted under it exists, without an fsync inside COMMIT.
   */
  afterCommit?: () => Promise<void>;
}

interface Row {
  subject_id: string;
  kid: string;
  wrapped_key: Buffer | null;
  created_at: string;
  erased_at: string | null;
}

const IDENTIFIER = /^[a-z_][a-z0-9_]{0,62}$/;

/**
 * DataKeyStore in a SQLite file (embedded: `keys.sqlite`, `synchronous=FULL`, as durable as the log).
 *
 * Creates are group-committed: every create asked for within one event-loop turn is inserted in one
 * transaction, and each caller's promise resolves only after that COMMIT (an fsync under FULL). So a
 * key is durable before anything encrypted under it can be appended, for one fsync per turn, not per key.
 *
 * What erasure removes from disk: with `secure_delete` SQLite zeroes the freed cell when the
 * wrapped key is overwritten by NULL; in WAL mode the old page image also sits in the -wal file,
 * so destroy() runs a TRUNCATE checkpoint, which copies the zeroed page over the old one in the
 * database file and empties the WAL. Limits, stated honestly: if another connection holds a read
 * snapshot the checkpoint cannot finish and the old frame stays in the WAL until a later
 * checkpoint; file systems (copy-on-write, journaling) and SSDs may keep stale blocks; backups
 * keep whatever they copied. All of these only ever hold the key *wrapped*, so destroying or
 * rotating the master key is what finally bounds them.
 */
export class SqliteDataKeyStore implements DataKeyStore {
  private readonly db: Database.Database;
  private readonly owned: boolean;
  private readonly now: () => Date;
  private readonly afterCommit: (() => Promise<void>) | undefined;
  private readonly selectBySubject: Database.Statement<[string], Row>;
  private readonly selectByKid: Database.Statement<[string], Row>;
  private readonly insertIfAbsent: Database.Statement<[string, string, Buffer, string]>;
  private readonly upsertTombstone: Database.Statement<[string, string, string, string], Row>;
  private pendingCreates: PendingCreate[] = [];
  /** Erasures made through this store: a create's answer is read back if one came while it was made durable. */
  private erasures = 0;

  /** Takes an open handle (left open on close()) or a file path (opened and owned). */
  constructor(database: Database.Database | string, options: SqliteDataKeyStoreOptions = {}) {
    const table = options.table ?? 'data_keys';
    if (!IDENTIFIER.test(table)) throw new TypeError(`invalid table name: ${table}`);
    this.owned = typeof database === 'string';
    this.db = typeof database === 'string' ? new Database(database) : database;
    this.now = options.now ?? (() => new Date());
    this.afterCommit = options.afterCommit;
    this.db.pragma('secure_delete = ON');
    this.db.pragma('journal_mode = WAL');
    // The CHECKs make a half-erased row (key bytes next to an erasure time) impossible to store.
    this.db.exec(`CREATE TABLE IF NOT EXISTS ${table} (
      subject_id  TEXT PRIMARY KEY,
      kid         TEXT NOT NULL UNIQUE,
      wrapped_key BLOB CHECK (wrapped_key IS NULL OR length(wrapped_key) = 40),
      created_at  TEXT NOT NULL,
      erased_at   TEXT,
      CHECK ((wrapped_key IS NULL) = (erased_at IS NOT NULL))
    )`);
    const columns = 'subject_id, kid, wrapped_key, created_at, erased_at';
    this.selectBySubject = this.db.prepare(`SELECT ${columns} FROM ${table} WHERE subject_id = ?`);
    this.selectByKid = this.db.prepare(`SELECT ${columns} FROM ${table} WHERE kid = ?`);
    // Conflict target is the subject only: a kid collision (2^-128) must fail loudly, not be absorbed.
    this.insertIfAbsent = this.db.prepare(
      `INSERT INTO ${table} (subject_id, kid, wrapped_key, created_at) VALUES (?, ?, ?, ?)
       ON CONFLICT (subject_id) DO NOTHING`,
    );
    this.upsertTombstone = this.db.prepare(
      `INSERT INTO ${table} (subject_id, kid, wrapped_key, created_at, erased_at) VALUES (?, ?, NULL, ?, ?)
       ON CONFLICT (subject_id) DO UPDATE SET wrapped_key = NULL, erased_at = COALESCE(erased_at, excluded.erased_at)
       RETURNING ${columns}`,
    );
  }

  async get(subjectId: string): Promise<DataKeyRecord | undefined> {
    assertSubjectId(subjectId);
    return toRecord(this.selectBySubject.get(subjectId));
  }

  async getByKid(kid: string): Promise<DataKeyRecord | undefined> {
    return toRecord(this.selectByKid.get(kid));
  }

  create(subjectId: string, candidate: NewDataKey): Promise<DataKeyRecord> {
    try {
      assertSubjectId(subjectId);
      assertNewDataKey(candidate);
    } catch (error) {
      return Promise.reject(error);
    }
    return new Promise((resolve, reject) => {
      if (this.pendingCreates.length === 0) setImmediate(() => this.commitCreates());
      this.pendingCreates.push({ subjectId, candidate, resolve, reject });
    });
  }

  /** One transaction for the turn's creates; a failure (e.g. the write lock is busy) rejects them all, to be retried by the caller. */
  private commitCreates(): void {
    const batch = this.pendingCreates;
    this.pendingCreates = [];
    const createdAt = this.now().toISOString();
    // What each insert stored, or undefined where another writer's row was already there (read back below).
    let inserted: (DataKeyRecord | undefined)[];
    try {
      inserted = this.db.transaction(() =>
        batch.map(({ subjectId, candidate }): DataKeyRecord | undefined =>
          this.insertIfAbsent.run(subjectId, candidate.kid, candidate.wrappedKey, createdAt).changes === 1
            ? { status: 'active', subjectId, kid: candidate.kid, wrappedKey: Buffer.from(candidate.wrappedKey), createdAt }
            : undefined,
        ),
      ).immediate();
    } catch (error) {
      for (const pending of batch) pending.reject(error);
      return;
    }
    const erasuresBefore = this.erasures;
    const settle = (): void => {
      // An erasure while the batch was made durable may have turned an inserted key into a tombstone: read.
      const known = this.erasures === erasuresBefore ? inserted : [];
      batch.forEach((pending, i) => {
        const stored = known[i] ?? toRecord(this.selectBySubject.get(pending.subjectId));
        if (stored) pending.resolve(stored);
        else pending.reject(new Error('data key row vanished after insert')); // rows are never deleted
      });
    };
    if (this.afterCommit === undefined) settle();
    else this.afterCommit().then(settle, (error: unknown) => batch.forEach((pending) => pending.reject(error)));
  }

  async destroy(subjectId: string): Promise<ErasedDataKey> {
    assertSubjectId(subjectId);
    const now = this.now().toISOString();
    const row = this.upsertTombstone.get(subjectId, newKeyId(), now, now);
    this.erasures++;
    // Outside a caller's transaction the tombstone is committed now; it must be on disk before erasure is reported.
    if (!this.db.inTransaction) await this.afterCommit?.();
    this.flushWal();
    return toRecord(row) as ErasedDataKey;
  }

  async isErased(subjectId: string): Promise<boolean> {
    return (await this.get(subjectId))?.status === 'erased';
  }

  /** Closes the database only when this store opened it from a path. */
  close(): void {
    if (this.owned) this.db.close();
  }

  private flushWal(): void {
    // Inside a caller's transaction the erasure is not committed yet; their commit's checkpoint will follow.
    if (this.db.inTransaction || this.db.memory) return;
    if (this.db.pragma('journal_mode', { simple: true }) !== 'wal') return;
    this.db.pragma('wal_checkpoint(TRUNCATE)');
  }
}

interface PendingCreate {
  subjectId: string;
  candidate: NewDataKey;
  resolve(record: DataKeyRecord): void;
  reject(error: unknown): void;
}

function toRecord(row: Row | undefined): DataKeyRecord | undefined {
  if (!row) return undefined;
  if (row.wrapped_key === null) {
    return { status: 'erased', subjectId: row.subject_id, kid: row.kid, createdAt: row.created_at, erasedAt: row.erased_at as string };
  }
  return { status: 'active', subjectId: row.subject_id, kid: row.kid, wrappedKey: row.wrapped_key, createdAt: row.created_at };
}
