import { normalizeTime } from './audit-filter';

describe('normalizeTime', () => {
  it('turns any RFC 3339 offset and precision into the envelope form', () => {
    expect(normalizeTime('2026-11-28T01:18:20Z')).toBe('2026-11-28T01:18:20.000Z');
    expect(normalizeTime('2026-11-28t01:18:20.5z')).toBe('2026-11-28T01:18:20.500Z');
    expect(normalizeTime('2026-11-28T03:18:20.123+02:00')).toBe('2026-11-28T01:18:20.123Z');
    expect(normalizeTime('2026-11-27T23:48:20-01:30')).toBe('2026-11-28T01:18:20.000Z');
    expect(normalizeTime('0050-01-01T00:00:00Z')).toBe('0050-01-01T00:00:00.000Z');
  });

  it('rounds sub-millisecond digits up, so ≥ from and < to keep exactly the right millisecond events', () => {
    expect(normalizeTime('2026-11-28T01:18:20.1230Z')).toBe('2026-11-28T01:18:20.123Z');
    expect(normalizeTime('2026-11-28T01:18:20.123000001Z')).toBe('2026-11-28T01:18:20.124Z');
    expect(normalizeTime('2026-11-28T23:59:59.9991Z')).toBe('2026-11-29T00:00:00.000Z');
  });

  it('refuses what is not an RFC 3339 date-time with an offset', () => {
    for (const bad of ['2026-11-28', '2026-11-28T01:18:20', '2026-02-30T00:00:00Z', '2026-11-28T24:00:00Z', '2026-13-01T00:00:00Z', '2026-11-28 01:18:20Z', 'yesterday', '2026-11-28T01:18:20+25:00', '2026-11-28T01:18:20.Z']) {
      expect({ bad, normalized: normalizeTime(bad) }).toEqual({ bad, normalized: undefined });
    }
  });
});
