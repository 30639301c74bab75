import { createDecipheriv, createCipheriv, randomBytes } from 'node:crypto';
import { CompactEncrypt, compactDecrypt } from 'jose';
import { KeyUnwrapError } from './crypto.errors';
import { unwrapKey, wrapKey } from './key-wrap';

describe('A256KW key wrap', () => {
  it('matches RFC 3394 §4.6 (256-bit KEK wrapping 256-bit key data)', () => {
    const kek = Buffer.from('000102030405060708090A0B0C0D0E0F101112131415161718191A1B1C1D1E1F', 'hex');
    const keyData = Buffer.from('00112233445566778899AABBCCDDEEFF000102030405060708090A0B0C0D0E0F', 'hex');
    const expected = '28C9F404C4B810F4CBCCB35CFB87F8263F5786E2D80ED326CBC7F0E71A99F43BFB988B9B7A02DD21';
    expect(wrapKey(kek, keyData).toString('hex').toUpperCase()).toBe(expected);
    expect(unwrapKey(kek, Buffer.from(expected, 'hex'))).toEqual(keyData);
  });

  it('unwraps the encrypted key jose produces for alg A256KW', async () => {
    const kek = randomBytes(32);
    const jwe = await new CompactEncrypt(new TextEncoder().encode('payload'))
      .setProtectedHeader({ alg: 'A256KW', enc: 'A256GCM' })
      .encrypt(new Uint8Array(kek));
    const [h, ek, iv, ct, tag] = jwe.split('.') as [string, string, string, string, string];
    const cek = unwrapKey(kek, Buffer.from(ek, 'base64url'));
    expect(cek).toHaveLength(32);
    const d = createDecipheriv('aes-256-gcm', cek, Buffer.from(iv, 'base64url'));
    d.setAAD(Buffer.from(h, 'ascii'));
    d.setAuthTag(Buffer.from(tag, 'base64url'));
    expect(Buffer.concat([d.update(Buffer.from(ct, 'base64url')), d.final()]).toString()).toBe('payload');
  });

  it('produces an encrypted key jose accepts for alg A256KW', async () => {
    const kek = randomBytes(32);
    const cek = randomBytes(32);
    const h = Buffer.from('{"alg":"A256KW","enc":"A256GCM"}').toString('base64url');
    const iv = randomBytes(12);
    const c = createCipheriv('aes-256-gcm', cek, iv);
    c.setAAD(Buffer.from(h, 'ascii'));
    const ct = Buffer.concat([c.update('wrapped by us'), c.final()]);
    const jwe = [h, wrapKey(kek, cek), iv, ct, c.getAuthTag()]
      .map((p) => (typeof p === 'string' ? p : p.toString('base64url')))
      .join('.');
    const { plaintext } = await compactDecrypt(jwe, new Uint8Array(kek));
    expect(new TextDecoder().decode(plaintext)).toBe('wrapped by us');
  });

  it('rejects the wrong KEK, altered bytes and impossible lengths with KeyUnwrapError', () => {
    const kek = randomBytes(32);
    const wrapped = wrapKey(kek, randomBytes(32));
    expect(() => unwrapKey(randomBytes(32), wrapped)).toThrow(KeyUnwrapError);
    const altered = Buffer.from(wrapped);
    altered[20] = (altered[20] ?? 0) ^ 0x80;
    expect(() => unwrapKey(kek, altered)).toThrow(KeyUnwrapError);
    expect(() => unwrapKey(kek, wrapped.subarray(0, 39))).toThrow(KeyUnwrapError);
  });

  it('refuses a KEK that is not 256 bits', () => {
    expect(() => wrapKey(randomBytes(16), randomBytes(32))).toThrow(TypeError);
  });
});
