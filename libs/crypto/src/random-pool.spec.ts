import { pooledRandomBytes } from './random-pool';

describe('pooledRandomBytes', () => {
  it('hands out buffers of the size asked, never the same bytes twice, across pool refills', () => {
    const seen = new Set<string>();
    for (let i = 0; i < 3_000; i++) {
      const bytes = pooledRandomBytes(16);
      expect(bytes).toHaveLength(16);
      seen.add(bytes.toString('hex'));
    }
    expect(seen.size).toBe(3_000);
  });

  it('gives each caller a buffer of its own: wiping one leaves the next draws random', () => {
    const first = pooledRandomBytes(32);
    first.fill(0);
    const next = pooledRandomBytes(32);
    expect(next.equals(Buffer.alloc(32))).toBe(false);
  });

  it('serves large draws directly and refuses nonsense sizes', () => {
    expect(pooledRandomBytes(4096)).toHaveLength(4096);
    expect(pooledRandomBytes(0)).toHaveLength(0);
    expect(() => pooledRandomBytes(-1)).toThrow(RangeError);
    expect(() => pooledRandomBytes(1.5)).toThrow(RangeError);
  });
});
