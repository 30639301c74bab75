import * as crypto from 'node:crypto';
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';

type OneShotHash = (algorithm: string, data: crypto.BinaryLike, outputEncoding: 'hex') => string;

/** Operations per second of wall time, and per second of CPU time (what the work costs, however busy the machine is). */
export interface Rate {
  perSecond: number;
  perCpuSecond: number;
}

/** A detached-JWS-shaped Ed25519 signing input (b64url header "." 64 hex), as verify-store checks per event. */
function signedSample(): { key: crypto.KeyObject; message: Buffer; signature: Buffer } {
  const { privateKey, publicKey } = crypto.generateKeyPairSync('ed25519');
  const header = Buffer.from(JSON.stringify({ alg: 'EdDSA', b64: false, crit: ['b64'], kid: 'x'.repeat(43) })).toString('base64url');
  const message = Buffer.from(`${header}.${crypto.randomBytes(32).toString('hex')}`, 'latin1');
  return { key: publicKey, message, signature: crypto.sign(null, message, privateKey) };
}

/** Runs `batch` (which does `size` operations) for `seconds` of wall time on this thread. */
function measure(seconds: number, size: number, batch: () => void): Rate & { count: number } {
  let n = 0;
  const cpu = process.cpuUsage();
  const start = performance.now();
  const end = start + seconds * 1000;
  let now = start;
  while (now < end) {
    batch();
    n += size;
    now = performance.now();
  }
  const used = process.cpuUsage(cpu);
  return { count: n, perSecond: n / ((now - start) / 1000), perCpuSecond: n / ((used.user + used.system) / 1e6) };
}

/** node:crypto Ed25519 verifies (KeyObject, one-shot crypto.verify) on this thread. */
export function ed25519VerifyRate(seconds: number): Rate & { count: number } {
  const { key, message, signature } = signedSample();
  return measure(seconds, 64, () => {
    for (let i = 0; i < 64; i++) if (!crypto.verify(null, message, key, signature)) throw new Error('sample does not verify');
  });
}

/** One-shot SHA-256 (crypto.hash) of a `bytes`-byte input on this thread. */
export function sha256Rate(seconds: number, bytes = 500): Rate {
  const hash = (crypto as unknown as { hash: OneShotHash }).hash;
  const input = crypto.randomBytes(bytes);
  return measure(seconds, 1024, () => {
    for (let i = 0; i < 1024; i++) {
      input[0] = i;
      hash('sha256', input, 'hex');
    }
  });
}

/**
 * Ed25519 verifies over `threads` worker threads running at once: the wall rate they reach together
 * (what `threads` cores give, as far as the machine lets them run), and verifies per CPU-second of the
 * whole process over the same time (cpuUsage counts every thread).
 */
export async function parallelEd25519VerifyRate(threads: number, seconds: number): Promise<Rate> {
  const cpu = process.cpuUsage();
  const results = await Promise.all(
    Array.from(
      { length: threads },
      () =>
        new Promise<{ count: number; rate: Rate }>((resolve, reject) => {
          const worker = new Worker(join(__dirname, 'raw-rate.worker.js'), { workerData: { seconds } });
          worker.once('message', (result: { count: number; rate: Rate }) => resolve(result));
          worker.once('error', reject);
        }),
    ),
  );
  const used = process.cpuUsage(cpu);
  const count = results.reduce((a, r) => a + r.count, 0);
  return { perSecond: results.reduce((a, r) => a + r.rate.perSecond, 0), perCpuSecond: count / ((used.user + used.system) / 1e6) };
}
