import { isEncryptedValue } from './encrypted-value';
import { sealed } from '../testing/fixtures';

describe('isEncryptedValue', () => {
  it('accepts a dir/A256GCM JWE compact value', () => {
    expect(isEncryptedValue(sealed('hello'))).toBe(true);
    // A real compact JWE shape from jose (alg dir: empty encrypted key).
    expect(isEncryptedValue({ $jwe: 'eyJhbGciOiJkaXIiLCJlbmMiOiJBMjU2R0NNIn0..MTIzNDU2Nzg5MDEy.Zm9v.YWJjZGVmZ2hpamtsbW5vcA' })).toBe(true);
  });

  it('accepts an empty ciphertext (an empty plaintext encrypts to nothing)', () => {
    expect(isEncryptedValue({ $jwe: 'eyJhbGciOiJkaXIifQ..aXY..dGFn' })).toBe(true);
  });

  it.each([
    ['null', null],
    ['a string', 'secret'],
    ['an array', [sealed('x')]],
    ['an empty object', {}],
    ['a non-string $jwe', { $jwe: 42 }],
    ['plaintext in $jwe', { $jwe: 'ada@example.org' }],
    ['four segments', { $jwe: 'a..b.c' }],
    ['six segments', { $jwe: 'a..b.c.d.e' }],
    ['a missing tag', { $jwe: 'a..b.c.' }],
    ['characters outside base64url', { $jwe: 'a+b..c.d.e' }],
    ['an extra member', { ...sealed('x'), plaintext: 'x' }],
  ])('rejects %s', (_what, value) => {
    expect(isEncryptedValue(value)).toBe(false);
  });
});
