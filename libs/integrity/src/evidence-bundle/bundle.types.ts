import type { EventFailureReason } from '../envelope/envelope.types';
import type { LinkFailureReason } from '../envelope/stream-heads';
import type { Jwks } from '../keys/jwks';

/** The `format` of every §5 evidence bundle header. */
export const BUNDLE_FORMAT = 'ledgerline-evidence/1';

/** Line 1 of a bundle. */
export interface BundleHeader {
  format: typeof BUNDLE_FORMAT;
  generatedAt: string;
  /** The audit query the bundle answers (`stream`, `type`, `actor`, `from`, `to`). */
  query: Record<string, unknown>;
  /** The signed checkpoint note every inclusion proof is against. */
  checkpoint: string;
  /** The checkpoint verifier key (vkey). */
  logKey: string;
  jwks: Jwks;
}

/** One matching event, by leaf index. */
export interface BundleEventLine {
  kind: 'event';
  leafIndex: number;
  id: string;
  stream: string;
  revision: number;
  type: string;
  data: unknown;
  metadata: unknown;
  /** Base64 RFC 9162 inclusion proof against the header's checkpoint. */
  inclusionProof: string[];
}

/** The last line: the server's signed statement that the bundle is its whole answer. */
export interface BundleTrailer {
  kind: 'end';
  count: number;
  /** Events left out because no checkpoint covers them yet. */
  pending?: number;
  /** Hex SHA-256 of every byte before this line. */
  sha256: string;
  /** Detached JWS (§3 form) over `sha256`. */
  sig: string;
}

export type BundleFailureReason =
  | EventFailureReason
  | LinkFailureReason
  | 'empty'
  | 'header'
  | 'log-key'
  | 'jwks'
  | 'checkpoint'
  | 'witness-quorum'
  | 'witness-cosignature'
  | 'line'
  | 'leaf-index'
  | 'inclusion'
  | 'query'
  | 'count'
  | 'sha256'
  | 'trailer-signature'
  | 'truncated'
  | 'trailing-data';

export interface BundleReport {
  ok: boolean;
  /** Event lines that verified (all of them when ok). */
  count: number;
  /** True when the log key or the JWKS came from the bundle's own header rather than pinned by the caller. */
  keysSelfAsserted: boolean;
  checkpoint?: { origin: string; size: number; rootHash: string };
  pending?: number;
  /** The valid cosignatures from pinned witness keys on the header's checkpoint (when a witness policy was given). */
  cosignatures?: { name: string; timestamp: number }[];
  /** Things worth telling a reader that do not invalidate the bundle (e.g. header keys differing from pinned ones). */
  warnings: string[];
  /** 1-based line number (the line after the last one when the bundle is truncated). */
  firstFailure?: { line: number; reason: BundleFailureReason; detail: string };
}
