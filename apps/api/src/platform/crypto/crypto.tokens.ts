/** The field cipher (FieldCipher): encrypts sensitive values under their data subject's key. */
export const FIELD_CIPHER = Symbol('FIELD_CIPHER');
