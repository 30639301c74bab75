import type { ThrottlerStorage } from '@nestjs/throttler';

/** The throttler's storage record (hits, seconds to expiry, blocked), which its index does not export. */
export type ThrottlerStorageRecord = Awaited<ReturnType<ThrottlerStorage['increment']>>;

/**
 * Where rate-limit counters live: this process's memory, or Redis so several instances share them.
 * It is @nestjs/throttler's storage contract (fixed windows: a key is blocked while its window holds
 * more than `limit` hits), so the per-user ThrottlerGuard and the per-IP hook count in one place.
 */
export interface RateLimitStore extends ThrottlerStorage {
  close(): Promise<void>;
}

/** The throttler record for a window that holds `totalHits` and resets in `resetInMs`. */
export function windowRecord(totalHits: number, resetInMs: number, limit: number): ThrottlerStorageRecord {
  const timeToExpire = Math.max(0, Math.ceil(resetInMs / 1000));
  const isBlocked = totalHits > limit;
  return { totalHits, timeToExpire, isBlocked, timeToBlockExpire: isBlocked ? timeToExpire : 0 };
}
