/** The successful response a retry gets back: the headers that matter and the JSON body text. */
export interface StoredResponse {
  headers: Record<string, string>;
  body: string;
}

export type BeginOutcome =
  /** The key is new: the caller runs the request and then completes or releases it. */
  | { kind: 'started'; lease: string }
  /** A request with this key (and this body) is still running. */
  | { kind: 'in-progress' }
  /** The first request finished: answer with its response. */
  | { kind: 'replay'; response: StoredResponse }
  /** The key was used with another request body. */
  | { kind: 'mismatch' };

/**
 * Where Idempotency-Key records live (SPEC §7.3), keyed by caller and key. In-memory by default,
 * Redis when REDIS_URL is set so every instance sees the same records. Each `owner` (the signed-in
 * caller) has a bounded share: past it, that owner's own oldest records go, never another owner's,
 * so one caller sending unique keys cannot make everyone else's retries run twice.
 */
export interface IdempotencyStore {
  /** Claims `key` of `owner` for a request with `fingerprint` (held at most `leaseMs` unless completed). */
  begin(owner: string, key: string, fingerprint: string, leaseMs: number): Promise<BeginOutcome>;
  /** Records the response of the claimed request, kept for `ttlMs`. */
  complete(owner: string, key: string, lease: string, fingerprint: string, response: StoredResponse, ttlMs: number): Promise<void>;
  /** Gives the claim up (the request failed in a way a retry may fix); only the lease holder's claim is removed. */
  release(owner: string, key: string, lease: string): Promise<void>;
  close(): Promise<void>;
}

/** Records one owner may hold at once, in memory and in Redis (a retry older than its owner's newest 1 000 keys runs again). */
export const IDEMPOTENCY_RECORDS_PER_OWNER = 1_000;

/** What a record holds while pending (`lease` says who claimed it) and once done. */
export type IdempotencyRecord =
  | { state: 'pending'; fingerprint: string; lease: string }
  | { state: 'done'; fingerprint: string; response: StoredResponse };

/** The outcome of `begin` for a key that already has a record. */
export function outcomeFor(record: IdempotencyRecord, fingerprint: string): BeginOutcome {
  if (record.fingerprint !== fingerprint) return { kind: 'mismatch' };
  return record.state === 'pending' ? { kind: 'in-progress' } : { kind: 'replay', response: record.response };
}
