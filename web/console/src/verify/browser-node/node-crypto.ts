// The subset of node:crypto that libs/integrity's verifying path uses, for its browser bundle (esbuild maps
// `node:crypto` here). SHA-256 and the few synchronous Ed25519 checks (checkpoint note, trailer) come from
// @noble; event signatures go through WebCrypto instead (webcrypto-ed25519.ts, BundleVerifier.verifySignature).
import { ed25519 } from '@noble/curves/ed25519.js';
import { sha256 } from '@noble/hashes/sha2.js';
import { Buffer } from './buffer';

type Data = Uint8Array | string;

const bytesOf = (data: Data): Uint8Array => (typeof data === 'string' ? Buffer.from(data, 'utf8') : data);

function output(digest: Uint8Array, encoding?: 'hex' | 'latin1' | 'buffer'): Buffer | string {
  const buf = Buffer.from(digest.buffer as ArrayBuffer, digest.byteOffset, digest.byteLength);
  return encoding === 'hex' || encoding === 'latin1' ? buf.toString(encoding) : buf;
}

function requireSha256(algorithm: string): void {
  if (algorithm !== 'sha256') throw new Error(`the console's crypto has SHA-256 only, not ${algorithm}`);
}

export function hash(algorithm: string, data: Data, encoding: 'hex' | 'latin1'): string {
  requireSha256(algorithm);
  return output(sha256(bytesOf(data)), encoding) as string;
}

export function createHash(algorithm: string) {
  requireSha256(algorithm);
  const state = sha256.create();
  const hasher = {
    update(data: Data) {
      state.update(bytesOf(data));
      return hasher;
    },
    digest(encoding?: 'hex' | 'latin1') {
      return output(state.digest(), encoding);
    },
  };
  return hasher;
}

/** A public Ed25519 key: its raw 32 bytes (all the verifiers here need). */
export class KeyObject {
  readonly type = 'public';
  readonly asymmetricKeyType = 'ed25519';
  constructor(readonly raw: Uint8Array) {}

  export(): { kty: 'OKP'; crv: 'Ed25519'; x: string } {
    return { kty: 'OKP', crv: 'Ed25519', x: Buffer.from(this.raw).toString('base64url') };
  }
}

export function createPublicKey(input: { key: { kty?: string; crv?: string; x?: string }; format: 'jwk' }): KeyObject {
  const { kty, crv, x } = input.key;
  if (input.format !== 'jwk' || kty !== 'OKP' || crv !== 'Ed25519' || typeof x !== 'string') throw new Error('the console takes Ed25519 public JWKs only');
  const raw = Buffer.from(x, 'base64url');
  if (raw.length !== 32) throw new Error('an Ed25519 public key is 32 bytes');
  return new KeyObject(raw);
}

/** Synchronous RFC 8032 verification (strict, as OpenSSL's: zip215 off). */
export function verify(algorithm: null, message: Uint8Array, key: KeyObject, signature: Uint8Array): boolean {
  if (algorithm !== null || !(key instanceof KeyObject)) throw new Error('the console verifies Ed25519 with a public key only');
  try {
    return ed25519.verify(signature, message, key.raw, { zip215: false });
  } catch {
    return false;
  }
}

export function sign(): never {
  throw new Error('the console never signs');
}

export function createPrivateKey(): never {
  throw new Error('the console holds no private key');
}

export function randomUUID(): string {
  return globalThis.crypto.randomUUID();
}

export function generateKeyPairSync(): never {
  throw new Error('the console makes no keys');
}
