import Database from 'better-sqlite3';
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import type { AppConfig } from '@ledgerline/config';
import { commitDurablyOnConnect, PostgresDataKeyStore, SqliteDataKeyStore, type DataKeyStore } from '@ledgerline/crypto';
import { WalFileSync } from '@ledgerline/event-store';
import { pgDriver } from '@ledgerline/projections';
import { BusyRetryingDataKeyStore } from './busy-retrying-data-key.store';
import { legacyReadSqlitePath, moveLegacyKeys } from './legacy-key-table';

/** An opened key table and how to release it. */
export interface OpenedDataKeyStore {
  store: DataKeyStore;
  close(): Promise<void>;
}

function isPostgres(url: string | undefined): url is string {
  return url !== undefined && /^postgres(ql)?:/i.test(url);
}

/**
 * The key table lives outside the event store (SPEC §6) but is as durable as it: PostgreSQL when
 * READ_DB_URL names one (a search_path given in the URL's `options` confines it to a schema), else
 * `DATA_DIR/keys.sqlite` (WAL, `secure_delete`; each create resolves only once its COMMIT is on disk,
 * synced from the thread pool as the event log's are), a file of its own because the
 * read models beside it are rebuildable and the keys are not. On PostgreSQL the key table's connections
 * commit with `synchronous_commit = on` whatever the server's default, checked at start. Keys an earlier
 * version kept in read.sqlite are moved over first.
 */
export async function openDataKeyStore(config: AppConfig): Promise<OpenedDataKeyStore> {
  if (isPostgres(config.readDbUrl)) {
    const pool = new (pgDriver().Pool)({ connectionString: config.readDbUrl, max: 4, onConnect: commitDurablyOnConnect });
    pool.on('error', () => undefined); // an idle client's failure surfaces on the next query
    const store = new PostgresDataKeyStore(pool);
    try {
      await store.assertDurableCommits();
      // READ_DB_MIGRATE=off: the owner role created the key table (`npm run db:migrate`).
      if (config.readDbMigrate) await store.migrate();
    } catch (error) {
      await pool.end();
      throw error;
    }
    return { store, close: () => pool.end() };
  }
  mkdirSync(config.dataDir, { recursive: true });
  const file = path.resolve(config.dataDir, 'keys.sqlite');
  const db = new Database(file);
  db.pragma('busy_timeout = 0');
  db.pragma('journal_mode = WAL');
  // Durability comes from the fdatasync after each group of creates (afterCommit), not from inside COMMIT.
  db.pragma('synchronous = NORMAL');
  const walSync = new WalFileSync(file);
  let sqlite: SqliteDataKeyStore | undefined;
  // The table is created on the shared file; another process may hold the write lock for a moment.
  for (let attempt = 1; sqlite === undefined; attempt++) {
    try {
      sqlite = new SqliteDataKeyStore(db, { afterCommit: () => walSync.sync() });
    } catch (error) {
      if (attempt >= 100 || !String((error as { code?: unknown }).code).startsWith('SQLITE_BUSY')) {
        db.close();
        throw error;
      }
      await sleep(50);
    }
  }
  try {
    moveLegacyKeys(db, legacyReadSqlitePath(config));
  } catch (error) {
    db.close();
    throw error;
  }
  return {
    store: new BusyRetryingDataKeyStore(sqlite),
    close: async () => {
      await walSync.close();
      db.close();
    },
  };
}
