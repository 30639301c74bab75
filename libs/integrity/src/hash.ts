import * as crypto from 'node:crypto';

type OneShotHash = (algorithm: string, data: crypto.BinaryLike, outputEncoding: 'hex' | 'latin1') => string;

// crypto.hash (Node ≥ 20.12) is several times faster than createHash for small inputs. Its 'buffer'
// output is slow on Node 20, so digests come back as latin1 strings, which map byte-for-byte to a Buffer.
const oneShot: OneShotHash | undefined =
  typeof (crypto as { hash?: unknown }).hash === 'function' ? (crypto.hash as OneShotHash) : undefined;

/** SHA-256 of `data` (a string is hashed as UTF-8) as 64 lowercase hex characters. */
export function sha256Hex(data: Buffer | Uint8Array | string): string {
  if (oneShot) return oneShot('sha256', data, 'hex');
  return crypto.createHash('sha256').update(data).digest('hex');
}

/** SHA-256 of `data` (a string is hashed as UTF-8) as a 32-byte Buffer. */
export function sha256(data: Buffer | Uint8Array | string): Buffer {
  if (oneShot) return Buffer.from(oneShot('sha256', data, 'latin1'), 'latin1');
  return crypto.createHash('sha256').update(data).digest();
}

/** SHA-256 of `data` written as 32 bytes into `target` at `offset`: no Buffer per digest, for hot loops. */
export function sha256Into(data: Buffer | Uint8Array | string, target: Buffer, offset: number): void {
  if (oneShot) target.write(oneShot('sha256', data, 'latin1'), offset, 32, 'latin1');
  else crypto.createHash('sha256').update(data).digest().copy(target, offset);
}

const HEX64 = /^[0-9a-f]{64}$/;

/** True when `value` is 64 lowercase hex characters (the textual form of every hash in the envelope). */
export function isHashHex(value: unknown): value is string {
  return typeof value === 'string' && value.length === 64 && HEX64.test(value);
}
