/** Base class of every error this library throws on malformed input (never on a failed verification, which is a result). */
export class IntegrityError extends Error {
  constructor(message: string) {
    super(message);
    this.name = new.target.name;
  }
}

/** The value cannot be canonicalized per RFC 8785 (non-finite number, undefined, lone surrogate, …). */
export class CanonicalJsonError extends IntegrityError {}

/** A key, JWK, JWKS or key file is missing, malformed or of the wrong type. */
export class KeyError extends IntegrityError {}

/**
 * A signed note, verifier key, checkpoint or tlog-proof is `malformed`, carries no signature from a
 * trusted key (`unverified`), or a trusted key's signature fails (`bad-signature`).
 */
export class NoteError extends IntegrityError {
  constructor(
    readonly code: 'malformed' | 'unverified' | 'bad-signature',
    message: string,
  ) {
    super(message);
  }
}

/** Input to sealing (or proof generation) breaks the envelope or tree rules. */
export class EnvelopeError extends IntegrityError {}
