import * as crypto from 'node:crypto';
import { KeyError } from '../integrity.errors';
import { ed25519PublicKeyFromRaw, jwkThumbprint, publicJwkOf, rawEd25519PublicKey } from './jwk-thumbprint';

// RFC 8037 Appendix A.1–A.3: the Ed25519 example key and its RFC 7638 thumbprint.
const RFC8037_PRIVATE = { kty: 'OKP', crv: 'Ed25519', d: 'nWGxne_9WmC6hEr0kuwsxERJxWl7MmkZcDusAxyuf2A', x: '11qYAYKxCrfVS_7TyWQHOg7hcvPapiMlrwIaaPcHURo' };
const RFC8037_THUMBPRINT = 'kPrK_qmxVWaYVA9wwBF6Iuo3vVzz7TxHCTwXBygrS4k';

describe('jwkThumbprint (RFC 7638)', () => {
  it('matches the RFC 8037 A.3 example', async () => {
    expect(await jwkThumbprint({ kty: 'OKP', crv: 'Ed25519', x: RFC8037_PRIVATE.x })).toBe(RFC8037_THUMBPRINT);
  });

  it('ignores optional members such as kid, alg and use', async () => {
    expect(await jwkThumbprint({ kty: 'OKP', crv: 'Ed25519', x: RFC8037_PRIVATE.x, kid: 'x', use: 'sig' } as never)).toBe(RFC8037_THUMBPRINT);
  });

  it('derives the public JWK and kid from a private KeyObject', async () => {
    const key = crypto.createPrivateKey({ key: RFC8037_PRIVATE, format: 'jwk' });
    expect(await publicJwkOf(key)).toEqual({ kty: 'OKP', crv: 'Ed25519', x: RFC8037_PRIVATE.x, kid: RFC8037_THUMBPRINT, alg: 'EdDSA', use: 'sig' });
    expect(rawEd25519PublicKey(key).toString('base64url')).toBe(RFC8037_PRIVATE.x);
  });

  it('rebuilds a public key from its raw bytes', () => {
    const { publicKey } = crypto.generateKeyPairSync('ed25519');
    const rebuilt = ed25519PublicKeyFromRaw(rawEd25519PublicKey(publicKey));
    expect(rebuilt.equals(publicKey)).toBe(true);
  });

  it.each([
    [{ kty: 'EC', crv: 'P-256', x: RFC8037_PRIVATE.x }],
    [{ kty: 'OKP', crv: 'X25519', x: RFC8037_PRIVATE.x }],
    [{ kty: 'OKP', crv: 'Ed25519', x: 'AAAA' }],
    [{ kty: 'OKP', crv: 'Ed25519' }],
  ])('rejects %p', async (jwk) => {
    await expect(jwkThumbprint(jwk)).rejects.toThrow(KeyError);
  });

  it('rejects non-Ed25519 KeyObjects', () => {
    const { publicKey } = crypto.generateKeyPairSync('ec', { namedCurve: 'P-256' });
    expect(() => rawEd25519PublicKey(publicKey)).toThrow(/Ed25519/);
  });
});
