/** The stream the notary appends its signed checkpoints to (excluded from the tree's leaves, SPEC §4). */
export { CHECKPOINT_STREAM } from '@ledgerline/integrity';
export const CHECKPOINT_SIGNED = 'CheckpointSigned';

/** SPEC §4: the data of a CheckpointSigned event. */
export interface CheckpointSignedData {
  note: string;
  treeSize: number;
  /** b64 of the root hash. */
  rootHash: string;
  [member: string]: unknown;
}

export function isCheckpointSignedData(data: unknown): data is CheckpointSignedData {
  const d = data as CheckpointSignedData;
  return typeof d === 'object' && d !== null && typeof d.note === 'string' && Number.isSafeInteger(d.treeSize) && typeof d.rootHash === 'string';
}

/** Witnessed checkpoints are stored beside the signed ones, in a stream of their own that is not a leaf (SPEC §4). */
export { COSIGNATURE_STREAM } from '@ledgerline/integrity';
export const CHECKPOINT_COSIGNED = 'CheckpointCosigned';

/** SPEC §4: the data of a CheckpointCosigned event: the log's note with the witnesses' cosignature lines appended. */
export interface CheckpointCosignedData {
  treeSize: number;
  note: string;
  [member: string]: unknown;
}

export function isCheckpointCosignedData(data: unknown): data is CheckpointCosignedData {
  const d = data as CheckpointCosignedData;
  return typeof d === 'object' && d !== null && typeof d.note === 'string' && Number.isSafeInteger(d.treeSize);
}
