import { createHash, createPublicKey, randomBytes, sign, type KeyObject } from 'node:crypto';

export interface DevTokenOptions {
  userId: string;
  azp: string;
  ttlSeconds: number;
  /** Minutes since the second factor, or null for none (`fva[1] = -1`). */
  secondFactorAgeMinutes: number | null;
  sessionId?: string;
  org?: string;
  /** Issue time in ms (tests); defaults to now. */
  now?: number;
}

export const DEV_ISSUER = 'urn:ledgerline:dev-auth';

/**
 * Mints an RS256 session token with Clerk's v2 claim shape
 * (`v, sub, sid, azp, fva, iat, nbf, exp, sts`), signed with the dev auth key.
 */
export function mintDevToken(privateKey: KeyObject, options: DevTokenOptions): string {
  const iat = Math.floor((options.now ?? Date.now()) / 1000);
  const secondFactor = options.secondFactorAgeMinutes;
  const claims = {
    v: 2,
    iss: DEV_ISSUER,
    sub: options.userId,
    sid: options.sessionId ?? `sess_dev${randomSuffix()}`,
    azp: options.azp,
    fva: [secondFactor ?? 0, secondFactor ?? -1],
    ...(options.org !== undefined ? { o: { id: options.org } } : {}),
    iat,
    // Clerk backdates nbf by its allowed clock skew; so do we.
    nbf: iat - 5,
    exp: iat + options.ttlSeconds,
    sts: 'active',
  };
  const header = { alg: 'RS256', typ: 'JWT', kid: `dev_${keyThumbprint(privateKey).slice(0, 16)}` };
  const input = `${b64url(header)}.${b64url(claims)}`;
  return `${input}.${sign('sha256', Buffer.from(input), privateKey).toString('base64url')}`;
}

function b64url(value: object): string {
  return Buffer.from(JSON.stringify(value)).toString('base64url');
}

function randomSuffix(): string {
  return randomBytes(18).toString('base64url').replace(/[-_]/g, 'x');
}

/** RFC 7638 thumbprint of the RSA public key (only used as a stable, non-secret kid). */
function keyThumbprint(privateKey: KeyObject): string {
  const jwk = createPublicKey(privateKey).export({ format: 'jwk' });
  return createHash('sha256').update(JSON.stringify({ e: jwk.e, kty: jwk.kty, n: jwk.n })).digest('base64url');
}
