import { LruTtlCache } from './lru-ttl-cache';

describe('LruTtlCache', () => {
  let t = 0;
  const now = () => t;
  beforeEach(() => {
    t = 1_000;
  });

  it('never holds more than maxEntries, evicting the least recently used', () => {
    const cache = new LruTtlCache<string, number>({ maxEntries: 3, ttlMs: 60_000, now });
    cache.set('a', 1);
    cache.set('b', 2);
    cache.set('c', 3);
    expect(cache.get('a')).toBe(1); // a is now the most recent; b is the oldest
    cache.set('d', 4);
    expect(cache.size).toBe(3);
    expect(cache.get('b')).toBeUndefined();
    expect([cache.get('a'), cache.get('c'), cache.get('d')]).toEqual([1, 3, 4]);
    for (let i = 0; i < 100; i++) cache.set(`k${i}`, i);
    expect(cache.size).toBe(3);
  });

  it('expires entries ttlMs after they were set, however often they are read', () => {
    const cache = new LruTtlCache<string, number>({ maxEntries: 10, ttlMs: 100, now });
    cache.set('a', 1);
    t += 60;
    expect(cache.get('a')).toBe(1);
    t += 39;
    expect(cache.get('a')).toBe(1);
    t += 1;
    expect(cache.get('a')).toBeUndefined();
    expect(cache.size).toBe(0);
  });

  it('re-setting refreshes value and lifetime', () => {
    const cache = new LruTtlCache<string, number>({ maxEntries: 10, ttlMs: 100, now });
    cache.set('a', 1);
    t += 90;
    cache.set('a', 2);
    t += 90;
    expect(cache.get('a')).toBe(2);
  });

  it('deletes and clears', () => {
    const cache = new LruTtlCache<string, number>({ maxEntries: 10, ttlMs: 100, now });
    cache.set('a', 1);
    cache.set('b', 2);
    cache.delete('a');
    expect(cache.get('a')).toBeUndefined();
    cache.clear();
    expect(cache.size).toBe(0);
  });

  it('rejects nonsensical bounds', () => {
    expect(() => new LruTtlCache({ maxEntries: 0, ttlMs: 1 })).toThrow(RangeError);
    expect(() => new LruTtlCache({ maxEntries: 1.5, ttlMs: 1 })).toThrow(RangeError);
    expect(() => new LruTtlCache({ maxEntries: 1, ttlMs: 0 })).toThrow(RangeError);
  });
});
