import type { EventStore } from '@ledgerline/event-store';
import { parseCheckpoint, splitNote } from '@ledgerline/integrity';
import { CHECKPOINT_COSIGNED, COSIGNATURE_STREAM, isCheckpointCosignedData, type CheckpointCosignedData } from '../notary/checkpoint.events';
import { latestCheckpoint } from '../notary/checkpoint-notary';

/** The checkpoint the log shows (latest route, receipts, bundles): the note, its size and b64 root. */
export interface PublishedCheckpoint {
  note: string;
  treeSize: number;
  rootHash: string;
}

/** The newest witnessed checkpoint (CheckpointCosigned), or undefined before the first. */
export async function latestCosignedCheckpoint(store: EventStore): Promise<CheckpointCosignedData | undefined> {
  const event = await store.readLastEvent(COSIGNATURE_STREAM);
  if (event === undefined) return undefined;
  if (event.type !== CHECKPOINT_COSIGNED || !isCheckpointCosignedData(event.data)) {
    throw new Error(`${COSIGNATURE_STREAM} revision ${event.revision} is not a CheckpointCosigned event`);
  }
  return event.data;
}

/**
 * SPEC §4: with a witness quorum (> 0), the newest checkpoint that met it (the notary stores only
 * those), never an unwitnessed one; without, the newest signed checkpoint, as before witnesses.
 */
export async function publishedCheckpoint(store: EventStore, witnessQuorum: number): Promise<PublishedCheckpoint | undefined> {
  if (witnessQuorum <= 0) {
    const signed = await latestCheckpoint(store);
    return signed && { note: signed.note, treeSize: signed.treeSize, rootHash: signed.rootHash };
  }
  const cosigned = await latestCosignedCheckpoint(store);
  if (cosigned === undefined) return undefined;
  const { rootHash } = parseCheckpoint(splitNote(cosigned.note).text);
  return { note: cosigned.note, treeSize: cosigned.treeSize, rootHash: rootHash.toString('base64') };
}
