/** Who caused an event: identifiers only, never plaintext PII (§3). */
export interface Actor {
  kind: 'user' | 'webhook' | 'system';
  /** Stable id: Clerk user id, Stripe event id, `system:<component>`… */
  id: string;
  session?: string;
  org?: string;
  mfa?: boolean;
  ref?: string;
  [member: string]: unknown;
}

/** The §3 integrity envelope, stored as the event's metadata. Extra members are allowed and covered by `hash`. */
export interface EventMetadata {
  v: 1;
  id: string;
  stream: string;
  revision: number;
  type: string;
  time: string;
  actor: Actor;
  $correlationId: string;
  $causationId: string;
  dataHash: string;
  prev: string;
  hash: string;
  sig: string;
  [extra: string]: unknown;
}

/** An event as read back from any store (RecordedEvent fits); `data` and `metadata` are checked, not trusted. */
export interface StoredEvent {
  id: string;
  type: string;
  stream: string;
  revision: number;
  data: unknown;
  metadata: unknown;
}

/** What sealEvent needs: the event's identity and position, its causes and the previous event's hash. */
export interface SealInput {
  /** Lowercase UUID, the store's event id. */
  id: string;
  stream: string;
  revision: number;
  type: string;
  /** A Date, or already `YYYY-MM-DDTHH:mm:ss.sssZ`. */
  time: Date | string;
  actor: Actor;
  correlationId: string;
  causationId: string;
  data: Record<string, unknown>;
  /** Further metadata members, covered by the hash; may not reuse an envelope member name. */
  extra?: Record<string, unknown>;
  /** `hash` of this stream's event at revision-1; ZERO_HASH (or omitted) at revision 0. */
  prevHash?: string;
}

/**
 * Why an event failed to verify: `unsealed` (metadata.v is not 1), `envelope` (a member missing or
 * malformed), `*-mismatch` (metadata disagrees with the store), `prev` (revision 0 without the zero
 * hash), `data-hash`, `hash`, `signature`, `unknown-key` (kid not trusted).
 */
export type EventFailureReason =
  | 'unsealed'
  | 'envelope'
  | 'id-mismatch'
  | 'stream-mismatch'
  | 'revision-mismatch'
  | 'type-mismatch'
  | 'prev'
  | 'data-hash'
  | 'hash'
  | 'signature'
  | 'unknown-key';

export type EventVerification = { ok: true } | { ok: false; reason: EventFailureReason; detail: string };

/** The 64-zero `prev` of every stream's revision 0. */
export const ZERO_HASH = '0'.repeat(64);
