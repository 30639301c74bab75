import { Inject, Injectable } from '@nestjs/common';
import type { ReadDb } from '@ledgerline/projections';
import { READ_DB } from '../../../platform/projections/projections.tokens';
import { ProjectionProgress } from '../../../platform/projections/projection-progress';
import { liveDocumentCountsProjector } from './live-document-counts.projector';

/** How long a create waits for the count to include earlier creates before deciding on what it has. */
const CATCH_UP_MS = 2_000;

/** The free-plan quota input: an owner's live documents, from the `live-document-counts` read model. */
@Injectable()
export class LiveDocumentCounts {
  constructor(
    @Inject(READ_DB) private readonly db: ReadDb,
    private readonly progress: ProjectionProgress,
  ) {}

  /**
   * The owner's live-document count once the read model has caught up with the log as it is now
   * (bounded wait), so a client creating documents one after another cannot outrun its quota
   * (concurrent creates are queued per owner by CreateDocumentHandler).
   */
  async countOf(ownerId: string): Promise<number> {
    await this.progress.catchUp(CATCH_UP_MS, [liveDocumentCountsProjector.name]);
    const rows = await this.db.query<{ live: unknown }>('SELECT live FROM live_document_counts WHERE owner_id = $1', [ownerId]);
    return rows.length === 0 ? 0 : Number(rows[0].live);
  }
}
