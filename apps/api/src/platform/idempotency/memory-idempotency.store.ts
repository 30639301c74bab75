import { randomUUID } from 'node:crypto';
import { outcomeFor, type BeginOutcome, type IdempotencyRecord, type IdempotencyStore, type StoredResponse } from './idempotency.store';

interface Entry {
  record: IdempotencyRecord;
  expiresAt: number;
}

export interface MemoryIdempotencyStoreOptions {
  /** Most records kept; the oldest are dropped first. Default 10 000. */
  maxEntries?: number;
  now?: () => number;
}

/**
 * One instance's records in a Map: bounded (oldest dropped first, so memory stays flat under a
 * flood of new keys) and each entry expires after its TTL. A dropped record only means that a
 * retry arriving after the drop runs again: the bound trades that for memory.
 */
export class MemoryIdempotencyStore implements IdempotencyStore {
  private readonly entries = new Map<string, Entry>();
  private readonly maxEntries: number;
  private readonly now: () => number;

  constructor(options: MemoryIdempotencyStoreOptions = {}) {
    this.maxEntries = options.maxEntries ?? 10_000;
    this.now = options.now ?? Date.now;
  }

  get size(): number {
    return this.entries.size;
  }

  async begin(key: string, fingerprint: string, leaseMs: number): Promise<BeginOutcome> {
    const existing = this.live(key);
    if (existing) return outcomeFor(existing.record, fingerprint);
    const lease = randomUUID();
    this.put(key, { state: 'pending', fingerprint, lease }, leaseMs);
    return { kind: 'started', lease };
  }

  async complete(key: string, lease: string, fingerprint: string, response: StoredResponse, ttlMs: number): Promise<void> {
    const existing = this.live(key);
    // A lease that expired and was taken by another request is not ours to overwrite.
    if (existing && !(existing.record.state === 'pending' && existing.record.lease === lease)) return;
    this.put(key, { state: 'done', fingerprint, response }, ttlMs);
  }

  async release(key: string, lease: string): Promise<void> {
    const existing = this.live(key);
    if (existing?.record.state === 'pending' && existing.record.lease === lease) this.entries.delete(key);
  }

  async close(): Promise<void> {
    this.entries.clear();
  }

  private live(key: string): Entry | undefined {
    const entry = this.entries.get(key);
    if (entry && entry.expiresAt <= this.now()) {
      this.entries.delete(key);
      return undefined;
    }
    return entry;
  }

  private put(key: string, record: IdempotencyRecord, ttlMs: number): void {
    this.entries.delete(key); // re-inserted at the end: insertion order is age order
    this.entries.set(key, { record, expiresAt: this.now() + ttlMs });
    if (this.entries.size <= this.maxEntries) return;
    const now = this.now();
    for (const [k, e] of this.entries) if (e.expiresAt <= now) this.entries.delete(k);
    for (const k of this.entries.keys()) {
      if (this.entries.size <= this.maxEntries) break;
      this.entries.delete(k);
    }
  }
}
