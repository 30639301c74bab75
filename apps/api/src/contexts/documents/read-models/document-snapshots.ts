import { Inject, Injectable } from '@nestjs/common';
import { documentDecider, documentStreamName, type DocumentState, type EncryptedValue, type ShareAccess } from '@ledgerline/domain';
import type { EventStore } from '@ledgerline/event-store';
import { toBigInt, type ReadDb } from '@ledgerline/projections';
import { loadStream, type LoadedStream } from '../../../platform/commands/loaded-stream';
import { EVENT_STORE } from '../../../platform/event-store/event-store.tokens';
import { READ_DB } from '../../../platform/projections/projections.tokens';

interface SnapshotRow {
  owner_id: string;
  title: string;
  body: string;
  shares: string;
  revision: number;
  deleted: number;
  created_at: string;
  updated_at: string;
  position: unknown;
}

/**
 * A document's current state in bounded time and memory, whatever its history: the `documents` row is
 * the state folded up to its revision, and only the events after it (the projection's lag) are read
 * from the store and folded. The revision, and so the ETag, is always the store's own. One primary-key
 * read on the command path; no row (a new document, a read model being rebuilt) folds from the start.
 */
@Injectable()
export class DocumentSnapshots {
  constructor(
    @Inject(READ_DB) private readonly db: ReadDb,
    @Inject(EVENT_STORE) private readonly store: EventStore,
  ) {}

  /** The state as of the `documents` row, or undefined when there is none. */
  async snapshot(documentId: string): Promise<LoadedStream<DocumentState> | undefined> {
    const rows = await this.db.query<SnapshotRow>(
      'SELECT owner_id, title, body, shares, revision, deleted, created_at, updated_at, position FROM documents WHERE id = $1',
      [documentId],
    );
    const row = rows[0];
    if (row === undefined) return undefined;
    const state: DocumentState =
      row.deleted === 0
        ? {
            status: 'live',
            documentId,
            ownerId: row.owner_id,
            title: JSON.parse(row.title) as EncryptedValue,
            body: JSON.parse(row.body) as EncryptedValue,
            shares: new Map(JSON.parse(row.shares) as [string, ShareAccess][]),
          }
        : { status: 'deleted', documentId, ownerId: row.owner_id };
    return { state, revision: Number(row.revision), position: toBigInt(row.position), firstTime: row.created_at, lastTime: row.updated_at };
  }

  /** The document's state and revision now: the snapshot plus the events after it. */
  async load(documentId: string): Promise<LoadedStream<DocumentState>> {
    return loadStream(this.store, documentStreamName(documentId), documentDecider, await this.snapshot(documentId));
  }
}
