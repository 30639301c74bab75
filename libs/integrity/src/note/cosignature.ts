import * as crypto from 'node:crypto';
import { b64Encode } from '../base64';
import { NoteError } from '../integrity.errors';
import { rawEd25519PublicKey } from '../keys/jwk-thumbprint';
import { splitNote } from './signed-note';
import { encodeVerifierKey, isValidKeyName, noteKeyId, parseVerifierKey, type NoteVerifierKey } from './verifier-key';

/** Signature type byte of Ed25519 cosignature/v1 keys (c2sp.org/tlog-cosignature). */
export const COSIGNATURE_V1_TYPE = 0x04;

/** The largest timestamp a cosignature may carry (2^63 - 1). */
const MAX_TIMESTAMP = (1n << 63n) - 1n;
/** How far ahead of the verifier's clock a cosignature's time may be (clock skew between witness and verifier). */
export const COSIGNATURE_FUTURE_SKEW_SECONDS = 300;

/** The witness vkey `<name>+<hex id>+<b64(0x04 || key)>` of an Ed25519 cosigner key (public or private). */
export function encodeCosignerKey(name: string, key: crypto.KeyObject): string {
  return encodeVerifierKey(name, key, COSIGNATURE_V1_TYPE);
}

/** Parses a witness vkey (type 0x04); throws NoteError('malformed'). */
export function parseCosignerKey(vkey: string): NoteVerifierKey {
  return parseVerifierKey(vkey, COSIGNATURE_V1_TYPE);
}

/** The cosignature/v1 signed message: header line, `time <t>` line, then the checkpoint's note text. */
export function cosignatureMessage(noteText: string, timestamp: bigint): Buffer {
  return Buffer.from(`cosignature/v1\ntime ${timestamp}\n${noteText}`, 'utf8');
}

/**
 * A cosignature/v1 line (ending in a newline) over `noteText` (the checkpoint without signatures):
 * `— <name> b64(key ID || u64 timestamp || Ed25519 signature)`.
 */
export function cosignCheckpoint(noteText: string, name: string, privateKey: crypto.KeyObject, timestamp: bigint): string {
  if (!isValidKeyName(name)) throw new NoteError('malformed', `invalid key name ${JSON.stringify(name)}`);
  if (timestamp <= 0n || timestamp > MAX_TIMESTAMP) throw new NoteError('malformed', 'a cosignature timestamp is from 1 to 2^63-1');
  const head = Buffer.alloc(12);
  head.writeUInt32BE(noteKeyId(name, rawEd25519PublicKey(privateKey), COSIGNATURE_V1_TYPE), 0);
  head.writeBigUInt64BE(timestamp, 4);
  const signature = crypto.sign(null, cosignatureMessage(noteText, timestamp), privateKey);
  return `\u2014 ${name} ${b64Encode(Buffer.concat([head, signature]))}\n`;
}

export interface Cosignature {
  /** The witness key name. */
  name: string;
  /** POSIX seconds the witness cosigned at. */
  timestamp: number;
}

export type QuorumCheck =
  | { ok: true; text: string; cosignatures: Cosignature[] }
  | { ok: false; reason: 'witness-cosignature' | 'witness-quorum'; detail: string; cosignatures: Cosignature[] };

/**
 * Counts the valid cosignature/v1 lines of a (witnessed) checkpoint note from `witnessKeys`, and
 * requires at least `quorum` of them. A line is a pinned key's when both its name and its key ID
 * match (others are ignored, as c2sp.org/signed-note requires); such a line whose signature fails, whose
 * timestamp is zero or further than COSIGNATURE_FUTURE_SKEW_SECONDS ahead of `nowSeconds`, or which
 * repeats a key, fails the note with reason `witness-cosignature`. Throws NoteError('malformed')
 * when the note itself is not a signed note.
 */
export function checkWitnessQuorum(note: string, witnessKeys: readonly NoteVerifierKey[], quorum: number, nowSeconds = Date.now() / 1000): QuorumCheck {
  const { text, signatures } = splitNote(note);
  const cosignatures: Cosignature[] = [];
  const seen = new Set<NoteVerifierKey>();
  for (const line of signatures) {
    const key = witnessKeys.find((k) => k.name === line.name && k.keyId === line.keyId);
    if (key === undefined) continue;
    const fail = (detail: string): QuorumCheck => ({ ok: false, reason: 'witness-cosignature', detail: `cosignature by ${key.name}: ${detail}`, cosignatures });
    if (seen.has(key)) return fail('two cosignatures from one key');
    seen.add(key);
    if (line.signature.length !== 4 + 8 + 64) return fail('not a cosignature/v1 (key ID, 8-byte timestamp, 64-byte Ed25519 signature)');
    const timestamp = line.signature.readBigUInt64BE(4);
    if (timestamp === 0n || timestamp > MAX_TIMESTAMP) return fail(`timestamp ${timestamp} is out of range`);
    if (Number(timestamp) > nowSeconds + COSIGNATURE_FUTURE_SKEW_SECONDS) return fail(`timestamp ${timestamp} is in the future`);
    if (!crypto.verify(null, cosignatureMessage(text, timestamp), key.publicKey, line.signature.subarray(12))) return fail('signature does not verify');
    cosignatures.push({ name: key.name, timestamp: Number(timestamp) });
  }
  if (cosignatures.length < quorum) {
    return {
      ok: false,
      reason: 'witness-quorum',
      detail: `${cosignatures.length} valid cosignature${cosignatures.length === 1 ? '' : 's'} from pinned witness keys, fewer than the quorum of ${quorum}`,
      cosignatures,
    };
  }
  return { ok: true, text, cosignatures };
}

/** A witness quorum a verifier was given: the pinned witness keys and how many must have cosigned. */
export interface WitnessPolicy {
  keys: NoteVerifierKey[];
  quorum: number;
}
