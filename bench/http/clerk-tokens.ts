import { createPrivateKey, generateKeyPairSync, type KeyObject } from 'node:crypto';
import { mintDevToken } from '../../apps/api/src/contexts/access/authentication/dev-token';
import { AUTHORIZED_PARTY } from './targets';

export interface BenchClerkKey {
  privateKey: KeyObject;
  /** SPKI PEM, given to the API as CLERK_JWT_KEY. */
  publicKeyPem: string;
}

/** A fresh RS256-2048 key pair standing in for a Clerk instance's signing key. */
export function benchClerkKey(): BenchClerkKey {
  // Generated as PEM and imported again: Node 20 can deadlock when the generation job is garbage
  // collected while the very KeyObject it made is being exported as a JWK (mintDevToken's kid),
  // both locking that key's mutex — seen once here (main thread in KeyGenJob::~KeyGenJob under ExportJWK).
  const { privateKey, publicKey } = generateKeyPairSync('rsa', {
    modulusLength: 2048,
    publicExponent: 0x10001,
    privateKeyEncoding: { type: 'pkcs8', format: 'pem' },
    publicKeyEncoding: { type: 'spki', format: 'pem' },
  });
  return { privateKey: createPrivateKey(privateKey), publicKeyPem: publicKey };
}

/** The bench's user ids: Clerk-style, one per token. */
export function benchUserId(i: number): string {
  return `user_bench${String(i).padStart(5, '0')}`;
}

/**
 * One session token per user, valid for an hour. They are minted by the app's own Clerk-v2-shaped
 * minter (header alg RS256, kid, typ JWT; claims v, iss, sub, sid, azp, fva [0, -1], iat, nbf, exp,
 * sts "active"), signed with the bench's key: Clerk's networkless verifyToken checks the signature,
 * exp/nbf/iat and azp, not the issuer.
 */
export function sessionTokens(privateKey: KeyObject, users: number, now = Date.now()): string[] {
  return Array.from({ length: users }, (_, i) =>
    mintDevToken(privateKey, { userId: benchUserId(i), sessionId: `sess_bench${i}`, azp: AUTHORIZED_PARTY, ttlSeconds: 3600, secondFactorAgeMinutes: null, now }),
  );
}
