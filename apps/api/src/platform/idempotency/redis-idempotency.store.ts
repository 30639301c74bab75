import Redis from 'ioredis';
import { randomUUID } from 'node:crypto';
import { outcomeFor, type BeginOutcome, type IdempotencyRecord, type IdempotencyStore, type StoredResponse } from './idempotency.store';

// Replace or delete the record only while it is still our pending claim (compare-and-set by value).
const COMPLETE_SCRIPT = `
local current = redis.call('GET', KEYS[1])
if current == false or current == ARGV[1] then
  redis.call('SET', KEYS[1], ARGV[2], 'PX', ARGV[3])
  return 1
end
return 0
`;
const RELEASE_SCRIPT = `
if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end
return 0
`;

/** Records shared by every instance through Redis (REDIS_URL); `SET NX` makes the claim atomic. */
export class RedisIdempotencyStore implements IdempotencyStore {
  private readonly redis: Redis;
  /** The pending value each lease wrote, so complete/release compare exactly what is stored. */
  private readonly pendingValues = new Map<string, string>();

  constructor(
    url: string,
    private readonly prefix = 'ledgerline:idempotency:',
  ) {
    this.redis = new Redis(url, { maxRetriesPerRequest: 2, enableOfflineQueue: true, lazyConnect: false });
  }

  async begin(key: string, fingerprint: string, leaseMs: number): Promise<BeginOutcome> {
    const lease = randomUUID();
    const pending = JSON.stringify({ state: 'pending', fingerprint, lease } satisfies IdempotencyRecord);
    // Two rounds at most: a record that expires between the failed SET and the GET is claimed again.
    for (let attempt = 0; attempt < 2; attempt++) {
      if ((await this.redis.set(this.prefix + key, pending, 'PX', leaseMs, 'NX')) === 'OK') {
        this.pendingValues.set(lease, pending);
        return { kind: 'started', lease };
      }
      const stored = await this.redis.get(this.prefix + key);
      if (stored !== null) return outcomeFor(JSON.parse(stored) as IdempotencyRecord, fingerprint);
    }
    return { kind: 'in-progress' };
  }

  async complete(key: string, lease: string, fingerprint: string, response: StoredResponse, ttlMs: number): Promise<void> {
    const pending = this.pendingValues.get(lease);
    this.pendingValues.delete(lease);
    if (pending === undefined) return;
    const done = JSON.stringify({ state: 'done', fingerprint, response } satisfies IdempotencyRecord);
    await this.redis.eval(COMPLETE_SCRIPT, 1, this.prefix + key, pending, done, String(ttlMs));
  }

  async release(key: string, lease: string): Promise<void> {
    const pending = this.pendingValues.get(lease);
    this.pendingValues.delete(lease);
    if (pending !== undefined) await this.redis.eval(RELEASE_SCRIPT, 1, this.prefix + key, pending);
  }

  async close(): Promise<void> {
    await this.redis.quit();
  }
}
