import type { RateLimitPolicy } from './rate-limit.policy';
import { rateLimitHeaders } from './rate-limit.policy';
import type { RateLimitStore } from './rate-limit.store';

export interface RateLimitDecision {
  allowed: boolean;
  headers: Record<string, string>;
  /** Seconds until the window resets (for Retry-After when refused). */
  retryAfterSeconds: number;
}

/** Counts one request against a policy for a key, and says whether it may proceed. */
export class RateLimiter {
  constructor(private readonly store: RateLimitStore) {}

  async check(key: string, policy: RateLimitPolicy): Promise<RateLimitDecision> {
    const { count, resetInMs } = await this.store.hit(`${policy.name}:${key}`, policy.windowMs);
    return {
      allowed: count <= policy.limit,
      headers: rateLimitHeaders(policy, count, resetInMs),
      retryAfterSeconds: Math.max(1, Math.ceil(resetInMs / 1000)),
    };
  }

  close(): Promise<void> {
    return this.store.close();
  }
}
