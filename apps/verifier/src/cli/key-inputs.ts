import { existsSync, readFileSync, statSync } from 'node:fs';
import { jwksKeyMap, parseVerifierKey, readJwksFile, type Jwks, type NoteVerifierKey } from '@ledgerline/integrity';
import { UsageError } from './usage-error';

/** Fails as a usage error naming the option unless `file` is an existing regular file. */
export function requireFile(file: string, option: string): void {
  try {
    if (!statSync(file).isFile()) throw new Error('not a regular file');
  } catch (error) {
    throw new UsageError(`${option} ${file}: ${describeFsError(error)}`);
  }
}

/** Reads a file the user named, or fails as a usage error that says which option named it. */
export function readInputFile(file: string, option: string): string {
  requireFile(file, option);
  try {
    return readFileSync(file, 'utf8');
  } catch (error) {
    throw new UsageError(`${option} ${file}: ${describeFsError(error)}`);
  }
}

function describeFsError(error: unknown): string {
  return (error as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : (error as Error).message;
}

/** A verifier key given as its text (`<name>+<id>+<key>`) or as a file holding it. */
export function readLogKey(value: string, option = '--log-key'): NoteVerifierKey {
  const text = existsSync(value) ? readInputFile(value, option).trim() : value.trim();
  try {
    return parseVerifierKey(text);
  } catch (error) {
    const hint = text.includes('+') ? '' : ' (and no such file)';
    throw new UsageError(`${option}: not a note verifier key${hint}: ${(error as Error).message}`);
  }
}

/** A JWKS file, checked here (every kid recomputed) so a bad key file is a usage error, not a verification failure. */
export async function readJwks(file: string, option = '--jwks'): Promise<Jwks> {
  readInputFile(file, option);
  try {
    const jwks = readJwksFile(file);
    await jwksKeyMap(jwks);
    return jwks;
  } catch (error) {
    throw new UsageError(`${option} ${file}: ${(error as Error).message}`);
  }
}
