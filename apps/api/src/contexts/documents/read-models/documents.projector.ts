import type { RecordedEvent } from '@ledgerline/event-store';
import { isDocumentEvent, type DocumentEvent } from '@ledgerline/domain';
import type { Projector, ReadTx } from '@ledgerline/projections';
import { eventTime } from '../../../platform/projections/event-time';

/**
 * Read model `documents`: one row per document, deleted ones included (flagged), title and body
 * stored exactly as in the events (`{"$jwe":…}` JSON text). `created_position` is the sort key of
 * the document list: unique and in commit order. Each row is also the document's snapshot: with
 * `shares` (JSON `[[userId, access], …]` in grant order) it holds exactly what evolveDocument folds up
 * to `revision` (at global `position`), so a read or a command folds only the events after it.
 * v2 added `shares` and `position`.
 */
export const documentsProjector: Projector = {
  name: 'documents',
  version: 2,
  async migrate(tx: ReadTx): Promise<void> {
    await tx.exec(`CREATE TABLE IF NOT EXISTS documents (
      id TEXT PRIMARY KEY,
      owner_id TEXT NOT NULL,
      title TEXT NOT NULL,
      body TEXT NOT NULL,
      revision INTEGER NOT NULL,
      deleted INTEGER NOT NULL,
      created_at TEXT NOT NULL,
      updated_at TEXT NOT NULL,
      created_position BIGINT NOT NULL,
      shares TEXT NOT NULL,
      position BIGINT NOT NULL
    )`);
    await tx.exec('CREATE INDEX IF NOT EXISTS documents_by_owner ON documents (owner_id, deleted, created_position)');
  },
  async drop(tx: ReadTx): Promise<void> {
    await tx.exec('DROP TABLE IF EXISTS documents');
  },
  handles: (type) => isDocumentEvent({ type }),
  async apply(recorded: RecordedEvent, tx: ReadTx): Promise<void> {
    const event = recorded as unknown as DocumentEvent;
    const time = eventTime(recorded);
    switch (event.type) {
      case 'DocumentCreated': {
        const { documentId, ownerId, title, body } = event.data;
        await tx.query(
          `INSERT INTO documents (id, owner_id, title, body, revision, deleted, created_at, updated_at, created_position, shares, position)
           VALUES ($1, $2, $3, $4, $5, 0, $6, $6, $7, '[]', $7) ON CONFLICT (id) DO NOTHING`,
          [documentId, ownerId, JSON.stringify(title), JSON.stringify(body), recorded.revision, time, recorded.position],
        );
        return;
      }
      case 'DocumentEdited': {
        const { documentId, title, body } = event.data;
        await tx.query(
          `UPDATE documents SET title = COALESCE($2, title), body = COALESCE($3, body), revision = $4, updated_at = $5, position = $6 WHERE id = $1`,
          [documentId, title && JSON.stringify(title), body && JSON.stringify(body), recorded.revision, time, recorded.position],
        );
        return;
      }
      case 'DocumentDeleted':
        await tx.query('UPDATE documents SET deleted = 1, revision = $2, updated_at = $3, position = $4 WHERE id = $1', [
          event.data.documentId,
          recorded.revision,
          time,
          recorded.position,
        ]);
        return;
      case 'DocumentShared':
      case 'DocumentUnshared': {
        // Sharing changes no content, but it is a new revision (the ETag) of the document, and of its snapshot.
        const rows = await tx.query<{ shares: string; deleted: number }>('SELECT shares, deleted FROM documents WHERE id = $1', [event.data.documentId]);
        if (rows[0] === undefined) return;
        const shares = new Map(JSON.parse(rows[0].shares) as [string, string][]);
        // As evolveDocument: a deleted document's shares no longer change.
        if (rows[0].deleted === 0) {
          if (event.type === 'DocumentShared') shares.set(event.data.userId, event.data.access);
          else shares.delete(event.data.userId);
        }
        await tx.query('UPDATE documents SET revision = $2, updated_at = $3, position = $4, shares = $5 WHERE id = $1', [
          event.data.documentId,
          recorded.revision,
          time,
          recorded.position,
          JSON.stringify([...shares]),
        ]);
        return;
      }
      default: {
        const unknown: never = event;
        void unknown;
      }
    }
  },
};
