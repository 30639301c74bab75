import type * as crypto from 'node:crypto';
import { b64DecodeStrict, b64Encode } from '../base64';
import { NoteError } from '../integrity.errors';
import { openNote, signNote } from './signed-note';
import type { NoteVerifierKey } from './verifier-key';

/** A c2sp.org/tlog-checkpoint: the log's origin, tree size and RFC 9162 root hash. */
export interface Checkpoint {
  origin: string;
  size: number;
  rootHash: Buffer;
  /** Extension lines (Ledgerline writes none, §4). */
  extensions: string[];
}

const DECIMAL = /^(0|[1-9][0-9]*)$/;

/** The checkpoint note text: `<origin>\n<size>\n<b64 root>\n`. */
export function formatCheckpoint(checkpoint: { origin: string; size: number; rootHash: Uint8Array }): string {
  const { origin, size, rootHash } = checkpoint;
  if (typeof origin !== 'string' || origin.length === 0 || origin.includes('\n')) throw new NoteError('malformed', 'origin must be one non-empty line');
  if (!Number.isSafeInteger(size) || size < 0) throw new NoteError('malformed', 'tree size must be a non-negative integer');
  if (rootHash.length !== 32) throw new NoteError('malformed', 'root hash must be 32 bytes');
  return `${origin}\n${size}\n${b64Encode(rootHash)}\n`;
}

/** Parses checkpoint note text (without its signatures). Throws NoteError('malformed'). */
export function parseCheckpoint(text: string): Checkpoint {
  if (typeof text !== 'string' || !text.endsWith('\n')) throw new NoteError('malformed', 'checkpoint text must end with a newline');
  const lines = text.slice(0, -1).split('\n');
  if (lines.length < 3 || lines.some((line) => line.length === 0)) {
    throw new NoteError('malformed', 'a checkpoint is at least three non-empty lines: origin, size, root hash');
  }
  const [origin, sizeText, rootText, ...extensions] = lines;
  if (!DECIMAL.test(sizeText) || !Number.isSafeInteger(Number(sizeText))) throw new NoteError('malformed', `tree size ${JSON.stringify(sizeText)} is not a decimal without leading zeros`);
  const rootHash = b64DecodeStrict(rootText);
  if (rootHash === undefined || rootHash.length !== 32) throw new NoteError('malformed', 'root hash is not base64 of 32 bytes');
  return { origin, size: Number(sizeText), rootHash, extensions };
}

/** Formats and signs a checkpoint; the key name is the origin (§4). Returns the whole signed note. */
export function signCheckpoint(checkpoint: { origin: string; size: number; rootHash: Uint8Array }, privateKey: crypto.KeyObject): string {
  return signNote(formatCheckpoint(checkpoint), checkpoint.origin, privateKey);
}

/**
 * Opens a signed checkpoint note with the log's verifier key: verifies the signature, parses the text,
 * and requires the origin to equal the key name (§4) and, unless allowed, no extension lines.
 */
export function openCheckpoint(note: string, logKey: NoteVerifierKey, options: { allowExtensions?: boolean } = {}): Checkpoint {
  const { text } = openNote(note, logKey);
  const checkpoint = parseCheckpoint(text);
  if (checkpoint.origin !== logKey.name) {
    throw new NoteError('malformed', `checkpoint origin ${JSON.stringify(checkpoint.origin)} is not the log key name ${JSON.stringify(logKey.name)}`);
  }
  if (!options.allowExtensions && checkpoint.extensions.length > 0) throw new NoteError('malformed', 'checkpoint has extension lines');
  return checkpoint;
}
