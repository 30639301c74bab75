import { Inject, Injectable } from '@nestjs/common';
import { isNotaryStream } from '@ledgerline/integrity';
import { StoredMerkleTree } from '@ledgerline/ledger';
import type { ReadDb } from '@ledgerline/projections';
import { PUBLISHED_CHECKPOINTS, type PublishedCheckpoints } from '../../../platform/notary/notary.tokens';
import { READ_DB } from '../../../platform/projections/projections.tokens';
import type { AuditIndexRow } from '../audit-index/audit-index.reader';
import type { ProofStatus } from '../events/audit-event.views';

export type EventProof =
  | { status: 'proved'; leafIndex: number; treeSize: number; proof: Buffer[]; checkpoint: string }
  | { status: Exclude<ProofStatus, 'proved'>; leafIndex: number | null };

/** An event's inclusion proof against the newest published checkpoint (witnessed under a quorum, SPEC §4), which is the newest with treeSize > leafIndex when any is. */
@Injectable()
export class EventProofs {
  constructor(
    @Inject(PUBLISHED_CHECKPOINTS) private readonly published: PublishedCheckpoints,
    @Inject(READ_DB) private readonly db: ReadDb,
  ) {}

  async prove(row: Pick<AuditIndexRow, 'stream' | 'leafIndex'>): Promise<EventProof> {
    if (isNotaryStream(row.stream)) return { status: 'not-a-leaf', leafIndex: null };
    if (row.leafIndex === null) return { status: 'pending', leafIndex: null };
    const checkpoint = await this.published.latest();
    if (checkpoint === undefined || checkpoint.treeSize <= row.leafIndex) return { status: 'pending', leafIndex: row.leafIndex };
    const proof = await StoredMerkleTree.inclusionProof(this.db, row.leafIndex, checkpoint.treeSize);
    return { status: 'proved', leafIndex: row.leafIndex, treeSize: checkpoint.treeSize, proof, checkpoint: checkpoint.note };
  }
}
