import type { SecurityCategory, SecurityIncident, SecurityObservation } from './security-incident';

export interface AggregatorOptions {
  /** One incident per (source, reason) per window. */
  windowMs?: number;
  /** Distinct (source, reason) buckets held at once; more collapse into one overflow bucket per window. */
  maxKeys?: number;
  /** Distinct routes and users kept per bucket as samples. */
  maxSamples?: number;
  clock?: () => number;
}

interface Bucket {
  windowStart: number;
  category: SecurityCategory;
  reason: string;
  source: string;
  count: number;
  firstSeen: number;
  lastSeen: number;
  routes: Set<string>;
  users: Set<string>;
}

export const OVERFLOW_SOURCE = 'other';
export const OVERFLOW_REASON = 'overflow';
const MAX_TEXT = 200;

/**
 * Counts security observations in memory so a flood becomes a bounded number of incidents: at most
 * one per (source, reason) per window, and at most `maxKeys` (+1 overflow) buckets in memory.
 */
export class SecurityIncidentAggregator {
  private readonly buckets = new Map<string, Bucket>();
  private readonly windowMs: number;
  private readonly maxKeys: number;
  private readonly maxSamples: number;
  private readonly clock: () => number;

  constructor(options: AggregatorOptions = {}) {
    this.windowMs = options.windowMs ?? 60_000;
    this.maxKeys = options.maxKeys ?? 1_000;
    this.maxSamples = options.maxSamples ?? 5;
    this.clock = options.clock ?? Date.now;
  }

  get size(): number {
    return this.buckets.size;
  }

  /** Counts one observation; returns true when it opened a new bucket (callers log those, not every hit). */
  add(observation: SecurityObservation): boolean {
    const now = this.clock();
    const windowStart = now - (now % this.windowMs);
    const reason = clip(observation.reason);
    const source = clip(observation.source);
    let key = `${windowStart}|${source}|${reason}`;
    let bucket = this.buckets.get(key);
    let opened = false;
    if (bucket === undefined) {
      const overflow = this.buckets.size >= this.maxKeys;
      if (overflow) key = `${windowStart}|${OVERFLOW_SOURCE}|${OVERFLOW_REASON}`;
      bucket = this.buckets.get(key);
      if (bucket === undefined) {
        bucket = {
          windowStart,
          category: overflow ? 'other' : observation.category,
          reason: overflow ? OVERFLOW_REASON : reason,
          source: overflow ? OVERFLOW_SOURCE : source,
          count: 0,
          firstSeen: now,
          lastSeen: now,
          routes: new Set(),
          users: new Set(),
        };
        this.buckets.set(key, bucket);
        opened = true;
      }
    }
    bucket.count += 1;
    bucket.lastSeen = now;
    this.sample(bucket.routes, observation.route);
    this.sample(bucket.users, observation.userId);
    return opened;
  }

  /** Removes and returns the buckets whose window has closed, or every bucket when `all` (shutdown). */
  drain(all = false): SecurityIncident[] {
    const now = this.clock();
    const out: SecurityIncident[] = [];
    for (const [key, bucket] of this.buckets) {
      if (!all && bucket.windowStart + this.windowMs > now) continue;
      this.buckets.delete(key);
      out.push(this.incident(bucket));
    }
    return out;
  }

  private sample(samples: Set<string>, value: string | undefined): void {
    if (value !== undefined && samples.size < this.maxSamples) samples.add(clip(value));
  }

  private incident(bucket: Bucket): SecurityIncident {
    return {
      category: bucket.category,
      reason: bucket.reason,
      source: bucket.source,
      count: bucket.count,
      windowStart: new Date(bucket.windowStart).toISOString(),
      windowEnd: new Date(bucket.windowStart + this.windowMs).toISOString(),
      firstSeen: new Date(bucket.firstSeen).toISOString(),
      lastSeen: new Date(bucket.lastSeen).toISOString(),
      routes: [...bucket.routes],
      users: [...bucket.users],
    };
  }
}

function clip(text: string): string {
  return text.length > MAX_TEXT ? text.slice(0, MAX_TEXT) : text;
}
