import type { RecordedEvent } from '@ledgerline/event-store';
import { isHashHex } from '@ledgerline/integrity';
import type { Projector, ReadTx } from '@ledgerline/projections';
import { StoredMerkleTree } from '../merkle-log/stored-merkle-tree';
import { CHECKPOINT_STREAM } from './checkpoint.events';

/** SPEC §4: every enveloped event is a leaf, in global order, except the checkpoints themselves. */
export function isMerkleLeaf(event: RecordedEvent): boolean {
  return event.metadata.v === 1 && event.stream !== CHECKPOINT_STREAM;
}

/**
 * Folds the global log into the stored Merkle tree. Being a projection, it gets the runner's
 * guarantees: one ordered subscription, the tree change and the checkpoint in one transaction,
 * resumption after kill -9, and one active instance (the worker's leader).
 */
export class MerkleLogProjector implements Projector {
  readonly name = 'merkle-log';
  readonly version = 1;

  migrate(tx: ReadTx): Promise<void> {
    return StoredMerkleTree.migrate(tx);
  }

  drop(tx: ReadTx): Promise<void> {
    return StoredMerkleTree.drop(tx);
  }

  async apply(event: RecordedEvent, tx: ReadTx): Promise<void> {
    if (!isMerkleLeaf(event)) return;
    const hash = event.metadata.hash;
    // A v1 event without a well-formed hash was not written by the sealed path: stop, never skip it.
    if (!isHashHex(hash)) throw new Error(`event ${event.id} at position ${event.position} has a malformed envelope hash`);
    await StoredMerkleTree.append(tx, [{ eventId: event.id, position: event.position, leafInput: Buffer.from(hash, 'hex') }]);
  }
}
