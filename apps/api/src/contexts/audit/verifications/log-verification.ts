import type { EventStore, RecordedEvent } from '@ledgerline/event-store';
import {
  b64Encode,
  CHECKPOINT_STREAM,
  CompactMerkleTree,
  isLogLeaf,
  leafInputOf,
  openCheckpoint,
  StreamHeads,
  verifyEvent,
  type KeyMap,
  type NoteVerifierKey,
} from '@ledgerline/integrity';
import { CHECKPOINT_SIGNED, isCheckpointSignedData } from '@ledgerline/ledger';
import { yieldingEvery } from './yielding';

export interface LogVerificationProgress {
  checked: number;
  total: number;
}

/** The first thing found wrong: an event (position, stream, revision) or a checkpoint (its revision and size). */
export interface LogFailure {
  reason: string;
  detail: string;
  position?: string;
  stream?: string;
  revision?: number;
  treeSize?: number;
}

export interface LogVerificationResult {
  ok: boolean;
  /** Events checked (all of them up to `headPosition` when ok). */
  checked: number;
  streams: number;
  leaves: number;
  checkpoints: number;
  /** The store's head when the check began: everything up to it was checked. */
  headPosition: string | null;
  firstFailure?: LogFailure;
}

export interface LogVerificationOptions {
  /** Every key events may be signed with (the keyring's map: active and retired). */
  keys: KeyMap;
  /** The checkpoint verifier key. */
  logKey: NoteVerifierKey;
  /** Expected number of events, for progress (an estimate is fine). */
  total?: number;
  onProgress?: (progress: LogVerificationProgress) => void;
  signal?: AbortSignal;
}

interface SignedCheckpoint {
  revision: number;
  size: number;
  rootHash: Buffer;
}

class Found extends Error {
  constructor(readonly failure: LogFailure) {
    super(failure.detail);
  }
}

const PROGRESS_EVERY = 1000;

/**
 * The whole-log check (SPEC §5 verify-store, through the event-store port so it runs on every store):
 * every checkpoint note is signed by the log key; every event up to the head verifies (dataHash, hash,
 * sig) and links to its stream's previous event with no gap; the tree is rebuilt from the leaves in
 * log order and each checkpoint's root is compared at its size; no checkpoint claims more leaves than
 * the log holds. Stops at the first failure. Memory: one entry per stream and one per checkpoint.
 */
export async function verifyLog(store: EventStore, options: LogVerificationOptions): Promise<LogVerificationResult> {
  const head = await store.headPosition();
  const result: LogVerificationResult = { ok: true, checked: 0, streams: 0, leaves: 0, checkpoints: 0, headPosition: head?.toString() ?? null };
  if (head === undefined) return result;
  const heads = new StreamHeads();
  const tree = new CompactMerkleTree();
  let checkpoints: SignedCheckpoint[] = [];
  let next = 0;
  const compareDue = (): void => {
    while (next < checkpoints.length && checkpoints[next].size === tree.size) {
      const checkpoint = checkpoints[next++];
      if (!tree.root().equals(checkpoint.rootHash)) {
        throw new Found({
          reason: 'checkpoint-root',
          detail: `checkpoint ${checkpoint.revision} (size ${checkpoint.size}) has a root the rebuilt tree does not`,
          stream: CHECKPOINT_STREAM,
          revision: checkpoint.revision,
          treeSize: checkpoint.size,
        });
      }
    }
  };
  try {
    checkpoints = await signedCheckpoints(store, head, options.logKey);
    result.checkpoints = checkpoints.length;
    compareDue();
    for await (const event of yieldingEvery(store.readAll())) {
      if (event.position > head) break;
      if (options.signal?.aborted) throw new Found({ reason: 'aborted', detail: 'the check was stopped before it finished' });
      checkEvent(event, heads, options.keys);
      if (isLogLeaf(event)) {
        tree.appendLeafInput(leafInputOf(event.metadata));
        compareDue();
      }
      result.checked++;
      if (result.checked % PROGRESS_EVERY === 0) options.onProgress?.({ checked: result.checked, total: Math.max(options.total ?? 0, result.checked) });
      if (event.position === head) break;
    }
    if (next < checkpoints.length) {
      const checkpoint = checkpoints[next];
      throw new Found({
        reason: 'checkpoint-size',
        detail: `checkpoint ${checkpoint.revision} signs ${checkpoint.size} leaves; the log holds ${tree.size}`,
        stream: CHECKPOINT_STREAM,
        revision: checkpoint.revision,
        treeSize: checkpoint.size,
      });
    }
  } catch (error) {
    if (!(error instanceof Found)) throw error;
    result.ok = false;
    result.firstFailure = error.failure;
  }
  result.streams = heads.size;
  result.leaves = tree.size;
  options.onProgress?.({ checked: result.checked, total: Math.max(options.total ?? 0, result.checked) });
  return result;
}

function checkEvent(event: RecordedEvent, heads: StreamHeads, keys: KeyMap): void {
  const at = { position: event.position.toString(), stream: event.stream, revision: event.revision };
  const verified = verifyEvent(event, keys);
  if (!verified.ok) throw new Found({ ...at, reason: verified.reason, detail: verified.detail });
  const { prev, hash } = event.metadata as { prev: string; hash: string };
  const link = heads.link(event.stream, event.revision, prev, hash, true);
  if (link) throw new Found({ ...at, reason: link.reason, detail: link.detail });
}

/** The checkpoints written up to `head`, each opened with the log key, in the order signed (sizes never shrink). */
async function signedCheckpoints(store: EventStore, head: bigint, logKey: NoteVerifierKey): Promise<SignedCheckpoint[]> {
  const out: SignedCheckpoint[] = [];
  for await (const event of store.readStream(CHECKPOINT_STREAM)) {
    if (event.position > head) break;
    const at = { position: event.position.toString(), stream: CHECKPOINT_STREAM, revision: event.revision };
    if (event.type !== CHECKPOINT_SIGNED || !isCheckpointSignedData(event.data)) {
      throw new Found({ ...at, reason: 'checkpoint-event', detail: `revision ${event.revision} is not a CheckpointSigned event` });
    }
    let size: number;
    let rootHash: Buffer;
    try {
      ({ size, rootHash } = openCheckpoint(event.data.note, logKey));
    } catch (error) {
      throw new Found({ ...at, reason: 'checkpoint-signature', detail: `checkpoint note does not open with the log key: ${(error as Error).message}` });
    }
    if (size !== event.data.treeSize || b64Encode(rootHash) !== event.data.rootHash) {
      throw new Found({ ...at, reason: 'checkpoint-data', detail: 'treeSize or rootHash differ from the signed note' });
    }
    const previous = out[out.length - 1];
    if (previous !== undefined && size < previous.size) {
      throw new Found({ ...at, reason: 'checkpoint-order', detail: `checkpoint size ${size} follows size ${previous.size}` });
    }
    out.push({ revision: event.revision, size, rootHash });
  }
  return out;
}
