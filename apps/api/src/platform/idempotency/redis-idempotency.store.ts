import Redis from 'ioredis';
import { createHash, randomUUID } from 'node:crypto';
import {
  IDEMPOTENCY_RECORDS_PER_OWNER,
  outcomeFor,
  type BeginOutcome,
  type IdempotencyRecord,
  type IdempotencyStore,
  type StoredResponse,
} from './idempotency.store';

/*
 * A claim and its owner's share in one atomic step: SET NX the record, then add it to the owner's index
 * (a sorted set scored by the owner's claim counter, so claims in the same millisecond keep their order)
 * and drop that owner's oldest records past the share, so one caller's flood of new keys evicts only its
 * own records. Returns {1} when claimed, {0, stored record or ''} otherwise.
 * KEYS[1] record, KEYS[2] owner index, KEYS[3] owner claim counter; ARGV pending value, lease ms, share, index TTL ms.
 */
const BEGIN_SCRIPT = `
if redis.call('SET', KEYS[1], ARGV[1], 'PX', ARGV[2], 'NX') then
  redis.call('ZADD', KEYS[2], redis.call('INCR', KEYS[3]), KEYS[1])
  local over = redis.call('ZCARD', KEYS[2]) - tonumber(ARGV[3])
  if over > 0 then
    local oldest = redis.call('ZPOPMIN', KEYS[2], over)
    for i = 1, #oldest, 2 do redis.call('DEL', oldest[i]) end
  end
  redis.call('PEXPIRE', KEYS[2], ARGV[4])
  redis.call('PEXPIRE', KEYS[3], ARGV[4])
  return {1}
end
return {0, redis.call('GET', KEYS[1]) or ''}
`;
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
if redis.call('GET', KEYS[1]) == ARGV[1] then
  redis.call('ZREM', KEYS[2], KEYS[1])
  return redis.call('DEL', KEYS[1])
end
return 0
`;

/** An owner's index lives as long as the longest record it can list (the 24 h of a completed key). */
const OWNER_INDEX_TTL_MS = 24 * 3600 * 1000;

export interface RedisIdempotencyStoreOptions {
  prefix?: string;
  /** Most records one owner keeps; default IDEMPOTENCY_RECORDS_PER_OWNER. */
  maxEntriesPerOwner?: number;
}

/** Records shared by every instance through Redis (REDIS_URL); the claim and the owner's share are one script. */
export class RedisIdempotencyStore implements IdempotencyStore {
  private readonly redis: Redis;
  private readonly prefix: string;
  private readonly maxEntriesPerOwner: number;
  /** The pending value each lease wrote, so complete/release compare exactly what is stored. */
  private readonly pendingValues = new Map<string, string>();

  constructor(url: string, options: RedisIdempotencyStoreOptions = {}) {
    this.redis = new Redis(url, { maxRetriesPerRequest: 2, enableOfflineQueue: true, lazyConnect: false });
    this.prefix = options.prefix ?? 'ledgerline:idempotency:';
    this.maxEntriesPerOwner = options.maxEntriesPerOwner ?? IDEMPOTENCY_RECORDS_PER_OWNER;
  }

  async begin(owner: string, key: string, fingerprint: string, leaseMs: number): Promise<BeginOutcome> {
    const lease = randomUUID();
    const pending = JSON.stringify({ state: 'pending', fingerprint, lease } satisfies IdempotencyRecord);
    // Two rounds at most: a record that expires between the failed SET and the GET is claimed again.
    for (let attempt = 0; attempt < 2; attempt++) {
      const index = this.ownerIndex(owner);
      const [claimed, stored] = (await this.redis.eval(
        BEGIN_SCRIPT,
        3,
        this.prefix + key,
        index,
        `${index}:seq`,
        pending,
        String(leaseMs),
        String(this.maxEntriesPerOwner),
        String(OWNER_INDEX_TTL_MS),
      )) as [number, string?];
      if (claimed === 1) {
        this.pendingValues.set(lease, pending);
        return { kind: 'started', lease };
      }
      if (stored) return outcomeFor(JSON.parse(stored) as IdempotencyRecord, fingerprint);
    }
    return { kind: 'in-progress' };
  }

  async complete(_owner: string, key: string, lease: string, fingerprint: string, response: StoredResponse, ttlMs: number): Promise<void> {
    const pending = this.pendingValues.get(lease);
    this.pendingValues.delete(lease);
    if (pending === undefined) return;
    const done = JSON.stringify({ state: 'done', fingerprint, response } satisfies IdempotencyRecord);
    await this.redis.eval(COMPLETE_SCRIPT, 1, this.prefix + key, pending, done, String(ttlMs));
  }

  async release(owner: string, key: string, lease: string): Promise<void> {
    const pending = this.pendingValues.get(lease);
    this.pendingValues.delete(lease);
    if (pending !== undefined) await this.redis.eval(RELEASE_SCRIPT, 2, this.prefix + key, this.ownerIndex(owner), pending);
  }

  async close(): Promise<void> {
    await this.redis.quit();
  }

  /** Hashed like the record keys, so any user id makes a safe Redis key (and names no one). */
  private ownerIndex(owner: string): string {
    return `${this.prefix}owner:${createHash('sha256').update(owner).digest('base64url')}`;
  }
}
