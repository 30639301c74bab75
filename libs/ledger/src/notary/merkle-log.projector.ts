import type { RecordedEvent } from '@ledgerline/event-store';
import { isLogLeaf, leafInputOf } from '@ledgerline/integrity';
import type { Projector, ReadTx } from '@ledgerline/projections';
import { StoredMerkleTree } from '../merkle-log/stored-merkle-tree';
import { LogTamperAlarm } from './log-tamper-alarm';

/**
 * Folds the global log into the stored Merkle tree. Being a projection, it gets the runner's
 * guarantees: one ordered subscription, the tree change and the checkpoint in one transaction,
 * resumption after kill -9, and one active instance (the worker's leader). Each event's hashes are
 * recomputed before it becomes a leaf: a row changed behind the writer's back trips the alarm, stops
 * this projection at that event, and so no checkpoint is ever signed over it.
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

  async apply(event: RecordedEvent, tx: ReadTx): Promise<void> {
    if (!isLogLeaf(event)) return;
    this.alarm.check(event);
    // A v1 event without a well-formed hash was not written by the sealed path: leafInputOf throws,
    // which stops the runner at this event rather than skipping it.
    await StoredMerkleTree.append(tx, [{ eventId: event.id, position: event.position, leafInput: leafInputOf(event.metadata) }]);
  }
}
