import type { RecordedEvent } from '@ledgerline/event-store';
import type { DocumentCreated, DocumentDeleted } from '@ledgerline/domain';
import type { Projector, ReadTx } from '@ledgerline/projections';

/** Read model `live-document-counts`: documents created minus deleted, per owner (the free-plan quota input). */
export const liveDocumentCountsProjector: Projector = {
  name: 'live-document-counts',
  version: 1,
  async migrate(tx: ReadTx): Promise<void> {
    await tx.exec('CREATE TABLE IF NOT EXISTS live_document_counts (owner_id TEXT PRIMARY KEY, live INTEGER NOT NULL)');
  },
  async drop(tx: ReadTx): Promise<void> {
    await tx.exec('DROP TABLE IF EXISTS live_document_counts');
  },
  handles: (type) => type === 'DocumentCreated' || type === 'DocumentDeleted',
  async apply(recorded: RecordedEvent, tx: ReadTx): Promise<void> {
    const event = recorded as unknown as DocumentCreated | DocumentDeleted;
    const delta = event.type === 'DocumentCreated' ? 1 : -1;
    await tx.query(
      `INSERT INTO live_document_counts (owner_id, live) VALUES ($1, $2)
       ON CONFLICT (owner_id) DO UPDATE SET live = live_document_counts.live + excluded.live`,
      [event.data.ownerId, delta],
    );
  },
};
