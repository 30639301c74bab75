import { applyDecorators, SetMetadata } from '@nestjs/common';
import { Throttle } from '@nestjs/throttler';

/** A named limit: at most `limit` requests per `windowMs` for one key (user or client IP). */
export interface RateLimitPolicy {
  name: string;
  limit: number;
  windowMs: number;
}

export const RATE_LIMIT_METADATA = 'ledgerline:rate-limit';

/** The @nestjs/throttler throttler that carries every per-user limit (UserRateLimit). */
export const USER_THROTTLER = 'user';

/**
 * Tighter (or looser) per-user limit on one route or controller, e.g. evidence exports: the
 * throttler's own limit and ttl for the `user` throttler, and the policy's name, which keys a
 * budget of its own (an export does not spend the general per-user budget, nor the reverse).
 */
export const RateLimit = (policy: RateLimitPolicy): MethodDecorator & ClassDecorator =>
  applyDecorators(SetMetadata(RATE_LIMIT_METADATA, policy), Throttle({ [USER_THROTTLER]: { limit: policy.limit, ttl: policy.windowMs } }));

/** IETF RateLimit headers (draft-ietf-httpapi-ratelimit-headers): the policy and what is left of it. */
export function rateLimitHeaders(policy: RateLimitPolicy, count: number, resetInMs: number): Record<string, string> {
  const remaining = Math.max(0, policy.limit - count);
  const reset = Math.max(0, Math.ceil(resetInMs / 1000));
  return {
    'ratelimit-policy': `"${policy.name}";q=${policy.limit};w=${Math.round(policy.windowMs / 1000)}`,
    ratelimit: `"${policy.name}";r=${remaining};t=${reset}`,
  };
}
