import { b64Encode, NoteError, openCheckpoint, type NoteVerifierKey } from '@ledgerline/integrity';
import { CHECKPOINT_COSIGNED, CHECKPOINT_SIGNED } from './spec-constants';

export type CheckpointEventCheck = { ok: true; treeSize: number; rootHash: string } | { ok: false; kind: string; reason: string };

/**
 * SPEC §4 for one event of the checkpoint stream (its envelope is checked like any other): it is a
 * CheckpointSigned event whose data is `{ note, treeSize, rootHash }`, the note is a checkpoint signed
 * by the log key with no extension lines, and the note's size and root are the data's.
 */
export function checkCheckpointEvent(type: string, data: unknown, logKey: NoteVerifierKey): CheckpointEventCheck {
  if (type !== CHECKPOINT_SIGNED) return { ok: false, kind: 'checkpoint-event', reason: `event type ${JSON.stringify(type)} in the checkpoint stream` };
  const d = data as { note?: unknown; treeSize?: unknown; rootHash?: unknown };
  if (typeof d.note !== 'string' || !Number.isSafeInteger(d.treeSize) || (d.treeSize as number) < 0 || typeof d.rootHash !== 'string') {
    return { ok: false, kind: 'checkpoint-event', reason: 'data is not { note, treeSize, rootHash }' };
  }
  let size: number;
  let root: string;
  try {
    const checkpoint = openCheckpoint(d.note, logKey);
    size = checkpoint.size;
    root = b64Encode(checkpoint.rootHash);
  } catch (error) {
    if (!(error instanceof NoteError)) throw error;
    return { ok: false, kind: 'checkpoint-note', reason: `the checkpoint note does not verify with the log key (${error.code}: ${error.message})` };
  }
  if (size !== d.treeSize || root !== d.rootHash) {
    return { ok: false, kind: 'checkpoint-mismatch', reason: `the note says size ${size} root ${root}, the event data says size ${String(d.treeSize)} root ${d.rootHash}` };
  }
  return { ok: true, treeSize: size, rootHash: root };
}

/**
 * SPEC §4 for one event of the cosignature stream: a CheckpointCosigned event whose data is
 * `{ treeSize, note }`, the note a checkpoint signed by the log key (the cosignatures after its
 * signature are ignored here) of that size. Its root is then held against the rebuilt tree like a
 * CheckpointSigned's: a witnessed note cannot show a tree the log does not hold.
 */
export function checkCosignedEvent(type: string, data: unknown, logKey: NoteVerifierKey): CheckpointEventCheck {
  if (type !== CHECKPOINT_COSIGNED) return { ok: false, kind: 'cosigned-event', reason: `event type ${JSON.stringify(type)} in the cosignature stream` };
  const d = data as { note?: unknown; treeSize?: unknown };
  if (typeof d.note !== 'string' || !Number.isSafeInteger(d.treeSize)) return { ok: false, kind: 'cosigned-event', reason: 'data is not { treeSize, note }' };
  try {
    const checkpoint = openCheckpoint(d.note, logKey);
    if (checkpoint.size !== d.treeSize) return { ok: false, kind: 'cosigned-event', reason: `the note says size ${checkpoint.size}, the event data ${String(d.treeSize)}` };
    return { ok: true, treeSize: checkpoint.size, rootHash: b64Encode(checkpoint.rootHash) };
  } catch (error) {
    if (!(error instanceof NoteError)) throw error;
    return { ok: false, kind: 'checkpoint-note', reason: `the witnessed checkpoint note does not verify with the log key (${error.code}: ${error.message})` };
  }
}
