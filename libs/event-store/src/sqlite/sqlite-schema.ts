import type { Database } from 'better-sqlite3';

/**
 * One table is the whole store. `position` is the global sequence: AUTOINCREMENT so a position is
 * never reused even if the tail were deleted behind our back. UNIQUE (stream, revision) is both the
 * fork guard and the index that finds a stream's head.
 */
const SCHEMA = `
CREATE TABLE IF NOT EXISTS events (
  position INTEGER PRIMARY KEY AUTOINCREMENT,
  id       TEXT    NOT NULL UNIQUE,
  stream   TEXT    NOT NULL,
  revision INTEGER NOT NULL CHECK (revision >= 0),
  type     TEXT    NOT NULL,
  data     TEXT    NOT NULL,
  metadata TEXT    NOT NULL,
  UNIQUE (stream, revision)
);
`;

/** Applies the durability pragmas and creates the schema; safe to run from several processes at once. */
export function prepareDatabase(db: Database, busyTimeoutMs: number): void {
  // busy_timeout first: switching to WAL and creating tables need locks another process may hold.
  db.pragma(`busy_timeout = ${busyTimeoutMs}`);
  const mode = db.pragma('journal_mode = WAL', { simple: true });
  if (String(mode).toLowerCase() !== 'wal') throw new Error(`event store: cannot enable WAL (journal_mode is ${String(mode)})`);
  // FULL in WAL mode syncs the log on every commit: an acknowledged append survives power loss.
  db.pragma('synchronous = FULL');
  db.exec(SCHEMA);
}
