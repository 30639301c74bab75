import fc from 'fast-check';
import { actorProblem, isEnvelopeTime, isLowercaseUuid } from './envelope-rules';

describe('envelope rules', () => {
  it('accept exactly the times Date#toISOString prints for years 0000–9999', () => {
    fc.assert(
      fc.property(fc.date({ min: new Date('0000-01-01T00:00:00.000Z'), max: new Date('9999-12-31T23:59:59.999Z'), noInvalidDate: true }), (date) => {
        expect(isEnvelopeTime(date.toISOString())).toBe(true);
      }),
      { numRuns: 500 },
    );
  });

  it.each([
    '2026-02-29T00:00:00.000Z',
    '2100-02-29T00:00:00.000Z',
    '2026-04-31T00:00:00.000Z',
    '2026-13-01T00:00:00.000Z',
    '2026-00-10T00:00:00.000Z',
    '2026-01-00T00:00:00.000Z',
    '2026-01-01T24:00:00.000Z',
    '2026-01-01T23:60:00.000Z',
    '2026-01-01T23:59:60.000Z',
    '2026-01-01T23:59:59.000+00:00',
    '2026-01-01T23:59:59Z',
    '2026-01-01 23:59:59.000Z',
  ])('reject %s', (time) => {
    expect(isEnvelopeTime(time)).toBe(false);
  });

  it('accept leap days of leap years', () => {
    expect(isEnvelopeTime('2024-02-29T12:00:00.000Z')).toBe(true);
    expect(isEnvelopeTime('2000-02-29T12:00:00.000Z')).toBe(true);
  });

  it('check uuids and actors', () => {
    expect(isLowercaseUuid('0f8e4c1a-8a7b-4c1e-9d7a-1b2c3d4e5f60')).toBe(true);
    expect(isLowercaseUuid('0f8e4c1a8a7b4c1e9d7a1b2c3d4e5f60')).toBe(false);
    expect(actorProblem({ kind: 'system', id: 'system:notary', extra: 1 })).toBeUndefined();
    expect(actorProblem(['user'])).toMatch(/object/);
  });
});
