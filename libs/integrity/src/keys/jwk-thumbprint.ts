import * as crypto from 'node:crypto';
import { b64urlDecodeStrict, b64urlEncode } from '../base64';
import { sha256 } from '../hash';
import { KeyError } from '../integrity.errors';

/** An Ed25519 public key as a JWK, as published in the JWKS. */
export interface Ed25519PublicJwk {
  kty: 'OKP';
  crv: 'Ed25519';
  /** b64url of the 32-byte public key. */
  x: string;
  kid?: string;
  alg?: 'EdDSA';
  use?: 'sig';
}

/**
 * RFC 7638 JWK thumbprint of an Ed25519 public key: b64url(SHA-256 of `{"crv":"Ed25519","kty":"OKP","x":"…"}`),
 * the required OKP members (RFC 8037 §2) in lexicographic order with no whitespace. This is every key's `kid`.
 */
export function jwkThumbprint(jwk: { kty?: unknown; crv?: unknown; x?: unknown }): string {
  const x = ed25519X(jwk);
  // The members are fixed ASCII and x is b64url, so this literal is already the canonical JSON.
  return b64urlEncode(sha256(`{"crv":"Ed25519","kty":"OKP","x":"${x}"}`));
}

/** The 32-byte raw Ed25519 public key of a public or private KeyObject. */
export function rawEd25519PublicKey(key: crypto.KeyObject): Buffer {
  const pub = key.type === 'private' ? crypto.createPublicKey(key) : key;
  if (pub.asymmetricKeyType !== 'ed25519') throw new KeyError(`expected an Ed25519 key, got ${pub.asymmetricKeyType ?? key.type}`);
  const jwk = pub.export({ format: 'jwk' });
  return b64urlDecodeStrict(jwk.x as string) as Buffer;
}

/** The public JWK of an Ed25519 key (public or private KeyObject), with its thumbprint as `kid`. */
export function publicJwkOf(key: crypto.KeyObject): Required<Ed25519PublicJwk> {
  const x = b64urlEncode(rawEd25519PublicKey(key));
  return { kty: 'OKP', crv: 'Ed25519', x, kid: jwkThumbprint({ kty: 'OKP', crv: 'Ed25519', x }), alg: 'EdDSA', use: 'sig' };
}

/** Builds a public KeyObject from the raw 32-byte Ed25519 key. */
export function ed25519PublicKeyFromRaw(raw: Uint8Array): crypto.KeyObject {
  if (raw.length !== 32) throw new KeyError(`an Ed25519 public key is 32 bytes, got ${raw.length}`);
  return crypto.createPublicKey({ key: { kty: 'OKP', crv: 'Ed25519', x: b64urlEncode(raw) }, format: 'jwk' });
}

/** Validates the OKP/Ed25519 members of a JWK and returns its `x`. */
export function ed25519X(jwk: { kty?: unknown; crv?: unknown; x?: unknown }): string {
  if (jwk.kty !== 'OKP' || jwk.crv !== 'Ed25519') {
    throw new KeyError(`expected kty "OKP" and crv "Ed25519", got ${JSON.stringify(jwk.kty)} / ${JSON.stringify(jwk.crv)}`);
  }
  const raw = typeof jwk.x === 'string' ? b64urlDecodeStrict(jwk.x) : undefined;
  if (!raw || raw.length !== 32) throw new KeyError('JWK member "x" must be the b64url of 32 bytes');
  return jwk.x as string;
}
