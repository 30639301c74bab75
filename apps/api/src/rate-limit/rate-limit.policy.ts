import { SetMetadata } from '@nestjs/common';

/** A named limit: at most `limit` requests per `windowMs` for one key (user or client IP). */
export interface RateLimitPolicy {
  name: string;
  limit: number;
  windowMs: number;
}

export const RATE_LIMIT_METADATA = 'ledgerline:rate-limit';

/** Tighter (or looser) per-user limit on one route or controller, e.g. evidence exports. */
export const RateLimit = (policy: RateLimitPolicy): MethodDecorator & ClassDecorator => SetMetadata(RATE_LIMIT_METADATA, policy);

/** IETF RateLimit headers (draft-ietf-httpapi-ratelimit-headers): the policy and what is left of it. */
export function rateLimitHeaders(policy: RateLimitPolicy, count: number, resetInMs: number): Record<string, string> {
  const remaining = Math.max(0, policy.limit - count);
  const reset = Math.max(0, Math.ceil(resetInMs / 1000));
  return {
    'ratelimit-policy': `"${policy.name}";q=${policy.limit};w=${Math.round(policy.windowMs / 1000)}`,
    ratelimit: `"${policy.name}";r=${remaining};t=${reset}`,
  };
}
