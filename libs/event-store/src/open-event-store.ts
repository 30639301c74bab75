import type { EsdbEventStore, EsdbEventStoreOptions } from './esdb/esdb-event-store';
import type { EventStore } from './event-store.port';
import { SqliteEventStore, type SqliteEventStoreOptions } from './sqlite/sqlite-event-store';

export interface OpenEventStoreOptions {
  sqlite?: SqliteEventStoreOptions;
  esdb?: EsdbEventStoreOptions;
}

/**
 * Opens the store an `EVENTSTORE_URL`-style string names: `sqlite:<path>` (also `sqlite://<path>`)
 * or a plain file path → embedded SQLite. Each other adapter adds its scheme to the switch below.
 */
export async function openEventStore(url: string, options: OpenEventStoreOptions = {}): Promise<EventStore> {
  if (typeof url !== 'string' || url.trim() === '') throw new Error('event store URL is empty');
  const scheme = /^([a-z][a-z0-9+.-]*):/i.exec(url)?.[1]?.toLowerCase();
  // A one-letter "scheme" is a Windows drive (C:\data\events.sqlite), i.e. a plain path.
  switch (scheme === undefined || scheme.length === 1 ? '' : scheme) {
    case '':
      return new SqliteEventStore(url, options.sqlite);
    case 'sqlite':
      return new SqliteEventStore(sqlitePath(url), options.sqlite);
    case 'esdb':
    case 'esdb+discover':
    case 'kurrentdb':
    case 'kurrentdb+discover':
      return new (loadEsdbAdapter())(url, options.esdb);
    default:
      // Only the scheme is echoed: the rest of a URL may carry credentials.
      throw new Error(`unsupported event store URL scheme "${scheme}:" (supported: sqlite:<path>, a file path, esdb://, esdb+discover://, kurrentdb://)`);
  }
}

function sqlitePath(url: string): string {
  const rest = url.slice('sqlite:'.length);
  const path = rest.startsWith('//') ? rest.slice(2) : rest;
  if (path === '') throw new Error('sqlite: event store URL names no file');
  return path;
}

/**
 * The EventStoreDB adapter is loaded on first use: its gRPC client (@eventstore/db-client, @grpc/grpc-js,
 * protobuf): 176 modules and a few MB of heap that an embedded instance never needs.
 */
function loadEsdbAdapter(): typeof EsdbEventStore {
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- a deliberate lazy load (see above)
  return (require('./esdb/esdb-event-store') as { EsdbEventStore: typeof EsdbEventStore }).EsdbEventStore;
}

