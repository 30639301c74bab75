import type { RecordedEvent } from '@ledgerline/event-store';
import { isLogLeaf, leafInputOf } from '@ledgerline/integrity';
import type { Projector, ReadTx } from '@ledgerline/projections';
import { StoredMerkleTree, type MerkleLeaf } from '../merkle-log/stored-merkle-tree';
import { LogTamperAlarm } from './log-tamper-alarm';

/**
 * Folds the global log into the stored Merkle tree. Being a projection, it gets the runner's
 * guarantees: one ordered subscription, the tree change and the checkpoint in one transaction,
 * resumption after kill -9, and one active instance (the worker's leader). Each event's hashes are
 * recomputed before it becomes a leaf: a row changed behind the writer's back trips the alarm, stops
 * this projection before the batch that holds it, and so no checkpoint is ever signed over it.
 */
export class MerkleLogProjector implements Projector {
  readonly name = 'merkle-log';
  /** v2: leaves keep their input (tlog-tiles entry bundles); raising it rebuilds the tree from the log. */
  readonly version = 2;

  constructor(private readonly alarm: LogTamperAlarm = new LogTamperAlarm()) {}

  migrate(tx: ReadTx): Promise<void> {
    return StoredMerkleTree.migrate(tx);
  }

  drop(tx: ReadTx): Promise<void> {
    return StoredMerkleTree.drop(tx);
  }

  apply(event: RecordedEvent, tx: ReadTx): Promise<void> {
    return this.applyAll([event], tx);
  }

  /** The batch's leaves in one append: one read of the tree's right edge, not one per event. */
  async applyAll(events: readonly RecordedEvent[], tx: ReadTx): Promise<void> {
    const leaves: MerkleLeaf[] = [];
    for (const event of events) {
      if (!isLogLeaf(event)) continue;
      this.alarm.check(event);
      // A v1 event without a well-formed hash was not written by the sealed path: leafInputOf throws,
      // which stops the runner at this batch rather than skipping the event.
      leaves.push({ eventId: event.id, position: event.position, leafInput: leafInputOf(event.metadata) });
    }
    if (leaves.length > 0) await StoredMerkleTree.append(tx, leaves);
  }
}
