/** The sealed write path (LedgerWriter): the only way API code appends events. */
export const LEDGER_WRITER = Symbol('LEDGER_WRITER');
/** The keyring (active signing key + retired public keys) for JWKS and verification. */
export const KEYRING = Symbol('KEYRING');
