import type { EventStore } from '@ledgerline/event-store';
import { latestCheckpoint } from '@ledgerline/ledger';

/** A checkpoint note and the tree size it commits to. */
export interface PublishedCheckpoint {
  note: string;
  treeSize: number;
}

/**
 * The one place that chooses which checkpoint the tlog-tiles surface publishes at `GET /checkpoint`,
 * and so how far partial tiles are served. Today: the newest checkpoint the notary signed. With a
 * witness quorum (SPEC §4) this becomes the newest witnessed checkpoint that meets it, and the tiles
 * then never get ahead of what witnesses cosigned.
 */
export async function publishedCheckpoint(store: EventStore): Promise<PublishedCheckpoint | undefined> {
  const checkpoint = await latestCheckpoint(store);
  return checkpoint && { note: checkpoint.note, treeSize: checkpoint.treeSize };
}
