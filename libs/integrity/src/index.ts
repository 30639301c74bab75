export * from './integrity.errors';
export { sha256, sha256Hex, sha256Into, isHashHex } from './hash';
export { b64Encode, b64DecodeStrict, b64urlEncode, b64urlDecodeStrict } from './base64';
export { canonicalize, canonicalizeToBuffer, canonicalizeWithout } from './canonical-json';
export { isCanonicalObjectText, PLAIN_JSON_CHAR } from './canonical-text';
export { jwsProtectedHeader, signDetachedJws, verifyDetachedJws, type JwsFailureReason, type JwsVerification } from './detached-jws';

export { jwkThumbprint, publicJwkOf, rawEd25519PublicKey, ed25519PublicKeyFromRaw, type Ed25519PublicJwk } from './keys/jwk-thumbprint';
export { jwksKeyMap, type Jwks, type KeyMap } from './keys/jwks';
export { Keyring, type HashSigner, type KeyringOptions } from './keys/keyring';
export { generateEd25519Pem, loadOrCreateKeyFile, readJwksFile, keyringFromFiles } from './keys/key-files';

export * from './envelope/envelope.types';
export { sealEvent, sealEventWithData, unsignedEnvelope, withSignature, type SealedEvent, type UnsignedEnvelope } from './envelope/seal-event';
export { verifyEvent, type VerifyEventOptions } from './envelope/verify-event';
export { verifyChain, verifyChainAsync, type ChainVerification, type ChainFailureReason } from './envelope/verify-chain';
export { StreamHeads, type LinkFailure, type LinkFailureReason } from './envelope/stream-heads';
export { isCalendarTime, isEnvelopeTime, isLowercaseUuid, TIME_PATTERN, UUID_PATTERN } from './envelope/envelope-rules';

export { EMPTY_ROOT, leafHash, leafHashInto, nodeHash, rootFromLeafHashes } from './merkle/tree-hash';
export { rangeNodes, foldRange, hashRange, isPowerOfTwo, splitPoint, type NodeId, type NodeReader, type BatchNodeReader } from './merkle/subtree';
export type { ProofPlan, ProofRanges } from './merkle/proof-plan';
export {
  inclusionProof,
  inclusionProofAsync,
  inclusionProofPlan,
  inclusionProofRanges,
  verifyInclusion,
  rootFromInclusionProof,
} from './merkle/inclusion-proof';
export {
  consistencyProof,
  consistencyProofAsync,
  consistencyProofPlan,
  consistencyProofRanges,
  verifyConsistency,
} from './merkle/consistency-proof';
export { CompactMerkleTree, type CompactTreeState, type NodeSink } from './merkle/compact-merkle-tree';
export { InMemoryMerkleTree } from './merkle/in-memory-merkle-tree';
export { InclusionChecker, type ProofHash } from './merkle/inclusion-checker';

export { encodeVerifierKey, parseVerifierKey, noteKeyId, isValidKeyName, ED25519_NOTE_TYPE, type NoteVerifierKey } from './note/verifier-key';
export { signNote, openNote, splitNote, type OpenedNote, type NoteSignature } from './note/signed-note';
export {
  COSIGNATURE_V1_TYPE,
  COSIGNATURE_FUTURE_SKEW_SECONDS,
  encodeCosignerKey,
  parseCosignerKey,
  cosignatureMessage,
  cosignCheckpoint,
  checkWitnessQuorum,
  type Cosignature,
  type QuorumCheck,
  type WitnessPolicy,
} from './note/cosignature';
export { formatCheckpoint, parseCheckpoint, signCheckpoint, openCheckpoint, type Checkpoint } from './note/checkpoint';
export { formatTlogProof, parseTlogProof, verifyTlogProof, TLOG_PROOF_HEADER, type TlogProof, type TlogProofVerification } from './note/tlog-proof';

export * from './evidence-bundle/bundle.types';
export { BundleWriter, type BundleHeaderInput, type BundleEventInput, type BundleEventTextInput } from './evidence-bundle/bundle-writer';
export { BundleVerifier, type BundleVerifyOptions, type AsyncEd25519Verify } from './evidence-bundle/bundle-verifier';
export { verifyBundle, verifyBundleLines, MAX_BUNDLE_LINE_BYTES, type BundleSource } from './evidence-bundle/bundle-reader';
export {
  TILE_HEIGHT,
  TILE_WIDTH,
  encodeEntryBundle,
  firstNodeOf,
  formatTilePath,
  parseTilePath,
  tileExistsAt,
  treeLevelOf,
  type TileCoordinates,
  type TilePathResult,
} from './tiles/tile-path';
export { CHECKPOINT_STREAM, COSIGNATURE_STREAM, isNotaryStream, isLogLeaf, leafInputOf, eventLeafHash } from './merkle/log-leaf';
