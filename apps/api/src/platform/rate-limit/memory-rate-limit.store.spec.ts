import { MemoryRateLimitStore } from './memory-rate-limit.store';

describe('MemoryRateLimitStore (@nestjs/throttler storage)', () => {
  it('counts hits in a fixed window, blocks past the limit until the window resets, then starts over', async () => {
    let now = 1_000_000;
    const store = new MemoryRateLimitStore(100, () => now);
    const hits = [];
    for (let i = 0; i < 4; i++) hits.push(await store.increment('user:alice', 60_000, 3));
    expect(hits.map((h) => [h.totalHits, h.isBlocked])).toEqual([
      [1, false],
      [2, false],
      [3, false],
      [4, true],
    ]);
    expect(hits[3]).toMatchObject({ timeToExpire: 60, timeToBlockExpire: 60 });
    now += 59_500;
    expect(await store.increment('user:alice', 60_000, 3)).toMatchObject({ totalHits: 5, timeToExpire: 1, timeToBlockExpire: 1 });
    now += 500;
    expect(await store.increment('user:alice', 60_000, 3)).toMatchObject({ totalHits: 1, isBlocked: false, timeToBlockExpire: 0 });
  });

  it('keeps at most maxKeys windows under a flood of distinct sources', async () => {
    const store = new MemoryRateLimitStore(50);
    for (let i = 0; i < 1_000; i++) await store.increment(`ip:10.0.${i >> 8}.${i & 255}`, 60_000, 5);
    expect(store.size).toBeLessThanOrEqual(50);
  });
});
