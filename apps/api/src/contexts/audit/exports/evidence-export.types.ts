import type { PublishedCheckpoint } from '@ledgerline/ledger';
import type { AuditFilter } from '../audit-index/audit-filter';

/** An export checked and pinned to a checkpoint, before any byte is sent. */
export interface PreparedExport {
  filter: AuditFilter;
  checkpoint: PublishedCheckpoint;
  /** Global position of the checkpoint's last leaf: matching events up to it are in the bundle. */
  lastCovered: bigint;
  generatedAt: Date;
}

/** How an export ended, for its AuditAccessed record. */
export interface ExportOutcome {
  count: number;
  pending: number;
}
