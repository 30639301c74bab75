import { randomUUID } from 'node:crypto';
import {
  IDEMPOTENCY_RECORDS_PER_OWNER,
  outcomeFor,
  type BeginOutcome,
  type IdempotencyRecord,
  type IdempotencyStore,
  type StoredResponse,
} from './idempotency.store';

interface Entry {
  record: IdempotencyRecord;
  expiresAt: number;
}

export interface MemoryIdempotencyStoreOptions {
  /** Most records kept in all. Default 10 000. */
  maxEntries?: number;
  /** Most records one owner keeps; past it, that owner's oldest go. Default IDEMPOTENCY_RECORDS_PER_OWNER. */
  maxEntriesPerOwner?: number;
  now?: () => number;
}

/**
 * One instance's records, per owner in insertion (= age) order: bounded, and each entry expires after its
 * TTL. An owner past its share loses its own oldest record; past the total, the owner holding the most
 * loses its oldest, so a flood of new keys from one caller (or a few) only ever evicts their own records.
 * A dropped record only means that a retry arriving after the drop runs again.
 */
export class MemoryIdempotencyStore implements IdempotencyStore {
  private readonly owners = new Map<string, Map<string, Entry>>();
  private total = 0;
  private readonly maxEntries: number;
  private readonly maxEntriesPerOwner: number;
  private readonly now: () => number;

  constructor(options: MemoryIdempotencyStoreOptions = {}) {
    this.maxEntries = options.maxEntries ?? 10_000;
    this.maxEntriesPerOwner = Math.min(options.maxEntriesPerOwner ?? IDEMPOTENCY_RECORDS_PER_OWNER, this.maxEntries);
    this.now = options.now ?? Date.now;
  }

  get size(): number {
    return this.total;
  }

  async begin(owner: string, key: string, fingerprint: string, leaseMs: number): Promise<BeginOutcome> {
    const existing = this.live(owner, key);
    if (existing) return outcomeFor(existing.record, fingerprint);
    const lease = randomUUID();
    this.put(owner, key, { state: 'pending', fingerprint, lease }, leaseMs);
    return { kind: 'started', lease };
  }

  async complete(owner: string, key: string, lease: string, fingerprint: string, response: StoredResponse, ttlMs: number): Promise<void> {
    const existing = this.live(owner, key);
    // A lease that expired and was taken by another request is not ours to overwrite.
    if (existing && !(existing.record.state === 'pending' && existing.record.lease === lease)) return;
    this.put(owner, key, { state: 'done', fingerprint, response }, ttlMs);
  }

  async release(owner: string, key: string, lease: string): Promise<void> {
    const existing = this.live(owner, key);
    if (existing?.record.state === 'pending' && existing.record.lease === lease) this.remove(owner, key);
  }

  async close(): Promise<void> {
    this.owners.clear();
    this.total = 0;
  }

  private live(owner: string, key: string): Entry | undefined {
    const entry = this.owners.get(owner)?.get(key);
    if (entry && entry.expiresAt <= this.now()) {
      this.remove(owner, key);
      return undefined;
    }
    return entry;
  }

  private put(owner: string, key: string, record: IdempotencyRecord, ttlMs: number): void {
    this.remove(owner, key); // re-inserted at the end: insertion order is age order
    let entries = this.owners.get(owner);
    if (entries === undefined) {
      entries = new Map();
      this.owners.set(owner, entries);
    }
    entries.set(key, { record, expiresAt: this.now() + ttlMs });
    this.total++;
    if (entries.size > this.maxEntriesPerOwner) this.evictOldest(owner, entries);
    if (this.total > this.maxEntries) this.evictFromLargestShare();
  }

  private remove(owner: string, key: string): void {
    const entries = this.owners.get(owner);
    if (entries === undefined || !entries.delete(key)) return;
    this.total--;
    if (entries.size === 0) this.owners.delete(owner);
  }

  private evictOldest(owner: string, entries: Map<string, Entry>): void {
    const now = this.now();
    for (const [key, entry] of entries) if (entry.expiresAt <= now) this.remove(owner, key);
    for (const key of entries.keys()) {
      if (entries.size <= this.maxEntriesPerOwner) break;
      this.remove(owner, key);
    }
  }

  /** Only when the total is exceeded (many owners at once): one pass over the owners, not over the records. */
  private evictFromLargestShare(): void {
    let largest: [string, Map<string, Entry>] | undefined;
    for (const pair of this.owners) if (largest === undefined || pair[1].size > largest[1].size) largest = pair;
    if (largest === undefined) return;
    const oldest = largest[1].keys().next();
    if (!oldest.done) this.remove(largest[0], oldest.value);
  }
}
