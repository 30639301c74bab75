import Database from 'better-sqlite3';
import { existsSync } from 'node:fs';
import path from 'node:path';
import type { AppConfig } from '@ledgerline/config';

/** Where an earlier version kept the embedded key table: the read database's SQLite file. */
export function legacyReadSqlitePath(config: AppConfig): string | undefined {
  const url = config.readDbUrl;
  if (url === undefined) return path.resolve(config.dataDir, 'read.sqlite');
  if (!url.startsWith('sqlite:')) return undefined;
  const rest = url.slice('sqlite:'.length);
  return rest.startsWith('//') ? rest.slice(2) : rest;
}

/**
 * Moves the `data_keys` rows an earlier version kept in read.sqlite into keys.sqlite, with nothing
 * lost: the copy is committed (FULL) before the old rows are deleted, a row already in keys.sqlite is
 * kept as it is (a tombstone there stays a tombstone), and the old table goes only once empty. Erasure
 * must destroy every copy, so the old rows are deleted under secure_delete and the WAL is truncated.
 * A crash at any point leaves the rows in one place or both, never in neither; the next start finishes.
 */
export function moveLegacyKeys(keys: Database.Database, legacyFile: string | undefined): void {
  if (legacyFile === undefined || !existsSync(legacyFile)) return;
  const legacy = new Database(legacyFile);
  try {
    legacy.pragma('busy_timeout = 5000');
    const table = legacy.prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'data_keys'").get();
    if (table === undefined) return;
    const rows = legacy.prepare('SELECT subject_id, kid, wrapped_key, created_at, erased_at FROM data_keys').all() as LegacyRow[];
    const insert = keys.prepare(
      'INSERT INTO data_keys (subject_id, kid, wrapped_key, created_at, erased_at) VALUES (?, ?, ?, ?, ?) ON CONFLICT (subject_id) DO NOTHING',
    );
    // The copies must be on disk before the originals are deleted: this one commit syncs inside COMMIT
    // (the key store's connection otherwise runs NORMAL and syncs after its own commits).
    const synchronous = keys.pragma('synchronous', { simple: true });
    keys.pragma('synchronous = FULL');
    try {
      keys.transaction(() => {
        for (const row of rows) insert.run(row.subject_id, row.kid, row.wrapped_key, row.created_at, row.erased_at);
      }).immediate();
    } finally {
      keys.pragma(`synchronous = ${Number(synchronous)}`);
    }
    const moved = keys.prepare('SELECT count(*) FROM data_keys WHERE subject_id = ?').pluck();
    if (!rows.every((row) => moved.get(row.subject_id) === 1)) throw new Error('moving the key table to keys.sqlite left a key behind');
    legacy.pragma('secure_delete = ON');
    legacy.transaction(() => {
      // Another process starting beside this one may have finished the move first.
      if (legacy.prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'data_keys'").get() === undefined) return;
      legacy.exec('DELETE FROM data_keys');
      legacy.exec('DROP TABLE data_keys');
    }).immediate();
    if (legacy.pragma('journal_mode', { simple: true }) === 'wal') legacy.pragma('wal_checkpoint(TRUNCATE)');
  } finally {
    legacy.close();
  }
}

interface LegacyRow {
  subject_id: string;
  kid: string;
  wrapped_key: Buffer | null;
  created_at: string;
  erased_at: string | null;
}
