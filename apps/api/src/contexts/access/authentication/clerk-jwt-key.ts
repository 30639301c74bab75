import { createPublicKey } from 'node:crypto';
import { ConfigError } from '@ledgerline/config';

/**
 * Normalises CLERK_JWT_KEY to a canonical SPKI PEM. Accepts the PEM as Clerk shows it, on one line,
 * or with literal `\n`. Refuses anything but an RSA-2048 key with exponent 65537: Clerk's networkless
 * loader only understands that shape and would otherwise reject every token without saying why.
 */
export function clerkJwtKeyPem(raw: string): string {
  const body = raw
    .replace(/\\n/g, '\n')
    .replace(/-----(BEGIN|END) PUBLIC KEY-----/g, '')
    .replace(/\s+/g, '');
  let key;
  try {
    if (!/^[A-Za-z0-9+/]+={0,2}$/.test(body)) throw new Error('not base64');
    key = createPublicKey({ key: Buffer.from(body, 'base64'), format: 'der', type: 'spki' });
  } catch {
    throw new ConfigError('CLERK_JWT_KEY', 'is not a PEM public key');
  }
  const details = key.asymmetricKeyDetails;
  if (key.asymmetricKeyType !== 'rsa' || details?.modulusLength !== 2048 || details.publicExponent !== 0x10001n) {
    throw new ConfigError('CLERK_JWT_KEY', 'must be an RSA-2048 public key (the JWT public key from the Clerk dashboard)');
  }
  return key.export({ type: 'spki', format: 'pem' }).toString();
}
