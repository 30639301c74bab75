export * from './integrity.errors';
export { sha256, sha256Hex, isHashHex } from './hash';
export { b64Encode, b64DecodeStrict, b64urlEncode, b64urlDecodeStrict } from './base64';
export { canonicalize, canonicalizeToBuffer, canonicalizeWithout } from './canonical-json';
export { jwsProtectedHeader, signDetachedJws, verifyDetachedJws, type JwsFailureReason, type JwsVerification } from './detached-jws';

export { jwkThumbprint, publicJwkOf, rawEd25519PublicKey, ed25519PublicKeyFromRaw, type Ed25519PublicJwk } from './keys/jwk-thumbprint';
export { jwksKeyMap, type Jwks, type KeyMap } from './keys/jwks';
export { Keyring, type HashSigner, type KeyringOptions } from './keys/keyring';
export { generateEd25519Pem, loadOrCreateKeyFile, readJwksFile, keyringFromFiles } from './keys/key-files';

export * from './envelope/envelope.types';
export { sealEvent } from './envelope/seal-event';
export { verifyEvent, type VerifyEventOptions } from './envelope/verify-event';
export { verifyChain, verifyChainAsync, type ChainVerification, type ChainFailureReason } from './envelope/verify-chain';
export { StreamHeads, type LinkFailure, type LinkFailureReason } from './envelope/stream-heads';
export { isEnvelopeTime, isLowercaseUuid } from './envelope/envelope-rules';
