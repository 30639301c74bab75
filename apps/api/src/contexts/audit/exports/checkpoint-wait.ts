import { setTimeout as sleep } from 'node:timers/promises';
import type { EventStore } from '@ledgerline/event-store';
import { MerkleLogProjector, StoredMerkleTree, type PublishedCheckpoint } from '@ledgerline/ledger';
import type { PublishedCheckpoints } from '../../../platform/notary/notary.tokens';
import type { ReadDb } from '@ledgerline/projections';
import type { ProjectionProgress } from '../../../platform/projections/projection-progress';

const POLL_MS = 50;
const MERKLE_LOG = new MerkleLogProjector().name;

/** The longest `?waitForCheckpoint=true` waits: two signing intervals and a margin for the tree to catch up. */
export function checkpointWaitMs(checkpointIntervalMs: number): number {
  return 2 * checkpointIntervalMs + 2_000;
}

/**
 * Waits until a published (signed, and witnessed under a quorum) checkpoint covers every leaf the log held when called, or `timeoutMs` passed;
 * answers the newest checkpoint either way (undefined before the first). On timeout the export goes
 * ahead with what is signed and counts the rest as pending.
 */
export async function waitForCoveringCheckpoint(
  store: EventStore,
  published: PublishedCheckpoints,
  db: ReadDb,
  progress: ProjectionProgress,
  timeoutMs: number,
): Promise<PublishedCheckpoint | undefined> {
  const deadline = Date.now() + timeoutMs;
  const head = await store.headPosition();
  if (head !== undefined && (await progress.waitFor(head, timeoutMs, [MERKLE_LOG]))) {
    const target = await StoredMerkleTree.size(db);
    for (;;) {
      const checkpoint = await published.latest();
      if (checkpoint !== undefined && checkpoint.treeSize >= target) return checkpoint;
      if (Date.now() + POLL_MS > deadline) break;
      await sleep(POLL_MS);
    }
  }
  return published.latest();
}
