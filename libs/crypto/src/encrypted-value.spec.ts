import { isEncryptedValue } from './encrypted-value';

describe('isEncryptedValue', () => {
  it('accepts an object with a single string $jwe member', () => {
    expect(isEncryptedValue({ $jwe: 'a..b.c.d' })).toBe(true);
    expect(isEncryptedValue(JSON.parse('{"$jwe":""}'))).toBe(true);
  });

  it.each([
    ['null', null],
    ['a string', '{"$jwe":"x"}'],
    ['an array', [{ $jwe: 'x' }]],
    ['a non-string $jwe', { $jwe: 1 }],
    ['an extra member', { $jwe: 'x', other: 1 }],
    ['no $jwe', { jwe: 'x' }],
  ])('rejects %s', (_why, value) => {
    expect(isEncryptedValue(value)).toBe(false);
  });
});
