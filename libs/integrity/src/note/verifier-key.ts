import type * as crypto from 'node:crypto';
import { b64DecodeStrict, b64Encode } from '../base64';
import { sha256 } from '../hash';
import { NoteError } from '../integrity.errors';
import { ed25519PublicKeyFromRaw, rawEd25519PublicKey } from '../keys/jwk-thumbprint';

/** Signature type byte of Ed25519 note signatures (c2sp.org/signed-note). */
export const ED25519_NOTE_TYPE = 0x01;

/** A parsed note verifier key: the name and key ID its signature lines carry, and the Ed25519 key. */
export interface NoteVerifierKey {
  name: string;
  /** uint32 key ID (big-endian first 4 bytes of SHA-256(name || 0x0A || type byte || key)). */
  keyId: number;
  publicKey: crypto.KeyObject;
  /** The 32-byte raw public key. */
  rawPublicKey: Buffer;
  /** The `<name>+<hex id>+<b64(type byte || key)>` text. */
  vkey: string;
}

const NAME_FORBIDDEN = /[\s+]/u;

/** Key names are non-empty with no Unicode space and no "+" (signed-note §Format). */
export function isValidKeyName(name: string): boolean {
  return name.length > 0 && !NAME_FORBIDDEN.test(name);
}

/**
 * The signed-note key ID of an Ed25519 key: SHA-256(name || 0x0A || type || 32-byte key)[:4] as uint32.
 * The type byte is 0x01 for note signatures, 0x04 for cosignature/v1 (c2sp.org/tlog-cosignature).
 */
export function noteKeyId(name: string, rawPublicKey: Uint8Array, type: number = ED25519_NOTE_TYPE): number {
  const digest = sha256(Buffer.concat([Buffer.from(name, 'utf8'), Buffer.from([0x0a, type]), rawPublicKey]));
  return digest.readUInt32BE(0);
}

/** The verifier key text `<name>+<8 hex key ID>+<b64(type || public key)>` for an Ed25519 key (public or private). */
export function encodeVerifierKey(name: string, key: crypto.KeyObject, type: number = ED25519_NOTE_TYPE): string {
  if (!isValidKeyName(name)) throw new NoteError('malformed', `invalid key name ${JSON.stringify(name)}`);
  const raw = rawEd25519PublicKey(key);
  const id = noteKeyId(name, raw, type).toString(16).padStart(8, '0');
  return `${name}+${id}+${b64Encode(Buffer.concat([Buffer.from([type]), raw]))}`;
}

/**
 * Parses a verifier key, checking its type byte (0x01 unless another Ed25519 type is asked for), key
 * size and that its key ID is the one its name and key give.
 */
export function parseVerifierKey(vkey: string, type: number = ED25519_NOTE_TYPE): NoteVerifierKey {
  // The name and id hold no "+", the base64 key may: split at the first two only.
  const text = typeof vkey === 'string' ? vkey.trim() : '';
  const first = text.indexOf('+');
  const second = first < 0 ? -1 : text.indexOf('+', first + 1);
  if (second < 0) throw new NoteError('malformed', 'a verifier key is <name>+<hex key id>+<base64 key>');
  const name = text.slice(0, first);
  const idHex = text.slice(first + 1, second);
  const keyB64 = text.slice(second + 1);
  if (!isValidKeyName(name)) throw new NoteError('malformed', `invalid key name ${JSON.stringify(name)}`);
  if (!/^[0-9a-f]{8}$/i.test(idHex)) throw new NoteError('malformed', 'the key id is 8 hex digits');
  const key = b64DecodeStrict(keyB64);
  if (key === undefined || key.length !== 33 || key[0] !== type) {
    throw new NoteError('malformed', `the key is base64 of 0x0${type.toString(16)} followed by a 32-byte Ed25519 public key`);
  }
  const rawPublicKey = key.subarray(1);
  const keyId = noteKeyId(name, rawPublicKey, type);
  if (keyId !== parseInt(idHex, 16)) throw new NoteError('malformed', `key id ${idHex} does not match the name and key`);
  return { name, keyId, publicKey: ed25519PublicKeyFromRaw(rawPublicKey), rawPublicKey: Buffer.from(rawPublicKey), vkey: text };
}
