import { fromB64url, toB64url } from './base64url';

describe('base64url', () => {
  it('round-trips bytes without padding', () => {
    for (let n = 0; n < 40; n++) {
      const bytes = Buffer.from(Array.from({ length: n }, (_, i) => (i * 37 + n) & 0xff));
      const text = toB64url(bytes);
      expect(text).not.toMatch(/[=+/]/);
      expect(fromB64url(text)).toEqual(bytes);
    }
  });

  it('encodes a view of a larger buffer, not the whole backing store', () => {
    const big = Buffer.from('0123456789');
    expect(toB64url(big.subarray(2, 5))).toBe(Buffer.from('234').toString('base64url'));
  });

  it.each([
    ['padding', 'AAA='],
    ['standard alphabet', 'ab+/'],
    ['whitespace', 'AA AA'],
    ['impossible length', 'AAAAA'],
    ['non-zero trailing bits', 'AB'],
  ])('rejects %s', (_why, text) => {
    expect(fromB64url(text)).toBeUndefined();
  });
});
