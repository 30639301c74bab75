import { Inject, Injectable } from '@nestjs/common';
import type { CommandMetadata, DocumentQuotaEvent } from '@ledgerline/domain';
import type { ReadDb } from '@ledgerline/projections';
import { READ_DB } from '../../../platform/projections/projections.tokens';

/** More live documents than any plan's quota is ever decided on: a paid owner's older documents beyond it are not needed to count to the free limit. */
const MOST_LEGACY_SLOTS = 1_000;

/**
 * Documents created before quota streams existed hold no slot. When an owner's quota stream is
 * opened, their live documents in the `documents` read model are given slots in the same append, so
 * the limit counts them. Only an owner without a quota stream is looked up (one indexed read, no wait
 * for the read model: every document created since holds a slot already).
 */
@Injectable()
export class LegacyDocumentSlots {
  constructor(@Inject(READ_DB) private readonly db: ReadDb) {}

  async slotsOf(ownerId: string, metadata: CommandMetadata): Promise<DocumentQuotaEvent[]> {
    const rows = await this.db.query<{ id: string }>('SELECT id FROM documents WHERE owner_id = $1 AND deleted = 0 ORDER BY created_position LIMIT CAST($2 AS INTEGER)', [
      ownerId,
      MOST_LEGACY_SLOTS,
    ]);
    return rows.map(({ id }) => ({ type: 'DocumentSlotTaken', data: { ownerId, documentId: String(id), takenAt: metadata.now } }));
  }
}
