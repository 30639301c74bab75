import * as crypto from 'node:crypto';
import { FlattenedSign, flattenedVerify } from 'jose';
import { b64urlEncode } from './base64';
import { jwsProtectedHeader, signDetachedJws, verifyDetachedJws } from './detached-jws';
import { sha256Hex } from './hash';
import { publicJwkOf } from './keys/jwk-thumbprint';

describe('detached unencoded JWS (RFC 7515 + RFC 7797)', () => {
  const { privateKey, publicKey } = crypto.generateKeyPairSync('ed25519');
  let kid: string;
  let keys: Map<string, crypto.KeyObject>;
  beforeAll(async () => {
    kid = (await publicJwkOf(publicKey)).kid;
    keys = new Map([[kid, publicKey]]);
  });
  const hash = sha256Hex('some event');

  it('serializes the protected header with exactly the §3 members in order', () => {
    expect(jwsProtectedHeader('abc')).toBe('{"alg":"EdDSA","b64":false,"crit":["b64"],"kid":"abc"}');
  });

  it('produces b64url(header)..b64url(sig) signing b64url(header).hash', () => {
    const jws = signDetachedJws(hash, kid, privateKey);
    const [header, empty, sig] = jws.split('.');
    expect(header).toBe(b64urlEncode(jwsProtectedHeader(kid)));
    expect(empty).toBe('');
    expect(crypto.verify(null, Buffer.from(`${header}.${hash}`), publicKey, Buffer.from(sig, 'base64url'))).toBe(true);
    expect(verifyDetachedJws(jws, hash, keys)).toEqual({ ok: true, kid });
  });

  it('is accepted by jose flattenedVerify with b64:false', async () => {
    const jws = signDetachedJws(hash, kid, privateKey);
    const [protectedHeader, , signature] = jws.split('.');
    const result = await flattenedVerify({ protected: protectedHeader, payload: hash, signature }, publicKey);
    expect(result.protectedHeader).toEqual({ alg: 'EdDSA', b64: false, crit: ['b64'], kid });
    expect(Buffer.from(result.payload).toString()).toBe(hash);
    await expect(flattenedVerify({ protected: protectedHeader, payload: sha256Hex('other'), signature }, publicKey)).rejects.toThrow();
  });

  it('accepts what jose signs with the same header (Ed25519 is deterministic, so the bytes agree)', async () => {
    const signed = await new FlattenedSign(new TextEncoder().encode(hash))
      .setProtectedHeader({ alg: 'EdDSA', b64: false, crit: ['b64'], kid })
      .sign(privateKey);
    const jws = `${signed.protected}..${signed.signature}`;
    expect(verifyDetachedJws(jws, hash, keys)).toEqual({ ok: true, kid });
    expect(jws).toBe(signDetachedJws(hash, kid, privateKey));
  });

  it('rejects another payload, a flipped signature bit and an unknown kid', () => {
    const jws = signDetachedJws(hash, kid, privateKey);
    expect(verifyDetachedJws(jws, sha256Hex('x'), keys)).toMatchObject({ ok: false, reason: 'signature' });
    const sig = Buffer.from(jws.split('..')[1], 'base64url');
    sig[10] ^= 1;
    expect(verifyDetachedJws(`${jws.split('..')[0]}..${sig.toString('base64url')}`, hash, keys)).toMatchObject({ ok: false, reason: 'signature' });
    expect(verifyDetachedJws(jws, hash, new Map())).toMatchObject({ ok: false, reason: 'unknown-key' });
  });

  it.each([
    ['an attached payload', (h: string, s: string) => `${h}.${b64urlEncode('x')}.${s}`],
    ['no separator', (h: string, s: string) => `${h}${s}`],
    ['three parts', (h: string, s: string) => `${h}..${s}.x`],
    ['a header with b64:true', (_h: string, s: string) => `${b64urlEncode(JSON.stringify({ alg: 'EdDSA', b64: true, crit: ['b64'], kid }))}..${s}`],
    ['a header without crit', (_h: string, s: string) => `${b64urlEncode(JSON.stringify({ alg: 'EdDSA', b64: false, kid }))}..${s}`],
    ['a header with an extra member', (_h: string, s: string) => `${b64urlEncode(JSON.stringify({ alg: 'EdDSA', b64: false, crit: ['b64'], kid, typ: 'JWT' }))}..${s}`],
    ['alg none', (_h: string, s: string) => `${b64urlEncode(JSON.stringify({ alg: 'none', b64: false, crit: ['b64'], kid }))}..${s}`],
    ['a padded signature', (h: string, s: string) => `${h}..${s}==`],
    ['a short signature', (h: string, s: string) => `${h}..${s.slice(0, 40)}`],
  ])('rejects %s as malformed', (_label, build) => {
    const [h, s] = signDetachedJws(hash, kid, privateKey).split('..');
    expect(verifyDetachedJws(build(h, s), hash, keys)).toMatchObject({ ok: false, reason: 'malformed' });
  });

  it('rejects non-strings', () => {
    expect(verifyDetachedJws(undefined, hash, keys)).toMatchObject({ ok: false, reason: 'malformed' });
  });
});
