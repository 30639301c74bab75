import type { RateLimitPolicy } from './rate-limit.policy';
import { rateLimitHeaders } from './rate-limit.policy';
import type { RateLimitStore } from './rate-limit.store';

export interface RateLimitDecision {
  allowed: boolean;
  headers: Record<string, string>;
  /** Seconds until the window resets (for Retry-After when refused). */
  retryAfterSeconds: number;
}

/**
 * Counts one request against a policy for a key in the throttler storage, and says whether it may
 * proceed: the per-IP hook and the per-user ThrottlerGuard both count through it.
 */
export class RateLimiter {
  constructor(private readonly store: RateLimitStore) {}

  async check(key: string, policy: RateLimitPolicy): Promise<RateLimitDecision> {
    const record = await this.store.increment(`${policy.name}:${key}`, policy.windowMs, policy.limit, policy.windowMs, policy.name);
    return {
      allowed: !record.isBlocked,
      headers: rateLimitHeaders(policy, record.totalHits, record.timeToExpire * 1000),
      retryAfterSeconds: Math.max(1, record.timeToBlockExpire),
    };
  }

  close(): Promise<void> {
    return this.store.close();
  }
}
