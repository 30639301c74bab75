import * as crypto from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { KeyError } from '../integrity.errors';
import type { Jwks } from './jwks';
import { Keyring } from './keyring';

/** A new Ed25519 private key as PKCS#8 PEM. */
export function generateEd25519Pem(): string {
  const { privateKey } = crypto.generateKeyPairSync('ed25519');
  return privateKey.export({ format: 'pem', type: 'pkcs8' }).toString();
}

/**
 * Reads the PEM at `file`, or creates it (parent folders 0700, file 0600, exclusive create so two
 * processes starting together end up with the same key) with a new Ed25519 key. `generated` tells the
 * caller to warn loudly: generated keys are for development only.
 */
export function loadOrCreateKeyFile(file: string): { pem: string; generated: boolean } {
  try {
    return { pem: fs.readFileSync(file, 'utf8'), generated: false };
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
  }
  fs.mkdirSync(path.dirname(file), { recursive: true, mode: 0o700 });
  const pem = generateEd25519Pem();
  try {
    fs.writeFileSync(file, pem, { mode: 0o600, flag: 'wx' });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') return { pem: fs.readFileSync(file, 'utf8'), generated: false };
    throw error;
  }
  return { pem, generated: true };
}

/** Reads a JWKS JSON file (RETIRED_KEYS_FILE). */
export function readJwksFile(file: string): Jwks {
  let parsed: unknown;
  try {
    parsed = JSON.parse(fs.readFileSync(file, 'utf8'));
  } catch (error) {
    throw new KeyError(`cannot read JWKS file ${file}: ${(error as Error).message}`);
  }
  if (typeof parsed !== 'object' || parsed === null || !Array.isArray((parsed as Jwks).keys)) {
    throw new KeyError(`JWKS file ${file} is not an object with a "keys" array`);
  }
  return parsed as Jwks;
}

/** A Keyring from SIGNING_KEY_FILE (must exist: call loadOrCreateKeyFile first in dev) and optional RETIRED_KEYS_FILE. */
export async function keyringFromFiles(files: { signingKeyFile: string; retiredKeysFile?: string }): Promise<Keyring> {
  let pem: string;
  try {
    pem = fs.readFileSync(files.signingKeyFile, 'utf8');
  } catch (error) {
    throw new KeyError(`cannot read signing key file ${files.signingKeyFile}: ${(error as Error).message}`);
  }
  return Keyring.create({ signingKey: pem, retired: files.retiredKeysFile ? readJwksFile(files.retiredKeysFile) : undefined });
}
