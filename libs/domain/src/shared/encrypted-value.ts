/**
 * A sensitive value after field encryption: `{"$jwe": "<JWE compact>"}` (SPEC §6). Deciders only
 * ever see this form; the plaintext is encrypted by the command handler before decide().
 */
export interface EncryptedValue {
  $jwe: string;
}

// JWE compact: header.encryptedKey.iv.ciphertext.tag, base64url. With alg "dir" the encrypted
// key is empty, and an empty plaintext gives an empty ciphertext; header, iv and tag never are.
const JWE_COMPACT = /^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]*\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]*\.[A-Za-z0-9_-]+$/;

/**
 * Structural check only: a plain object whose single member `$jwe` is a JWE compact string.
 * It cannot tell whether the ciphertext decrypts; it stops plaintext from reaching an event.
 */
export function isEncryptedValue(value: unknown): value is EncryptedValue {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return false;
  const keys = Object.keys(value);
  if (keys.length !== 1 || keys[0] !== '$jwe') return false;
  const jwe = (value as { $jwe: unknown }).$jwe;
  return typeof jwe === 'string' && JWE_COMPACT.test(jwe);
}
