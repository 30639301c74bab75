import type { RecordedEvent } from '@ledgerline/event-store';
import { isDocumentEvent, type DocumentEvent } from '@ledgerline/domain';
import type { Projector, ReadTx } from '@ledgerline/projections';
import { eventTime } from '../../../platform/projections/event-time';

/**
 * Read model `documents`: one row per document, deleted ones included (flagged), title and body
 * stored exactly as in the events (`{"$jwe":…}` JSON text). `created_position` is the sort key of
 * the document list: unique and in commit order.
 */
export const documentsProjector: Projector = {
  name: 'documents',
  version: 1,
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
      created_position BIGINT NOT NULL
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
          `INSERT INTO documents (id, owner_id, title, body, revision, deleted, created_at, updated_at, created_position)
           VALUES ($1, $2, $3, $4, $5, 0, $6, $6, $7) ON CONFLICT (id) DO NOTHING`,
          [documentId, ownerId, JSON.stringify(title), JSON.stringify(body), recorded.revision, time, recorded.position],
        );
        return;
      }
      case 'DocumentEdited': {
        const { documentId, title, body } = event.data;
        await tx.query(
          `UPDATE documents SET title = COALESCE($2, title), body = COALESCE($3, body), revision = $4, updated_at = $5 WHERE id = $1`,
          [documentId, title && JSON.stringify(title), body && JSON.stringify(body), recorded.revision, time],
        );
        return;
      }
      case 'DocumentDeleted':
        await tx.query('UPDATE documents SET deleted = 1, revision = $2, updated_at = $3 WHERE id = $1', [
          event.data.documentId,
          recorded.revision,
          time,
        ]);
        return;
      case 'DocumentShared':
      case 'DocumentUnshared':
        // Sharing changes no content, but it is a new revision (the ETag) of the document.
        await tx.query('UPDATE documents SET revision = $2, updated_at = $3 WHERE id = $1', [event.data.documentId, recorded.revision, time]);
        return;
      default: {
        const unknown: never = event;
        void unknown;
      }
    }
  },
};
