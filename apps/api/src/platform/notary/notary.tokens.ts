import type { PublishedCheckpoint } from '@ledgerline/ledger';

/** The Ed25519 private key that signs checkpoint notes. */
export const CHECKPOINT_KEY = Symbol('CHECKPOINT_KEY');
/** The checkpoint verifier key (c2sp signed-note vkey text) served at /v1/audit/log-key. */
export const LOG_VERIFIER_KEY = Symbol('LOG_VERIFIER_KEY');
/** The running CheckpointNotary, or null when this instance runs none (WORKER=off). */
export const CHECKPOINT_NOTARY = Symbol('CHECKPOINT_NOTARY');
/** The LogTamperAlarm shared by the Merkle-log projector (which trips it) and the CheckpointNotary (which then stops). */
export const LOG_TAMPER_ALARM = Symbol('LOG_TAMPER_ALARM');
/** PublishedCheckpoints: what the latest route, receipts and exports show (SPEC §4: the witnessed one under a quorum). */
export const PUBLISHED_CHECKPOINTS = Symbol('PUBLISHED_CHECKPOINTS');

export interface PublishedCheckpoints {
  /** The newest checkpoint that may be shown: meeting WITNESS_QUORUM when one is set; undefined before the first. */
  latest(): Promise<PublishedCheckpoint | undefined>;
}
