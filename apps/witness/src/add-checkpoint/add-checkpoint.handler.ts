import type { KeyObject } from 'node:crypto';
import { cosignCheckpoint, EMPTY_ROOT, NoteError, openNote, parseCheckpoint, splitNote, verifyConsistency, type NoteVerifierKey } from '@ledgerline/integrity';
import type { WitnessCrashPoint } from '@ledgerline/config';
import type { WitnessedCheckpoint, WitnessStateStore } from '../state/witness-state.store';
import { parseAddCheckpoint } from './add-checkpoint.request';

/** An HTTP answer: status, content type and text body. */
export interface WitnessAnswer {
  status: number;
  contentType: string;
  body: string;
}

export interface AddCheckpointDeps {
  state: WitnessStateStore;
  logKeys: readonly NoteVerifierKey[];
  name: string;
  privateKey: KeyObject;
  crashPoint?: WitnessCrashPoint;
  /** POSIX seconds (tests may fix it). */
  now?: () => bigint;
  onRefused?: (origin: string, status: number, reason: string) => void;
}

const text = (status: number, body: string): WitnessAnswer => ({ status, contentType: 'text/plain; charset=utf-8', body: `${body}\n` });

/**
 * `POST /add-checkpoint` (c2sp.org/tlog-witness): verifies the log's signature with its configured
 * keys and the consistency proof against the checkpoint stored for that origin, stores the new one
 * durably (same transaction as the check), and only then answers with a timestamped cosignature/v1 line.
 */
export function addCheckpoint(body: string, deps: AddCheckpointDeps): WitnessAnswer {
  const request = parseAddCheckpoint(body);
  if ('malformed' in request) return text(400, request.malformed);
  let noteText: string;
  let checkpoint: ReturnType<typeof parseCheckpoint>;
  try {
    noteText = splitNote(request.note).text;
    checkpoint = parseCheckpoint(noteText);
  } catch (error) {
    return text(400, `the checkpoint is not a signed note: ${(error as NoteError).message}`);
  }
  const keys = deps.logKeys.filter((key) => key.name === checkpoint.origin);
  if (keys.length === 0) return text(404, 'unknown log origin');
  const refuse = (status: number, reason: string): WitnessAnswer => {
    deps.onRefused?.(checkpoint.origin, status, reason);
    return text(status, reason);
  };
  try {
    openNote(request.note, keys);
  } catch (error) {
    if (!(error instanceof NoteError)) throw error;
    return error.code === 'malformed' ? text(400, error.message) : refuse(403, 'no valid signature from a key this witness trusts for the origin');
  }
  if (request.oldSize > checkpoint.size) return text(400, 'old size is larger than the checkpoint size');
  if (checkpoint.size === 0 && !checkpoint.rootHash.equals(EMPTY_ROOT)) return refuse(422, 'a checkpoint of size 0 has the empty tree root');
  if (request.oldSize === 0 && request.proof.length > 0) return refuse(422, 'no consistency proof is sent from size 0');

  const answer = deps.state.advance(checkpoint.origin, (current): { store?: WitnessedCheckpoint; result: WitnessAnswer } => {
    const heldSize = current?.size ?? 0;
    if (request.oldSize !== heldSize) return { result: { status: 409, contentType: 'text/x.tlog.size', body: `${heldSize}\n` } };
    if (current !== undefined && request.oldSize === checkpoint.size) {
      // Same size: only the very same tree may be cosigned again (a different root is a split view).
      if (!current.rootHash.equals(checkpoint.rootHash)) return { result: refuse(422, 'a different root hash for the size this witness holds') };
    } else if (current !== undefined && !verifyConsistency(current.size, checkpoint.size, request.proof, current.rootHash, checkpoint.rootHash)) {
      return { result: refuse(422, 'the consistency proof does not verify') };
    }
    if (deps.crashPoint === 'after-verify') process.kill(process.pid, 'SIGKILL');
    const cosignature = cosignCheckpoint(noteText, deps.name, deps.privateKey, deps.now?.() ?? BigInt(Math.floor(Date.now() / 1000)));
    return {
      store: { origin: checkpoint.origin, size: checkpoint.size, rootHash: Buffer.from(checkpoint.rootHash), note: request.note + cosignature },
      result: { status: 200, contentType: 'text/plain; charset=utf-8', body: cosignature },
    };
  });
  // Committed (synchronous=FULL) but not yet answered: the window a crash test aims at.
  if (deps.crashPoint === 'after-store' && answer.status === 200) process.kill(process.pid, 'SIGKILL');
  return answer;
}
