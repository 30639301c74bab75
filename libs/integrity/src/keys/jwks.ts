import type { KeyObject } from 'node:crypto';
import { b64urlDecodeStrict } from '../base64';
import { KeyError } from '../integrity.errors';
import { ed25519PublicKeyFromRaw, jwkThumbprint, type Ed25519PublicJwk } from './jwk-thumbprint';

/** A JWK Set of event-signing keys, as served at `/.well-known/jwks.json`. */
export interface Jwks {
  keys: Ed25519PublicJwk[];
}

/** kid → public key: what every verifier in this library takes. */
export type KeyMap = ReadonlyMap<string, KeyObject>;

/**
 * Turns a JWKS into the kid → KeyObject map verifiers use. Each kid is recomputed from `x`
 * (RFC 7638); a key whose stated `kid` differs, a non-Ed25519 key or a malformed set throws
 * KeyError, because a verifier must never trust a kid it did not derive itself.
 */
export async function jwksKeyMap(jwks: unknown): Promise<Map<string, KeyObject>> {
  const keys = (jwks as { keys?: unknown } | null)?.keys;
  if (typeof jwks !== 'object' || jwks === null || !Array.isArray(keys)) throw new KeyError('a JWKS is an object with a "keys" array');
  const map = new Map<string, KeyObject>();
  for (const [i, jwk] of (keys as unknown[]).entries()) {
    if (typeof jwk !== 'object' || jwk === null) throw new KeyError(`JWKS key ${i} is not an object`);
    const entry = jwk as Record<string, unknown>;
    let kid: string;
    try {
      kid = await jwkThumbprint(entry);
    } catch (error) {
      throw new KeyError(`JWKS key ${i}: ${(error as Error).message}`);
    }
    if (entry.kid !== undefined && entry.kid !== kid) {
      throw new KeyError(`JWKS key ${i}: kid ${JSON.stringify(entry.kid)} is not its RFC 7638 thumbprint ${kid}`);
    }
    if (entry.alg !== undefined && entry.alg !== 'EdDSA') throw new KeyError(`JWKS key ${i}: alg must be EdDSA`);
    // Only the public members (x checked by jwkThumbprint) are imported: a stray "d" must not make a published key private.
    // Built from the raw bytes of x (checked by jwkThumbprint), not through jose's importJWK: the same key, and
    // a browser bundle of this library can then hold the raw key its Ed25519 needs.
    if (!map.has(kid)) map.set(kid, ed25519PublicKeyFromRaw(b64urlDecodeStrict(entry.x as string) as Buffer));
  }
  return map;
}
