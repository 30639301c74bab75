import type { BundleReport, Jwks } from '@ledgerline/integrity';

/** The public keys an officer pinned: the event-signing JWKS and the log's checkpoint vkey. */
export interface PinnedKeys {
  jwks: Jwks;
  logKey: string;
}

/** Page → worker: check this file against these keys. */
export interface VerifyRequest {
  file: Blob;
  keys: PinnedKeys;
}

/** Worker → page, while reading and at the end. */
export type VerifyMessage =
  | { kind: 'progress'; bytes: number; total: number }
  | { kind: 'done'; report: BundleReport; seconds: number }
  | { kind: 'error'; message: string };
