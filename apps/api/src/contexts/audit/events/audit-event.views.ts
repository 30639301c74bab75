/** One event in an audit answer; `data` redacted ("[encrypted]") unless revealed. */
export interface AuditEventItem {
  id: string;
  stream: string;
  revision: number;
  type: string;
  time: string;
  /** The sealed actor: identifiers only (SPEC §3). */
  actor: unknown;
  /** Global position, decimal. */
  position: string;
  /** The notary tree's leaf index; null until the tree holds the event (always null for checkpoint events). */
  leafIndex: number | null;
  data: unknown;
  /** Only with reveal: some value belonged to an erased subject and reads as null. */
  erased?: boolean;
}

export interface AuditEventPage {
  items: AuditEventItem[];
  nextCursor: string | null;
}

/**
 * Where an event stands in the log: `proved` (inside the newest checkpoint: proof and checkpoint given),
 * `pending` (not yet covered by a checkpoint: ask again after the next one), `not-a-leaf` (the notary's
 * own checkpoint events, which are not leaves of the log they sign, SPEC §4).
 */
export type ProofStatus = 'proved' | 'pending' | 'not-a-leaf';

/** `GET /v1/audit/events/:id`: the stored event and its inclusion proof against the newest checkpoint. */
export interface AuditEventDetail extends AuditEventItem {
  metadata: unknown;
  proofStatus: ProofStatus;
  pending: boolean;
  treeSize: number | null;
  /** b64 RFC 9162 hashes, the leaf's sibling first. */
  inclusionProof: string[] | null;
  /** The signed checkpoint note the proof is against. */
  checkpoint: string | null;
}
