import { AuthFailureBlockList } from './auth-failure-block-list';

describe('AuthFailureBlockList', () => {
  it('with 200,000 sources blocked, a blocked address that keeps trying stays blocked, and the list stays bounded', () => {
    let now = 0;
    const list = new AuthFailureBlockList(100_000, () => now);
    list.block('198.51.100.7', 60_000);
    for (let i = 0; i < 200_000; i++) {
      list.block(`src-${i}`, 60_000);
      if (i % 1_000 === 0) {
        now += 1; // the flood takes a while; the block is still inside its minute
        expect(list.remainingMs('198.51.100.7')).toBeGreaterThan(0);
      }
      expect(list.size).toBeLessThanOrEqual(100_000);
    }
    expect(list.remainingMs('198.51.100.7')).toBeGreaterThan(0);
    // The sources nobody used since were the ones evicted, oldest first.
    expect(list.remainingMs('src-0')).toBe(0);
    expect(list.remainingMs('src-199999')).toBeGreaterThan(0);
  });

  it('evicts expired blocks before live ones, and unblocks when the time is up', () => {
    let now = 0;
    const list = new AuthFailureBlockList(2, () => now);
    list.block('a', 10);
    list.block('b', 1_000);
    now = 50;
    list.block('c', 1_000);
    expect(list.remainingMs('b')).toBe(950);
    expect(list.remainingMs('c')).toBe(1_000);
    expect(list.remainingMs('a')).toBe(0);
    now = 2_000;
    expect(list.remainingMs('b')).toBe(0);
    expect(list.size).toBe(1);
  });
});
