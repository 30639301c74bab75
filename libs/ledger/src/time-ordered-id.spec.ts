import { isLowercaseUuid } from '@ledgerline/integrity';
import { timeOrderedId } from './time-ordered-id';

describe('timeOrderedId', () => {
  it('is a lowercase UUID version 7 (RFC 9562) carrying its milliseconds', () => {
    const now = Date.UTC(2026, 11, 7, 8, 0, 0, 123);
    const id = timeOrderedId(now);
    expect(isLowercaseUuid(id)).toBe(true);
    expect(id[14]).toBe('7');
    expect(['8', '9', 'a', 'b']).toContain(id[19]);
    expect(parseInt(id.replace(/-/g, '').slice(0, 12), 16)).toBe(now);
  });

  it('sorts by time across milliseconds and never repeats', () => {
    const ids = Array.from({ length: 10_000 }, (_, i) => timeOrderedId(1_700_000_000_000 + Math.floor(i / 100)));
    expect(new Set(ids).size).toBe(ids.length);
    for (let i = 100; i < ids.length; i += 100) expect(ids[i - 1] < ids[i]).toBe(true);
  });
});
