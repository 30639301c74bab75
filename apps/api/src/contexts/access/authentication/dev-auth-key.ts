import { createPrivateKey, createPublicKey, generateKeyPairSync, type KeyObject } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';

export interface DevAuthKey {
  file: string;
  privateKey: KeyObject;
  /** SPKI PEM, passed to Clerk's verifyToken as `jwtKey` exactly like CLERK_JWT_KEY. */
  publicKeyPem: string;
  /** True when this call created the file. */
  generated: boolean;
}

/** Where dev auth keeps its RS256 key pair. */
export function devAuthKeyFile(dataDir: string): string {
  return path.resolve(dataDir, 'keys', 'dev-auth.pem');
}

/**
 * Reads `<dataDir>/keys/dev-auth.pem`, or creates it (RSA-2048 PKCS#8, folder 0700, file 0600,
 * exclusive create so the API and the token CLI starting together agree on one key).
 */
export function loadOrCreateDevAuthKey(dataDir: string): DevAuthKey {
  const file = devAuthKeyFile(dataDir);
  let pem: string | undefined;
  let generated = false;
  try {
    pem = readFileSync(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
  }
  if (pem === undefined) {
    mkdirSync(path.dirname(file), { recursive: true, mode: 0o700 });
    const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048, publicExponent: 0x10001 });
    const fresh = privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
    try {
      writeFileSync(file, fresh, { mode: 0o600, flag: 'wx' });
      pem = fresh;
      generated = true;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      pem = readFileSync(file, 'utf8');
    }
  }
  const privateKey = createPrivateKey(pem);
  const publicKeyPem = createPublicKey(privateKey).export({ type: 'spki', format: 'pem' }).toString();
  return { file, privateKey, publicKeyPem, generated };
}
