import { createHmac, generateKeyPairSync, sign, type KeyObject } from 'node:crypto';

/** Builds JWTs the way an attacker (or a test) would: any header, any claims, any key. */
export interface RsaKeyPair {
  privateKey: KeyObject;
  publicKeyPem: string;
}

export function rsaKeyPair(modulusLength = 2048): RsaKeyPair {
  const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength });
  return { privateKey, publicKeyPem: publicKey.export({ type: 'spki', format: 'pem' }).toString() };
}

export const b64url = (value: object | string): string =>
  Buffer.from(typeof value === 'string' ? value : JSON.stringify(value)).toString('base64url');

/** Clerk-v2-shaped claims for `sub`, valid for a minute from now unless overridden. */
export function sessionClaims(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  const now = Math.floor(Date.now() / 1000);
  return {
    v: 2,
    iss: 'https://clerk.example.test',
    sub: 'user_alice',
    sid: 'sess_alice1',
    azp: 'https://app.example.test',
    fva: [0, -1],
    iat: now,
    nbf: now - 5,
    exp: now + 60,
    sts: 'active',
    ...overrides,
  };
}

/** RS256 over header.payload with `key` (header overrides merge over `{alg:'RS256',typ:'JWT',kid}`). */
export function signRs256(key: KeyObject, claims: object, header: Record<string, unknown> = {}): string {
  const input = `${b64url({ alg: 'RS256', typ: 'JWT', kid: 'ins_test', ...header })}.${b64url(claims)}`;
  return `${input}.${sign('sha256', Buffer.from(input), key).toString('base64url')}`;
}

/** HS256 with an arbitrary secret (the classic alg-confusion attack uses the public key PEM). */
export function signHs256(secret: string, claims: object): string {
  const input = `${b64url({ alg: 'HS256', typ: 'JWT', kid: 'ins_test' })}.${b64url(claims)}`;
  return `${input}.${createHmac('sha256', secret).update(input).digest('base64url')}`;
}

/** `alg: none`, empty signature. */
export function unsigned(claims: object): string {
  return `${b64url({ alg: 'none', typ: 'JWT' })}.${b64url(claims)}.`;
}

/** Replaces the payload of a signed token, keeping its signature. */
export function withPayload(token: string, claims: object): string {
  const [header, , signature] = token.split('.');
  return `${header}.${b64url(claims)}.${signature}`;
}
