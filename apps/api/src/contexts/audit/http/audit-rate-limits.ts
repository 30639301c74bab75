import type { RateLimitPolicy } from '../../../platform/rate-limit/rate-limit.policy';

const MINUTE = 60_000;

/**
 * Per-officer limits, tighter than the default per-user one (SPEC §7.5): audit answers read across
 * every user's data, exports and whole-log checks are the most expensive requests the API serves.
 */
export const AUDIT_QUERY_LIMIT: RateLimitPolicy = { name: 'audit', limit: 120, windowMs: MINUTE };
export const AUDIT_STREAM_CHECK_LIMIT: RateLimitPolicy = { name: 'audit-stream-check', limit: 30, windowMs: MINUTE };
export const AUDIT_EXPORT_LIMIT: RateLimitPolicy = { name: 'audit-export', limit: 5, windowMs: MINUTE };
export const AUDIT_VERIFICATION_LIMIT: RateLimitPolicy = { name: 'audit-verification', limit: 5, windowMs: MINUTE };
