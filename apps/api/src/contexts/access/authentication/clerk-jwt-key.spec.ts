import { ConfigError } from '@ledgerline/config';
import { generateKeyPairSync } from 'node:crypto';
import { rsaKeyPair } from '../../../../../../test/security/support/token-forge';
import { clerkJwtKeyPem } from './clerk-jwt-key';

describe('clerkJwtKeyPem', () => {
  const { publicKeyPem } = rsaKeyPair();

  it.each([
    ['as shown by Clerk', publicKeyPem],
    ['on one line', publicKeyPem.replace(/\n/g, '')],
    ['with literal \\n', publicKeyPem.replace(/\n/g, '\\n')],
    ['with CRLF and indentation', publicKeyPem.replace(/\n/g, '\r\n  ')],
  ])('accepts the PEM %s and normalises it', (_what, raw) => {
    expect(clerkJwtKeyPem(raw)).toBe(publicKeyPem);
  });

  it.each([
    ['garbage', 'not a key'],
    ['a 4096-bit RSA key', rsaKeyPair(4096).publicKeyPem],
    ['an EC key', generateKeyPairSync('ec', { namedCurve: 'P-256' }).publicKey.export({ type: 'spki', format: 'pem' }).toString()],
    ['a private key', rsaKeyPair().privateKey.export({ type: 'pkcs8', format: 'pem' }).toString()],
  ])('refuses %s, naming CLERK_JWT_KEY without echoing it', (_what, raw) => {
    let caught: unknown;
    try {
      clerkJwtKeyPem(raw);
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(ConfigError);
    expect((caught as ConfigError).variable).toBe('CLERK_JWT_KEY');
    expect((caught as Error).message).toMatch(/^CLERK_JWT_KEY: (is not a PEM public key|must be an RSA-2048 public key)/);
  });
});
