import { pooledRandomBytes } from './random-pool';
import { toB64url } from './base64url';

/** A subject's live data key, as stored: wrapped by the master key (A256KW), never in the clear. */
export interface ActiveDataKey {
  status: 'active';
  subjectId: string;
  kid: string;
  /** 40 bytes: RFC 3394 wrap of the 32-byte key. */
  wrappedKey: Buffer;
  createdAt: string;
}

/** What remains after crypto-shredding: the ids and the time, no key material. */
export interface ErasedDataKey {
  status: 'erased';
  subjectId: string;
  kid: string;
  createdAt: string;
  erasedAt: string;
}

export type DataKeyRecord = ActiveDataKey | ErasedDataKey;

/** A key proposed to the store by `create`; the store keeps it only if the subject has none yet. */
export interface NewDataKey {
  kid: string;
  wrappedKey: Buffer;
}

export const WRAPPED_KEY_BYTES = 40;

/** A fresh key id: 128 random bits, b64url. Random, so it says nothing about the subject. */
export function newKeyId(): string {
  return toB64url(pooledRandomBytes(16));
}

/** Argument checks shared by the store adapters. */
export function assertSubjectId(subjectId: string): void {
  if (typeof subjectId !== 'string' || subjectId.length === 0) throw new TypeError('subjectId must be a non-empty string');
}

export function assertNewDataKey(candidate: NewDataKey): void {
  if (typeof candidate?.kid !== 'string' || candidate.kid.length === 0) throw new TypeError('kid must be a non-empty string');
  if (!Buffer.isBuffer(candidate.wrappedKey) || candidate.wrappedKey.length !== WRAPPED_KEY_BYTES) {
    throw new TypeError(`wrappedKey must be ${WRAPPED_KEY_BYTES} bytes (an A256KW-wrapped 256-bit key)`);
  }
}
