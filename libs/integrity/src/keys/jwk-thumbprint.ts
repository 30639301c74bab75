import * as crypto from 'node:crypto';
import { calculateJwkThumbprint, exportJWK } from 'jose';
import { b64urlDecodeStrict, b64urlEncode } from '../base64';
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

/** RFC 7638 thumbprint (b64url of SHA-256) of an Ed25519 public JWK, checked first: this is every key's `kid`. */
export async function jwkThumbprint(jwk: { kty?: unknown; crv?: unknown; x?: unknown }): Promise<string> {
  return calculateJwkThumbprint({ kty: 'OKP', crv: 'Ed25519', x: ed25519X(jwk) });
}

/** The 32-byte raw Ed25519 public key of a public or private KeyObject (signed notes name keys by these bytes). */
export function rawEd25519PublicKey(key: crypto.KeyObject): Buffer {
  const pub = key.type === 'private' ? crypto.createPublicKey(key) : key;
  if (pub.asymmetricKeyType !== 'ed25519') throw new KeyError(`expected an Ed25519 key, got ${pub.asymmetricKeyType ?? key.type}`);
  const jwk = pub.export({ format: 'jwk' });
  return b64urlDecodeStrict(jwk.x as string) as Buffer;
}

/** The public JWK of an Ed25519 key (public or private KeyObject), members in the published order, with its thumbprint as `kid`. */
export async function publicJwkOf(key: crypto.KeyObject): Promise<Required<Ed25519PublicJwk>> {
  const jwk = await exportJWK(key.type === 'private' ? crypto.createPublicKey(key) : key);
  const kid = await jwkThumbprint(jwk);
  return { kty: 'OKP', crv: 'Ed25519', x: jwk.x as string, kid, alg: 'EdDSA', use: 'sig' };
}

/** Builds a public KeyObject from the raw 32-byte Ed25519 key. */
export function ed25519PublicKeyFromRaw(raw: Uint8Array): crypto.KeyObject {
  if (raw.length !== 32) throw new KeyError(`an Ed25519 public key is 32 bytes, got ${raw.length}`);
  return crypto.createPublicKey({ key: { kty: 'OKP', crv: 'Ed25519', x: b64urlEncode(raw) }, format: 'jwk' });
}

/**
 * Validates the OKP/Ed25519 members of a JWK and returns its `x`. x must be the canonical b64url of 32 bytes:
 * the kid hashes x's text, so two spellings of one key would otherwise get two kids.
 */
function ed25519X(jwk: { kty?: unknown; crv?: unknown; x?: unknown }): string {
  if (jwk.kty !== 'OKP' || jwk.crv !== 'Ed25519') {
    throw new KeyError(`expected kty "OKP" and crv "Ed25519", got ${JSON.stringify(jwk.kty)} / ${JSON.stringify(jwk.crv)}`);
  }
  const raw = typeof jwk.x === 'string' ? b64urlDecodeStrict(jwk.x) : undefined;
  if (!raw || raw.length !== 32) throw new KeyError('JWK member "x" must be the b64url of 32 bytes');
  return jwk.x as string;
}
