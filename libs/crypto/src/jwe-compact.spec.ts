import { createCipheriv, randomBytes } from 'node:crypto';
import fc from 'fast-check';
import { CompactEncrypt, compactDecrypt } from 'jose';
import { CiphertextInvalidError } from './crypto.errors';
import { decryptCompact, encryptCompact, parseCompactJwe } from './jwe-compact';

const key = randomBytes(32);

/** Builds a JWE by hand so a test can authenticate headers and plaintexts encryptCompact refuses to make. */
function handMade(header: object, plaintext: Buffer, k = key): string {
  const h = Buffer.from(JSON.stringify(header)).toString('base64url');
  const iv = randomBytes(12);
  const c = createCipheriv('aes-256-gcm', k, iv);
  c.setAAD(Buffer.from(h, 'ascii'));
  const ct = Buffer.concat([c.update(plaintext), c.final()]);
  return [h, '', iv.toString('base64url'), ct.toString('base64url'), c.getAuthTag().toString('base64url')].join('.');
}

function flipBit(segment: string): string {
  const bytes = Buffer.from(segment, 'base64url');
  bytes[0] = (bytes[0] ?? 0) ^ 0x01;
  return bytes.toString('base64url');
}

describe('JWE compact dir/A256GCM', () => {
  it('produces the normative shape: exact header, empty key part, 96-bit IV, 128-bit tag', () => {
    const jwe = encryptCompact(key, 'kid-1', 'hello');
    const [h, ek, iv, ct, tag] = jwe.split('.');
    expect(Buffer.from(h!, 'base64url').toString()).toBe('{"alg":"dir","enc":"A256GCM","kid":"kid-1"}');
    expect(ek).toBe('');
    expect(Buffer.from(iv!, 'base64url')).toHaveLength(12);
    expect(Buffer.from(ct!, 'base64url')).toHaveLength(5);
    expect(Buffer.from(tag!, 'base64url')).toHaveLength(16);
    expect(jwe).not.toMatch(/[=+/]/);
  });

  it('round-trips any Unicode string, including empty and a leading BOM', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary' }), (s) => {
        expect(decryptCompact(encryptCompact(key, 'k', s), key)).toBe(s);
      }),
      { numRuns: 200 },
    );
    for (const s of ['', '\uFEFFbom', 'Zoë 🎉 ü\u0000']) expect(decryptCompact(encryptCompact(key, 'k', s), key)).toBe(s);
  });

  it('uses a fresh IV each time', () => {
    const a = encryptCompact(key, 'k', 'same');
    const b = encryptCompact(key, 'k', 'same');
    expect(a.split('.')[2]).not.toBe(b.split('.')[2]);
    expect(a).not.toBe(b);
  });

  it('refuses a string with a lone surrogate rather than altering it', () => {
    expect(() => encryptCompact(key, 'k', 'a\uD800b')).toThrow(TypeError);
  });

  it('refuses keys that are not 256 bits', () => {
    expect(() => encryptCompact(randomBytes(16), 'k', 'x')).toThrow(TypeError);
  });

  it('jose decrypts what it produces', async () => {
    const jwe = encryptCompact(key, 'kid-x', 'grüße');
    const { plaintext, protectedHeader } = await compactDecrypt(jwe, new Uint8Array(key));
    expect(new TextDecoder().decode(plaintext)).toBe('grüße');
    expect(protectedHeader).toEqual({ alg: 'dir', enc: 'A256GCM', kid: 'kid-x' });
  });

  it('decrypts what jose produces', async () => {
    const jwe = await new CompactEncrypt(new TextEncoder().encode('from jose ✓'))
      .setProtectedHeader({ alg: 'dir', enc: 'A256GCM', kid: 'kid-j' })
      .encrypt(new Uint8Array(key));
    expect(parseCompactJwe(jwe).kid).toBe('kid-j');
    expect(decryptCompact(jwe, key)).toBe('from jose ✓');
  });

  describe('rejects with CiphertextInvalidError, never garbage', () => {
    const good = encryptCompact(key, 'k', 'secret value');
    const parts = good.split('.');
    const withPart = (i: number, v: string) => parts.map((p, j) => (j === i ? v : p)).join('.');

    it.each([
      ['a flipped header bit', () => withPart(0, flipBit(parts[0]!))],
      ['a flipped IV bit', () => withPart(2, flipBit(parts[2]!))],
      ['a flipped ciphertext bit', () => withPart(3, flipBit(parts[3]!))],
      ['a flipped tag bit', () => withPart(4, flipBit(parts[4]!))],
      ['a truncated tag', () => withPart(4, parts[4]!.slice(0, 16))],
      ['a re-labelled kid', () => withPart(0, Buffer.from('{"alg":"dir","enc":"A256GCM","kid":"other"}').toString('base64url'))],
      ['a non-empty encrypted key', () => withPart(1, 'AAAA')],
      ['four segments', () => parts.slice(0, 4).join('.')],
      ['padded base64', () => withPart(4, `${parts[4]}==`)],
      ['the ciphertext of another value', () => withPart(3, encryptCompact(key, 'k', 'secret valuf').split('.')[3]!)],
      ['alg A256KW', () => handMade({ alg: 'A256KW', enc: 'A256GCM', kid: 'k' }, Buffer.from('x'))],
      ['a zip header', () => handMade({ alg: 'dir', enc: 'A256GCM', kid: 'k', zip: 'DEF' }, Buffer.from('x'))],
      ['a crit header', () => handMade({ alg: 'dir', enc: 'A256GCM', kid: 'k', crit: ['x'], x: 1 }, Buffer.from('x'))],
      ['no kid', () => handMade({ alg: 'dir', enc: 'A256GCM' }, Buffer.from('x'))],
      ['invalid UTF-8 plaintext', () => handMade({ alg: 'dir', enc: 'A256GCM', kid: 'k' }, Buffer.from([0x61, 0xff, 0x62]))],
    ])('%s', (_why, make) => {
      expect(() => decryptCompact(make(), key)).toThrow(CiphertextInvalidError);
    });

    it('the wrong key', () => {
      expect(() => decryptCompact(good, randomBytes(32))).toThrow(CiphertextInvalidError);
    });

    it('a non-string', () => {
      expect(() => parseCompactJwe(42 as unknown as string)).toThrow(CiphertextInvalidError);
    });
  });
});
