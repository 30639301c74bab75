import type { RecordedEvent } from '@ledgerline/event-store';
import { isDocumentEvent, type DocumentEvent } from '@ledgerline/domain';
import type { Projector, ReadTx } from '@ledgerline/projections';

const HANDLED = new Set<string>(['DocumentShared', 'DocumentUnshared', 'DocumentDeleted']);

/**
 * Read model `document-shares`: the live shares (`document_shares`, for "shared with me" and
 * access checks in lists) and every (user, document) pair ever shared (`document_share_subjects`,
 * so an access request finds share events naming the user even after an unshare).
 */
export const documentSharesProjector: Projector = {
  name: 'document-shares',
  version: 1,
  async migrate(tx: ReadTx): Promise<void> {
    await tx.exec(`CREATE TABLE IF NOT EXISTS document_shares (
      document_id TEXT NOT NULL,
      user_id TEXT NOT NULL,
      access TEXT NOT NULL,
      PRIMARY KEY (document_id, user_id)
    )`);
    await tx.exec('CREATE INDEX IF NOT EXISTS document_shares_by_user ON document_shares (user_id, document_id)');
    await tx.exec(`CREATE TABLE IF NOT EXISTS document_share_subjects (
      user_id TEXT NOT NULL,
      document_id TEXT NOT NULL,
      PRIMARY KEY (user_id, document_id)
    )`);
  },
  async drop(tx: ReadTx): Promise<void> {
    await tx.exec('DROP TABLE IF EXISTS document_shares');
    await tx.exec('DROP TABLE IF EXISTS document_share_subjects');
  },
  handles: (type) => HANDLED.has(type) && isDocumentEvent({ type }),
  async apply(recorded: RecordedEvent, tx: ReadTx): Promise<void> {
    const event = recorded as unknown as DocumentEvent;
    switch (event.type) {
      case 'DocumentShared': {
        const { documentId, userId, access } = event.data;
        await tx.query(
          `INSERT INTO document_shares (document_id, user_id, access) VALUES ($1, $2, $3)
           ON CONFLICT (document_id, user_id) DO UPDATE SET access = excluded.access`,
          [documentId, userId, access],
        );
        await tx.query(
          'INSERT INTO document_share_subjects (user_id, document_id) VALUES ($1, $2) ON CONFLICT (user_id, document_id) DO NOTHING',
          [userId, documentId],
        );
        return;
      }
      case 'DocumentUnshared':
        await tx.query('DELETE FROM document_shares WHERE document_id = $1 AND user_id = $2', [event.data.documentId, event.data.userId]);
        return;
      case 'DocumentDeleted':
        await tx.query('DELETE FROM document_shares WHERE document_id = $1', [event.data.documentId]);
        return;
      default:
        return;
    }
  },
};
