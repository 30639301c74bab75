// Not jose: jose offers A256KW only as a JWE key-management alg (the wrapped key inside a JWE), while the key
// table stores the bare 40-byte RFC 3394 wrap. It runs once per subject key created or loaded, not per command.
import { createCipheriv, createDecipheriv, createSecretKey, KeyObject } from 'node:crypto';
import { KeyUnwrapError } from './crypto.errors';

/** RFC 3394 §2.2.3.1 default initial value; unwrapping checks it, which is what authenticates the key. */
const DEFAULT_IV = Buffer.from('A6A6A6A6A6A6A6A6', 'hex');

/** A key-encryption key: 32 raw bytes or a secret KeyObject of that size. */
export type KeyEncryptionKey = Buffer | KeyObject;

/** A256KW (RFC 3394 AES key wrap with a 256-bit KEK): 32 bytes of key data → 40 wrapped bytes. */
export function wrapKey(kek: KeyEncryptionKey, keyData: Buffer): Buffer {
  if (keyData.length < 16 || keyData.length % 8 !== 0) throw new TypeError('key data must be a multiple of 64 bits, at least 128');
  const cipher = createCipheriv('id-aes256-wrap', asKek(kek), DEFAULT_IV);
  return Buffer.concat([cipher.update(keyData), cipher.final()]);
}

/** Reverses wrapKey; an integrity-check failure (wrong KEK, altered bytes) throws KeyUnwrapError. */
export function unwrapKey(kek: KeyEncryptionKey, wrapped: Buffer): Buffer {
  if (wrapped.length < 24 || wrapped.length % 8 !== 0) throw new KeyUnwrapError('wrapped key has an impossible length');
  const decipher = createDecipheriv('id-aes256-wrap', asKek(kek), DEFAULT_IV);
  try {
    return Buffer.concat([decipher.update(wrapped), decipher.final()]);
  } catch {
    throw new KeyUnwrapError();
  }
}

function asKek(kek: KeyEncryptionKey): KeyObject {
  const k = kek instanceof KeyObject ? kek : createSecretKey(kek);
  if (k.type !== 'secret' || k.symmetricKeySize !== 32) throw new TypeError('A256KW needs a 256-bit key-encryption key');
  return k;
}
