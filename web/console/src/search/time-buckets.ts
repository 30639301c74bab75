/** Events per hour or per day: what the chart above the list draws. */
export interface TimeBuckets {
  unit: 'hour' | 'day';
  /** Bucket start times (UTC, ms) from the first event's bucket to the last's, empty ones included. */
  starts: number[];
  counts: number[];
}

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
/** Up to two days of events are drawn per hour (≤ 48 bars), longer spans per day. */
const HOURLY_SPAN_LIMIT = 2 * DAY;
/** Bars beyond this are not drawn one by one (a range of years): buckets grow to fit. */
const MAX_BUCKETS = 400;

export function timeBuckets(times: readonly string[]): TimeBuckets {
  const ms = times.map((t) => Date.parse(t)).filter((t) => Number.isFinite(t));
  if (ms.length === 0) return { unit: 'hour', starts: [], counts: [] };
  const first = Math.min(...ms);
  const last = Math.max(...ms);
  const unit = last - first <= HOURLY_SPAN_LIMIT ? 'hour' : 'day';
  const width = unit === 'hour' ? HOUR : DAY * Math.max(1, Math.ceil((last - first) / DAY / MAX_BUCKETS));
  const origin = Math.floor(first / width) * width;
  const counts = new Array<number>(Math.floor((last - origin) / width) + 1).fill(0);
  for (const t of ms) counts[Math.floor((t - origin) / width)]++;
  return { unit, starts: counts.map((_, i) => origin + i * width), counts };
}
