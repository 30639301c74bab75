/** Sources blocked at once, by default: past it, the least recently seen go first. */
const DEFAULT_MAX_SOURCES = 100_000;

/**
 * Sources refused for the rest of a window after too many failed authentications. Bounded with LRU
 * eviction (expired blocks first, then the source least recently blocked or refused), so a flood of new
 * sources can only push out blocks nobody is using, never wipe the list: a blocked source that keeps
 * trying is refreshed by every refusal and stays blocked.
 */
export class AuthFailureBlockList {
  // Map iteration is insertion order; re-inserting on every hit makes it least-recently-used order.
  private readonly blockedUntil = new Map<string, number>();

  constructor(
    private readonly maxSources = DEFAULT_MAX_SOURCES,
    private readonly now: () => number = Date.now,
  ) {}

  get size(): number {
    return this.blockedUntil.size;
  }

  /** Milliseconds the source is still blocked for, or 0; a hit counts as a use for the LRU order. */
  remainingMs(source: string): number {
    const until = this.blockedUntil.get(source);
    if (until === undefined) return 0;
    this.blockedUntil.delete(source);
    const left = until - this.now();
    if (left <= 0) return 0;
    this.blockedUntil.set(source, until);
    return left;
  }

  block(source: string, forMs: number): void {
    this.blockedUntil.delete(source);
    this.blockedUntil.set(source, this.now() + forMs);
    if (this.blockedUntil.size > this.maxSources) this.evict();
  }

  private evict(): void {
    const now = this.now();
    for (const [source, until] of this.blockedUntil) {
      if (this.blockedUntil.size <= this.maxSources && until > now) break;
      this.blockedUntil.delete(source);
    }
  }
}
