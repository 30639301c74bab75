/** Latency figures in milliseconds. */
export interface LatencySummary {
  count: number;
  p50: number;
  p99: number;
  max: number;
}

/** The median of some numbers (the mean of the middle two for an even count); NaN for none. Every bench's one median. */
export function median(values: readonly number[]): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const middle = sorted.length >> 1;
  return sorted.length % 2 === 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
}

/** Nearest-rank percentiles of latencies in ms (any order); all zero when there are none. */
export function summariseLatencies(latenciesMs: readonly number[]): LatencySummary {
  if (latenciesMs.length === 0) return { count: 0, p50: 0, p99: 0, max: 0 };
  const sorted = Float64Array.from(latenciesMs).sort();
  const rank = (p: number) => sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))];
  return { count: sorted.length, p50: roundMs(rank(50)), p99: roundMs(rank(99)), max: roundMs(sorted[sorted.length - 1]) };
}

/**
 * closed-loop.lua's histograms: key b counts latencies in [e^(b/100), e^((b+1)/100)) µs, i.e. 1 %
 * wide buckets; each is read as its midpoint.
 */
export function summariseLogBuckets(buckets: Record<string, number>): LatencySummary {
  const entries = Object.entries(buckets)
    .map(([bucket, count]) => [Math.exp((Number(bucket) + 0.5) / 100) / 1000, count] as const)
    .sort((a, b) => a[0] - b[0]);
  const count = entries.reduce((sum, [, n]) => sum + n, 0);
  if (count === 0) return { count: 0, p50: 0, p99: 0, max: 0 };
  const at = (p: number) => {
    const rank = Math.max(1, Math.ceil((p / 100) * count));
    let seen = 0;
    for (const [ms, n] of entries) {
      seen += n;
      if (seen >= rank) return roundMs(ms);
    }
    return roundMs(entries[entries.length - 1][0]);
  };
  return { count, p50: at(50), p99: at(99), max: roundMs(entries[entries.length - 1][0]) };
}

/** Two decimals under 100 ms, whole ms above. */
export function roundMs(ms: number): number {
  return ms >= 100 ? Math.round(ms) : Math.round(ms * 100) / 100;
}
