import { randomBytes, randomFillSync } from 'node:crypto';

/** Bytes drawn from the OS CSPRNG per refill: one native call serves hundreds of small draws. */
const POOL_BYTES = 8192;
/** Larger draws go to the CSPRNG directly. */
const LARGEST_POOLED = 256;

const pool = Buffer.alloc(POOL_BYTES);
let used = POOL_BYTES;

/**
 * `size` fresh bytes from the OS CSPRNG, for the small draws of every command (IVs, key ids, data
 * keys, event ids): a native call costs about as much as the draw itself at these sizes, so they are
 * served from a pool filled 8 KiB at a time (as Node does for randomUUID). Each caller gets a copy of
 * its own, and the pool's bytes are wiped as they are handed out, so no byte is ever given twice or
 * left behind in the pool.
 */
export function pooledRandomBytes(size: number): Buffer {
  if (!Number.isSafeInteger(size) || size < 0) throw new RangeError(`invalid random byte count: ${size}`);
  if (size > LARGEST_POOLED) return randomBytes(size);
  if (used + size > POOL_BYTES) {
    randomFillSync(pool);
    used = 0;
  }
  const out = Buffer.allocUnsafe(size);
  pool.copy(out, 0, used, used + size);
  pool.fill(0, used, used + size);
  used += size;
  return out;
}
