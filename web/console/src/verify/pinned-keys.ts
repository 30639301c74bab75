import { jwkThumbprint, jwksKeyMap, parseVerifierKey, type Jwks } from '@ledgerline/integrity';
import type { PinnedKeys } from './verify-messages';

const STORAGE_KEY = 'ledgerline.console.pinned-keys';

/**
 * Checks pasted or loaded keys and keeps only their public members: each JWK reduced to kty, crv, x and
 * its recomputed kid (a private "d" is refused, not stored), and the log key re-read as a vkey line.
 */
export async function pinnableKeys(jwksText: string, logKeyText: string): Promise<PinnedKeys> {
  let parsed: unknown;
  try {
    parsed = JSON.parse(jwksText);
  } catch {
    throw new Error('The JWKS is not JSON: paste /.well-known/jwks.json as it is served');
  }
  const keys = (parsed as { keys?: unknown })?.keys;
  if (!Array.isArray(keys) || keys.length === 0) throw new Error('The JWKS holds no keys');
  if (keys.some((key) => typeof key === 'object' && key !== null && 'd' in key)) throw new Error('That JWKS holds a private key: pin public keys only');
  await jwksKeyMap(parsed); // every key Ed25519 and every stated kid its RFC 7638 thumbprint, or this throws
  const jwks: Jwks = { keys: [] };
  for (const key of keys as { x: string }[]) jwks.keys.push({ kty: 'OKP', crv: 'Ed25519', x: key.x, kid: await jwkThumbprint(key) });
  const logKey = parseVerifierKey(logKeyText.trim()).vkey;
  return { jwks, logKey };
}

/** Public keys only are ever written here (no token, no private key). */
export function storePinnedKeys(keys: PinnedKeys | undefined): void {
  if (keys) localStorage.setItem(STORAGE_KEY, JSON.stringify(keys));
  else localStorage.removeItem(STORAGE_KEY);
}

export function loadPinnedKeys(): PinnedKeys | undefined {
  const text = localStorage.getItem(STORAGE_KEY);
  if (!text) return undefined;
  try {
    const value = JSON.parse(text) as PinnedKeys;
    return Array.isArray(value.jwks?.keys) && typeof value.logKey === 'string' ? value : undefined;
  } catch {
    return undefined;
  }
}

/** "name+keyid" of the log key and the kids of the JWKS: what the page names when it reports a check. */
export function describeKeys(keys: PinnedKeys): { logKey: string; kids: string[] } {
  const [name, id] = keys.logKey.split('+');
  return { logKey: `${name} (key id ${id})`, kids: keys.jwks.keys.map((key) => key.kid ?? key.x) };
}
