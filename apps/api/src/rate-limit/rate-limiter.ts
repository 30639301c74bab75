import type { RateLimitPolicy } from './rate-limit.policy';
import { rateLimitHeaders } from './rate-limit.policy';
import type { RateLimitStore } from './rate-limit.store';

export interface RateLimitDecision {
  allowed: boolean;
  headers: Record<string, string>;
  /** Seconds until the window resets (for Retry-After when refused). */
  retryAfterSeconds: number;
}

/** Counts one request against a policy for a key, and says whether it may proceed (the per-IP hook's limiter). */
export class RateLimiter {
  constructor(readonly store: RateLimitStore) {}

  async check(key: string, policy: RateLimitPolicy): Promise<RateLimitDecision> {
    const record = await this.store.increment(`${policy.name}:${key}`, policy.windowMs, policy.limit, policy.windowMs, policy.name);
    return decisionOf(policy, record.totalHits, record.timeToExpire);
  }

  close(): Promise<void> {
    return this.store.close();
  }
}

/** What a window holding `totalHits`, resetting in `timeToExpireSeconds`, means for a request under `policy`. */
export function decisionOf(policy: RateLimitPolicy, totalHits: number, timeToExpireSeconds: number): RateLimitDecision {
  return {
    allowed: totalHits <= policy.limit,
    headers: rateLimitHeaders(policy, totalHits, timeToExpireSeconds * 1000),
    retryAfterSeconds: Math.max(1, timeToExpireSeconds),
  };
}
