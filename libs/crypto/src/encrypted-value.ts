/** How a sensitive value is stored in events and read models (SPEC §6): `{"$jwe":"<JWE compact>"}`. */
export interface EncryptedValue {
  $jwe: string;
}

/**
 * True for an object whose only own member is a string `$jwe`. Exactly one member, so an
 * ordinary object that happens to carry a `$jwe` field is never mistaken for a ciphertext.
 */
export function isEncryptedValue(value: unknown): value is EncryptedValue {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return false;
  const keys = Object.keys(value);
  return keys.length === 1 && keys[0] === '$jwe' && typeof (value as EncryptedValue).$jwe === 'string';
}
