import * as crypto from 'node:crypto';
import { b64DecodeStrict, b64Encode } from '../base64';
import { NoteError } from '../integrity.errors';
import { rawEd25519PublicKey } from '../keys/jwk-thumbprint';
import { isValidKeyName, noteKeyId, type NoteVerifierKey } from './verifier-key';

/** Verifiers must accept at least 16 signatures; more than this many lines is treated as malformed. */
const MAX_SIGNATURES = 100;
const MAX_NOTE_BYTES = 1 << 20;
const FORBIDDEN_CONTROL = /[\u0000-\u0009\u000b-\u001f]/;
const SIG_PREFIX = '\u2014 ';

export interface NoteSignature {
  name: string;
  keyId: number;
  /** 4-byte key ID followed by the signature bytes. */
  signature: Buffer;
}

export interface OpenedNote {
  /** The signed text, ending with its final newline. */
  text: string;
  /** Signatures from the given keys; each verified. */
  verified: NoteSignature[];
  /** Signatures from other keys: ignored, as the spec requires. */
  unknown: NoteSignature[];
}

/**
 * Signs `text` (which must end with a newline) as a c2sp.org/signed-note with one Ed25519 signature:
 * text, blank line, `— <name> <b64(key ID || signature)>` line.
 */
export function signNote(text: string, name: string, privateKey: crypto.KeyObject): string {
  checkText(text);
  if (!isValidKeyName(name)) throw new NoteError('malformed', `invalid key name ${JSON.stringify(name)}`);
  const keyId = Buffer.alloc(4);
  keyId.writeUInt32BE(noteKeyId(name, rawEd25519PublicKey(privateKey)));
  const signature = crypto.sign(null, Buffer.from(text, 'utf8'), privateKey);
  return `${text}\n${SIG_PREFIX}${name} ${b64Encode(Buffer.concat([keyId, signature]))}\n`;
}

/**
 * Opens a signed note: checks its form strictly, verifies every signature whose name and key ID match
 * one of `keys`, ignores the others, and requires at least one verified signature. A failing signature
 * from a known key rejects the whole note. Throws NoteError (code malformed / bad-signature / unverified).
 */
export function openNote(note: string, keys: NoteVerifierKey | readonly NoteVerifierKey[]): OpenedNote {
  const known = Array.isArray(keys) ? (keys as readonly NoteVerifierKey[]) : [keys as NoteVerifierKey];
  const { text, signatures } = splitNote(note);
  const verified: NoteSignature[] = [];
  const unknown: NoteSignature[] = [];
  const seen = new Set<NoteVerifierKey>();
  const message = Buffer.from(text, 'utf8');
  for (const signature of signatures) {
    const key = known.find((k) => k.name === signature.name && k.keyId === signature.keyId);
    if (key === undefined) {
      unknown.push(signature);
      continue;
    }
    if (seen.has(key)) throw new NoteError('malformed', `two signatures from key ${key.name}`);
    seen.add(key);
    const sig = signature.signature.subarray(4);
    if (sig.length !== 64 || !crypto.verify(null, message, key.publicKey, sig)) {
      throw new NoteError('bad-signature', `signature by ${key.name} does not verify`);
    }
    verified.push(signature);
  }
  if (verified.length === 0) throw new NoteError('unverified', 'no signature from a trusted key');
  return { text, verified, unknown };
}

/**
 * Splits a signed note into its text (ending with its final newline) and its parsed signature lines,
 * checking the form strictly but verifying nothing. Throws NoteError('malformed').
 */
export function splitNote(note: string): { text: string; signatures: NoteSignature[] } {
  if (typeof note !== 'string') throw new NoteError('malformed', 'a note is text');
  if (Buffer.byteLength(note, 'utf8') > MAX_NOTE_BYTES) throw new NoteError('malformed', 'note is too large');
  const split = note.lastIndexOf('\n\n');
  if (split < 0) throw new NoteError('malformed', 'no blank line between text and signatures');
  const text = note.slice(0, split + 1);
  checkText(note);
  const block = note.slice(split + 2);
  if (!block.endsWith('\n')) throw new NoteError('malformed', 'the signature block must end with a newline');
  const lines = block.slice(0, -1).split('\n');
  if (lines.length > MAX_SIGNATURES) throw new NoteError('malformed', `more than ${MAX_SIGNATURES} signatures`);
  return { text, signatures: lines.map(parseSignatureLine) };
}

function parseSignatureLine(line: string): NoteSignature {
  if (!line.startsWith(SIG_PREFIX)) throw new NoteError('malformed', 'a signature line starts with an em dash and a space');
  const rest = line.slice(SIG_PREFIX.length);
  const space = rest.indexOf(' ');
  if (space < 0) throw new NoteError('malformed', 'a signature line is "— <name> <base64>"');
  const name = rest.slice(0, space);
  if (!isValidKeyName(name)) throw new NoteError('malformed', `invalid key name ${JSON.stringify(name)}`);
  const signature = b64DecodeStrict(rest.slice(space + 1));
  if (signature === undefined || signature.length < 5) throw new NoteError('malformed', 'a signature is base64 of a 4-byte key ID and at least one byte');
  return { name, keyId: signature.readUInt32BE(0), signature };
}

function checkText(text: string): void {
  if (typeof text !== 'string' || !text.endsWith('\n')) throw new NoteError('malformed', 'note text must end with a newline');
  if (FORBIDDEN_CONTROL.test(text)) throw new NoteError('malformed', 'note holds a control character other than newline');
  if (/\p{Surrogate}/u.test(text)) throw new NoteError('malformed', 'note is not valid UTF-8 (lone surrogate)');
}
