import { join } from 'node:path';
import { PostgresReadDb, type PostgresReadDbOptions } from './postgres-read-db';
import type { ReadDb } from './read-db.port';
import { SqliteReadDb, type SqliteReadDbOptions } from './sqlite-read-db';

export interface OpenReadDbOptions {
  sqlite?: SqliteReadDbOptions;
  postgres?: PostgresReadDbOptions;
}

/**
 * Opens the read database a `READ_DB_URL` names: unset → SQLite at `<dataDir>/read.sqlite`,
 * `sqlite:<path>` (or `sqlite://<path>`) → that SQLite file, `postgres://…`/`postgresql://…` → PostgreSQL.
 */
export async function openReadDb(url: string | undefined, dataDir: string, options: OpenReadDbOptions = {}): Promise<ReadDb> {
  if (url === undefined || url.trim() === '') return new SqliteReadDb(join(dataDir, 'read.sqlite'), options.sqlite);
  const scheme = /^([a-z][a-z0-9+.-]*):/i.exec(url)?.[1]?.toLowerCase();
  switch (scheme) {
    case 'sqlite': {
      const rest = url.slice('sqlite:'.length);
      const path = rest.startsWith('//') ? rest.slice(2) : rest;
      if (path === '') throw new Error('sqlite: read database URL names no file');
      return new SqliteReadDb(path, options.sqlite);
    }
    case 'postgres':
    case 'postgresql':
      return PostgresReadDb.open(url, options.postgres);
    default:
      // Only the scheme is echoed: the rest of a URL may carry credentials.
      throw new Error(`unsupported read database URL scheme "${scheme ?? ''}:" (supported: sqlite:<path>, postgres://…)`);
  }
}
