import * as crypto from 'node:crypto';
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';

type OneShotHash = (algorithm: string, data: crypto.BinaryLike, outputEncoding: 'hex') => string;

/** A detached-JWS-shaped Ed25519 signing input (b64url header "." 64 hex), as verify-store checks per event. */
function signedSample(): { key: crypto.KeyObject; message: Buffer; signature: Buffer } {
  const { privateKey, publicKey } = crypto.generateKeyPairSync('ed25519');
  const header = Buffer.from(JSON.stringify({ alg: 'EdDSA', b64: false, crit: ['b64'], kid: 'x'.repeat(43) })).toString('base64url');
  const message = Buffer.from(`${header}.${crypto.randomBytes(32).toString('hex')}`, 'latin1');
  return { key: publicKey, message, signature: crypto.sign(null, message, privateKey) };
}

/** node:crypto Ed25519 verifies per second on this thread, over `seconds`. */
export function ed25519VerifyRate(seconds: number): number {
  const { key, message, signature } = signedSample();
  let n = 0;
  const start = performance.now();
  const end = start + seconds * 1000;
  let now = start;
  while (now < end) {
    for (let i = 0; i < 64; i++) if (crypto.verify(null, message, key, signature)) n++;
    now = performance.now();
  }
  return n / ((now - start) / 1000);
}

/** One-shot SHA-256 (crypto.hash) of a `bytes`-byte input per second on this thread. */
export function sha256Rate(seconds: number, bytes = 500): number {
  const hash = (crypto as unknown as { hash: OneShotHash }).hash;
  const input = crypto.randomBytes(bytes);
  let n = 0;
  const start = performance.now();
  const end = start + seconds * 1000;
  let now = start;
  while (now < end) {
    for (let i = 0; i < 1024; i++) {
      input[0] = i;
      hash('sha256', input, 'hex');
    }
    n += 1024;
    now = performance.now();
  }
  return n / ((now - start) / 1000);
}

/** Ed25519 verifies per second summed over `threads` worker threads running at once (the rate `threads` cores give). */
export async function parallelEd25519VerifyRate(threads: number, seconds: number): Promise<number> {
  const rates = await Promise.all(
    Array.from(
      { length: threads },
      () =>
        new Promise<number>((resolve, reject) => {
          const worker = new Worker(join(__dirname, 'raw-rate.worker.js'), { workerData: { seconds } });
          worker.once('message', (rate: number) => resolve(rate));
          worker.once('error', reject);
        }),
    ),
  );
  return rates.reduce((a, b) => a + b, 0);
}
