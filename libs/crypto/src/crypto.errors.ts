/**
 * Errors of the crypto lib. Each has a stable `code`; messages never carry plaintext, key
 * material, ciphertext or the contents of a key file.
 */
export abstract class CryptoError extends Error {
  abstract readonly code: string;
}

/** A value is not a well-formed `dir`/`A256GCM` JWE, or it failed authentication (tampered, wrong key). */
export class CiphertextInvalidError extends CryptoError {
  readonly code = 'ciphertext-invalid';
  constructor(reason: string) {
    super(`encrypted value rejected: ${reason}`);
    this.name = 'CiphertextInvalidError';
  }
}

/** A JWE names a key id that the key store has never held (neither a key nor an erasure tombstone). */
export class UnknownDataKeyError extends CryptoError {
  readonly code = 'data-key-unknown';
  constructor(readonly kid: string) {
    super(`no data key and no erasure record for key id ${kid}`);
    this.name = 'UnknownDataKeyError';
  }
}

/** Refusal to encrypt for a subject whose key was destroyed: new data must not outlive an erasure. */
export class SubjectErasedError extends CryptoError {
  readonly code = 'subject-erased';
  constructor(readonly subjectId: string) {
    super('the data subject has been erased; nothing new can be encrypted for it');
    this.name = 'SubjectErasedError';
  }
}

/** A wrapped data key did not authenticate under the master key (wrong master key or corrupted row). */
export class KeyUnwrapError extends CryptoError {
  readonly code = 'key-unwrap-failed';
  constructor(reason = 'integrity check failed (wrong master key or corrupted wrapped key)') {
    super(`cannot unwrap data key: ${reason}`);
    this.name = 'KeyUnwrapError';
  }
}

/** The master key file is unreadable or does not hold exactly 32 base64-encoded bytes. */
export class MasterKeyError extends CryptoError {
  readonly code = 'master-key-invalid';
  constructor(
    readonly path: string,
    reason: string,
  ) {
    super(`master key file ${path}: ${reason}`);
    this.name = 'MasterKeyError';
  }
}
