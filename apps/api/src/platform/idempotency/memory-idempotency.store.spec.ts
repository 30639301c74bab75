import { randomUUID } from 'node:crypto';
import { idempotencyStoreContract } from './idempotency-store.contract';
import { MemoryIdempotencyStore } from './memory-idempotency.store';

idempotencyStoreContract('MemoryIdempotencyStore', async () => new MemoryIdempotencyStore(), randomUUID);

describe('MemoryIdempotencyStore bounds', () => {
  it('never holds more than maxEntries, dropping the oldest first', async () => {
    const store = new MemoryIdempotencyStore({ maxEntries: 100 });
    for (let i = 0; i < 1000; i++) await store.begin(`k${i}`, 'fp', 60_000);
    expect(store.size).toBe(100);
    expect((await store.begin('k999', 'fp', 60_000)).kind).toBe('in-progress');
    expect((await store.begin('k0', 'fp', 60_000)).kind).toBe('started');
  });

  it('drops expired entries before live ones', async () => {
    let now = 0;
    const store = new MemoryIdempotencyStore({ maxEntries: 2, now: () => now });
    await store.begin('short', 'fp', 10);
    await store.begin('long', 'fp', 10_000);
    now = 100;
    await store.begin('new', 'fp', 10_000);
    expect((await store.begin('long', 'fp', 10_000)).kind).toBe('in-progress');
    expect(store.size).toBe(2);
  });
});
