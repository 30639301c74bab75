import { b64DecodeStrict, b64Encode } from '../base64';
import { isHashHex } from '../hash';
import { NoteError } from '../integrity.errors';
import { verifyInclusion } from '../merkle/inclusion-proof';
import { leafHash } from '../merkle/tree-hash';
import { openCheckpoint, type Checkpoint } from './checkpoint';
import { checkWitnessQuorum, type WitnessPolicy } from './cosignature';
import { parseVerifierKey, type NoteVerifierKey } from './verifier-key';

/** The first line of every c2sp.org/tlog-proof@v1 text. */
export const TLOG_PROOF_HEADER = 'c2sp.org/tlog-proof@v1';

/** A transparency-log proof (receipt): entry index, inclusion proof, and the checkpoint it was proved against. */
export interface TlogProof {
  index: number;
  /** RFC 9162 inclusion proof, leaf's sibling first. */
  proof: Buffer[];
  /** The signed checkpoint note, verbatim. */
  checkpoint: string;
  /** Opaque, unauthenticated extra data. */
  extra?: Buffer;
}

const DECIMAL = /^(0|[1-9][0-9]*)$/;

/**
 * Formats a c2sp.org/tlog-proof@v1: header line, optional `extra <b64>`, `index <n>`, one base64
 * hash a line, an empty line, then the checkpoint note verbatim.
 */
export function formatTlogProof(proof: TlogProof): string {
  if (!Number.isSafeInteger(proof.index) || proof.index < 0) throw new NoteError('malformed', 'index must be a non-negative integer');
  if (proof.proof.some((h) => h.length !== 32)) throw new NoteError('malformed', 'proof hashes are 32 bytes');
  let text = `${TLOG_PROOF_HEADER}\n`;
  if (proof.extra !== undefined) text += `extra ${b64Encode(proof.extra)}\n`;
  text += `index ${proof.index}\n`;
  for (const hash of proof.proof) text += `${b64Encode(hash)}\n`;
  return `${text}\n${proof.checkpoint}`;
}

/** Parses a c2sp.org/tlog-proof@v1 text (the checkpoint is returned unverified). Throws NoteError('malformed'). */
export function parseTlogProof(text: string): TlogProof {
  if (typeof text !== 'string') throw new NoteError('malformed', 'a tlog proof is text');
  let at = 0;
  const nextLine = (): string => {
    const end = text.indexOf('\n', at);
    if (end < 0) throw new NoteError('malformed', 'tlog proof ends before its checkpoint');
    const line = text.slice(at, end);
    at = end + 1;
    return line;
  };
  if (nextLine() !== TLOG_PROOF_HEADER) throw new NoteError('malformed', `first line must be ${TLOG_PROOF_HEADER}`);
  let line = nextLine();
  let extra: Buffer | undefined;
  if (line.startsWith('extra ')) {
    extra = b64DecodeStrict(line.slice(6));
    if (extra === undefined) throw new NoteError('malformed', 'extra data is not base64');
    line = nextLine();
  }
  if (!line.startsWith('index ') || !DECIMAL.test(line.slice(6)) || !Number.isSafeInteger(Number(line.slice(6)))) {
    throw new NoteError('malformed', 'expected "index <decimal without leading zeros>"');
  }
  const index = Number(line.slice(6));
  const proof: Buffer[] = [];
  for (line = nextLine(); line !== ''; line = nextLine()) {
    const hash = b64DecodeStrict(line);
    if (hash === undefined || hash.length !== 32) throw new NoteError('malformed', 'an inclusion proof line is base64 of 32 bytes');
    proof.push(hash);
  }
  const checkpoint = text.slice(at);
  if (checkpoint.length === 0) throw new NoteError('malformed', 'tlog proof has no checkpoint');
  return extra === undefined ? { index, proof, checkpoint } : { index, proof, checkpoint, extra };
}

export type TlogProofVerification =
  | { ok: true; index: number; checkpoint: Checkpoint }
  | { ok: false; reason: 'malformed' | 'checkpoint' | 'witness-quorum' | 'witness-cosignature' | 'inclusion'; detail: string };

/**
 * Verifies a receipt for one entry: `leafInput` is the entry's leaf input (for an event, its `hash` as
 * 64 hex characters or 32 bytes); the checkpoint must be signed by `logKey` (parsed or vkey text) and
 * the inclusion proof must lead from H(0x00 || leafInput) at `index` to its root. With `witnesses`, the
 * checkpoint must also carry a quorum of valid cosignatures from the pinned witness keys (SPEC §4).
 */
export function verifyTlogProof(leafInput: string | Uint8Array, proofText: string, logKey: NoteVerifierKey | string, witnesses?: WitnessPolicy): TlogProofVerification {
  let parsed: TlogProof;
  let key: NoteVerifierKey;
  try {
    parsed = parseTlogProof(proofText);
    key = typeof logKey === 'string' ? parseVerifierKey(logKey) : logKey;
  } catch (error) {
    return { ok: false, reason: 'malformed', detail: (error as Error).message };
  }
  if (typeof leafInput === 'string' && !isHashHex(leafInput)) return { ok: false, reason: 'malformed', detail: 'leaf input must be a 64-hex hash' };
  const input = typeof leafInput === 'string' ? Buffer.from(leafInput, 'hex') : leafInput;
  let checkpoint: Checkpoint;
  try {
    checkpoint = openCheckpoint(parsed.checkpoint, key);
  } catch (error) {
    return { ok: false, reason: 'checkpoint', detail: (error as Error).message };
  }
  if (witnesses !== undefined) {
    const witnessed = checkWitnessQuorum(parsed.checkpoint, witnesses.keys, witnesses.quorum);
    if (!witnessed.ok) return { ok: false, reason: witnessed.reason, detail: witnessed.detail };
  }
  if (!verifyInclusion(leafHash(input), parsed.index, checkpoint.size, parsed.proof, checkpoint.rootHash)) {
    return { ok: false, reason: 'inclusion', detail: `entry ${parsed.index} is not proved in the tree of size ${checkpoint.size}` };
  }
  return { ok: true, index: parsed.index, checkpoint };
}
