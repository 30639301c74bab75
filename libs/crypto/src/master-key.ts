import { chmodSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { randomBytes } from 'node:crypto';
import { MasterKeyError } from './crypto.errors';

export interface LoadedMasterKey {
  key: Buffer;
  /** True when the file did not exist and a new key was written (callers warn loudly; production refuses). */
  generated: boolean;
}

const B64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;

/**
 * Reads the master key (32 bytes, standard base64) from `path`, or creates the file with a new
 * random key, mode 0600, when it does not exist. Errors name the path and the problem, never
 * the file's contents.
 */
export function loadOrCreateMasterKey(path: string): LoadedMasterKey {
  const existing = readKeyFile(path);
  if (existing) return { key: existing, generated: false };
  const key = randomBytes(32);
  try {
    mkdirSync(dirname(path), { recursive: true, mode: 0o700 });
    // 'wx': if another process created it meanwhile, use theirs rather than overwrite a key in use.
    writeFileSync(path, `${key.toString('base64')}\n`, { flag: 'wx', mode: 0o600 });
    chmodSync(path, 0o600); // the umask may only narrow the mode, but be explicit
    return { key, generated: true };
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'EEXIST') {
      const raced = readKeyFile(path);
      if (raced) return { key: raced, generated: false };
    }
    throw new MasterKeyError(path, `cannot create (${(err as NodeJS.ErrnoException).code ?? 'error'})`);
  }
}

/** Decodes an existing key file; undefined when the file does not exist. */
function readKeyFile(path: string): Buffer | undefined {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') return undefined;
    throw new MasterKeyError(path, `cannot read (${code ?? 'error'})`);
  }
  const trimmed = text.trim();
  if (!B64.test(trimmed)) throw new MasterKeyError(path, 'not standard base64 (expected 32 random bytes, base64-encoded)');
  const key = Buffer.from(trimmed, 'base64');
  if (key.length !== 32) throw new MasterKeyError(path, `decodes to ${key.length} bytes, expected exactly 32`);
  return key;
}
