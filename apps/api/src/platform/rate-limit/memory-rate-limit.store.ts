import { windowRecord, type RateLimitStore, type ThrottlerStorageRecord } from './rate-limit.store';

const DEFAULT_MAX_KEYS = 100_000;

/** In-process counters, bounded: beyond `maxKeys` the oldest windows are forgotten (memory stays flat under a flood of sources). */
export class MemoryRateLimitStore implements RateLimitStore {
  private readonly windows = new Map<string, { count: number; resetAt: number }>();

  constructor(
    private readonly maxKeys = DEFAULT_MAX_KEYS,
    private readonly now: () => number = Date.now,
  ) {}

  async increment(key: string, windowMs: number, limit: number): Promise<ThrottlerStorageRecord> {
    const now = this.now();
    let window = this.windows.get(key);
    if (window === undefined || window.resetAt <= now) {
      this.windows.delete(key);
      window = { count: 0, resetAt: now + windowMs };
      this.windows.set(key, window);
      this.evict(now);
    }
    window.count += 1;
    return windowRecord(window.count, window.resetAt - now, limit);
  }

  get size(): number {
    return this.windows.size;
  }

  async close(): Promise<void> {
    this.windows.clear();
  }

  private evict(now: number): void {
    if (this.windows.size <= this.maxKeys) return;
    // Map iteration is insertion order, so the first entries are the oldest windows.
    for (const [key, window] of this.windows) {
      if (this.windows.size <= this.maxKeys && window.resetAt > now) break;
      this.windows.delete(key);
    }
  }
}
