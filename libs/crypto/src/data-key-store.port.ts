import type { DataKeyRecord, ErasedDataKey, NewDataKey } from './data-key';

/**
 * Where data keys live: outside the event store, one row per data subject, only ever wrapped.
 * Adapters: SQLite (`sqlite/`) and PostgreSQL (`postgres/`); both pass `data-key-store.contract.ts`.
 * The store never sees an unwrapped key and does no cryptography.
 */
export interface DataKeyStore {
  /** The subject's key or its erasure tombstone; undefined when the subject never had either. */
  get(subjectId: string): Promise<DataKeyRecord | undefined>;
  /** Lookup by key id, as a decrypting reader has only the JWE's `kid`. */
  getByKid(kid: string): Promise<DataKeyRecord | undefined>;
  /**
   * Stores `candidate` as the subject's key unless the subject already has a key or a tombstone,
   * and returns what is stored afterwards. Race-safe: of concurrent creates for one subject
   * exactly one candidate wins and every caller gets the winner. An erased subject stays erased.
   */
  create(subjectId: string, candidate: NewDataKey): Promise<DataKeyRecord>;
  /**
   * Crypto-shredding: erases the wrapped key and leaves a tombstone {subjectId, kid, erasedAt}.
   * Idempotent (the first erasure time is kept). A subject without a key gets a tombstone too,
   * so no key can be created for it afterwards.
   */
  destroy(subjectId: string): Promise<ErasedDataKey>;
  isErased(subjectId: string): Promise<boolean>;
}
