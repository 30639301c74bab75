import { Inject, Injectable } from '@nestjs/common';
import type { EventStore } from '@ledgerline/event-store';
import { CHECKPOINT_STREAM } from '@ledgerline/integrity';
import { latestCheckpoint, StoredMerkleTree } from '@ledgerline/ledger';
import type { ReadDb } from '@ledgerline/projections';
import { EVENT_STORE } from '../../../platform/event-store/event-store.tokens';
import { READ_DB } from '../../../platform/projections/projections.tokens';
import type { AuditIndexRow } from '../audit-index/audit-index.reader';
import type { ProofStatus } from '../events/audit-event.views';

export type EventProof =
  | { status: 'proved'; leafIndex: number; treeSize: number; proof: Buffer[]; checkpoint: string }
  | { status: Exclude<ProofStatus, 'proved'>; leafIndex: number | null };

/** An event's inclusion proof against the newest checkpoint, which is the newest with treeSize > leafIndex when any is. */
@Injectable()
export class EventProofs {
  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(READ_DB) private readonly db: ReadDb,
  ) {}

  async prove(row: Pick<AuditIndexRow, 'stream' | 'leafIndex'>): Promise<EventProof> {
    if (row.stream === CHECKPOINT_STREAM) return { status: 'not-a-leaf', leafIndex: null };
    if (row.leafIndex === null) return { status: 'pending', leafIndex: null };
    const checkpoint = await latestCheckpoint(this.store);
    if (checkpoint === undefined || checkpoint.treeSize <= row.leafIndex) return { status: 'pending', leafIndex: row.leafIndex };
    const proof = await StoredMerkleTree.inclusionProof(this.db, row.leafIndex, checkpoint.treeSize);
    return { status: 'proved', leafIndex: row.leafIndex, treeSize: checkpoint.treeSize, proof, checkpoint: checkpoint.note };
  }
}
