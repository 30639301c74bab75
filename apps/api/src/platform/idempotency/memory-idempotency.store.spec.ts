import { randomUUID } from 'node:crypto';
import { idempotencyStoreContract } from './idempotency-store.contract';
import { MemoryIdempotencyStore } from './memory-idempotency.store';

idempotencyStoreContract('MemoryIdempotencyStore', async (options) => new MemoryIdempotencyStore(options), randomUUID);

describe('MemoryIdempotencyStore bounds', () => {
  it('never holds more than maxEntries, dropping the oldest first', async () => {
    const store = new MemoryIdempotencyStore({ maxEntries: 100 });
    for (let i = 0; i < 1000; i++) await store.begin('u', `k${i}`, 'fp', 60_000);
    expect(store.size).toBe(100);
    expect((await store.begin('u', 'k999', 'fp', 60_000)).kind).toBe('in-progress');
    expect((await store.begin('u', 'k0', 'fp', 60_000)).kind).toBe('started');
  });

  it('drops expired entries before live ones', async () => {
    let now = 0;
    const store = new MemoryIdempotencyStore({ maxEntries: 2, now: () => now });
    await store.begin('u', 'short', 'fp', 10);
    await store.begin('u', 'long', 'fp', 10_000);
    now = 100;
    await store.begin('u', 'new', 'fp', 10_000);
    expect((await store.begin('u', 'long', 'fp', 10_000)).kind).toBe('in-progress');
    expect(store.size).toBe(2);
  });

  it('past the total, takes from the owner holding the most, not from the quiet ones', async () => {
    const store = new MemoryIdempotencyStore({ maxEntries: 100, maxEntriesPerOwner: 80 });
    for (let i = 0; i < 10; i++) await store.begin(`quiet_${i}`, 'k', 'fp', 60_000);
    for (let i = 0; i < 500; i++) await store.begin(`loud_${i % 3}`, `k${i}`, 'fp', 60_000);
    expect(store.size).toBe(100);
    for (let i = 0; i < 10; i++) expect((await store.begin(`quiet_${i}`, 'k', 'fp', 60_000)).kind).toBe('in-progress');
  });
});
