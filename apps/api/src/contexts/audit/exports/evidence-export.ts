import { Inject, Injectable } from '@nestjs/common';
import type { AppConfig } from '@ledgerline/config';
import type { EventStore } from '@ledgerline/event-store';
import { isNotaryStream, type Keyring } from '@ledgerline/integrity';
import type { ReadDb } from '@ledgerline/projections';
import { APP_CONFIG } from '../../../platform/config/config.tokens';
import { problem, ProblemException } from '../../../platform/errors/problem';
import { EVENT_STORE } from '../../../platform/event-store/event-store.tokens';
import { KEYRING } from '../../../platform/ledger/ledger.tokens';
import { LOG_VERIFIER_KEY, PUBLISHED_CHECKPOINTS, type PublishedCheckpoints } from '../../../platform/notary/notary.tokens';
import { ProjectionProgress } from '../../../platform/projections/projection-progress';
import { READ_DB } from '../../../platform/projections/projections.tokens';
import type { AuditFilter } from '../audit-index/audit-filter';
import { AUDIT_INDEX } from '../audit-index/audit-index.projector';
import { AuditIndexReader } from '../audit-index/audit-index.reader';
import { InclusionProofs } from '../proofs/inclusion-proofs';
import { positionOfLeaf } from '../proofs/merkle-log.reader';
import { checkpointWaitMs, waitForCoveringCheckpoint } from './checkpoint-wait';
import { EvidenceBundleStream } from './evidence-bundle-stream';
import type { ExportOutcome, PreparedExport } from './evidence-export.types';

export type { ExportOutcome, PreparedExport } from './evidence-export.types';

/** The longest an export waits for the audit index to reach its checkpoint. */
const INDEX_WAIT_MS = 5_000;

/**
 * SPEC §5 evidence bundles, produced as the client reads them: the index and the store are paged
 * through, proofs come from the stored tree in batches, and the next chunk is only made when the
 * response has taken the previous one — constant memory.
 */
@Injectable()
export class EvidenceExporter {
  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(READ_DB) private readonly db: ReadDb,
    @Inject(KEYRING) private readonly keyring: Keyring,
    @Inject(LOG_VERIFIER_KEY) private readonly logKey: string,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly progress: ProjectionProgress,
    private readonly index: AuditIndexReader,
    @Inject(PUBLISHED_CHECKPOINTS) private readonly published: PublishedCheckpoints,
  ) {}

  /** Every check that can refuse the export, done before anything is sent (problems, not truncated bundles). */
  async prepare(filter: AuditFilter, waitForCheckpoint: boolean): Promise<PreparedExport> {
    if (filter.stream !== undefined && isNotaryStream(filter.stream)) {
      throw exportProblem(400, 'not-exportable', `${filter.stream} holds the checkpoints themselves, not leaves of the log; fetch them from the checkpoint routes`);
    }
    if (filter.stream !== undefined && (filter.type ?? filter.actor ?? filter.from ?? filter.to) !== undefined) {
      throw exportProblem(400, 'stream-export-is-whole', 'an export by stream holds the whole stream from revision 0; it takes no other filter');
    }
    if (filter.stream !== undefined && (await this.store.readLastEvent(filter.stream)) === undefined) {
      throw exportProblem(404, 'stream-not-found', 'the store holds no event of this stream');
    }
    const checkpoint = waitForCheckpoint
      ? await waitForCoveringCheckpoint(this.store, this.published, this.db, this.progress, checkpointWaitMs(this.config.checkpointIntervalMs))
      : await this.published.latest();
    if (checkpoint === undefined) {
      throw exportProblem(409, 'no-checkpoint-yet', 'no checkpoint has been signed yet; retry shortly or ask with ?waitForCheckpoint=true');
    }
    const lastCovered = await positionOfLeaf(this.db, checkpoint.treeSize - 1);
    if (lastCovered === undefined) throw new Error(`the stored tree lacks leaf ${checkpoint.treeSize - 1} of the newest checkpoint`);
    // The export lists what the audit index holds: it must have reached the checkpoint, or events would be missing.
    if (!(await this.progress.waitFor(lastCovered, INDEX_WAIT_MS, [AUDIT_INDEX]))) {
      throw exportProblem(503, 'projection-lag', 'the audit index has not reached the newest checkpoint yet; retry shortly');
    }
    return { filter, checkpoint, lastCovered, generatedAt: new Date() };
  }

  /**
   * The bundle, made as its reader reads it (see EvidenceBundleStream). `beforeTrailer` runs once every
   * event line is out and before the signed trailer: if it throws (the access could not be recorded),
   * the stream fails without the trailer and the bundle is invalid by construction.
   */
  bundle(prepared: PreparedExport, beforeTrailer: (outcome: ExportOutcome) => Promise<void>): EvidenceBundleStream {
    const proofs = new InclusionProofs(this.db, prepared.checkpoint.treeSize);
    return new EvidenceBundleStream({ store: this.store, index: this.index, keyring: this.keyring, logKey: this.logKey, proofs }, prepared, beforeTrailer);
  }
}

function exportProblem(status: number, type: string, detail: string): ProblemException {
  return new ProblemException(problem(status, { type, detail }));
}
