import { median, summariseLatencies, summariseLogBuckets } from '../../../bench/http/latency';

describe('bench/http latency summaries', () => {
  it('takes the median of odd and even counts, and NaN of nothing', () => {
    expect(median([30, 10, 20])).toBe(20);
    expect(median([40, 10, 30, 20])).toBe(25);
    expect(median([])).toBeNaN();
  });

  it('nearest-rank percentiles of raw latencies', () => {
    const values = Array.from({ length: 200 }, (_, i) => 200 - i);
    expect(summariseLatencies(values)).toEqual({ count: 200, p50: 100, p99: 198, max: 200 });
    expect(summariseLatencies([])).toEqual({ count: 0, p50: 0, p99: 0, max: 0 });
  });

  it("reads closed-loop.lua's 1 % log buckets back within a bucket's width", () => {
    const bucketOf = (us: number) => Math.floor(Math.log(us) * 100);
    const buckets: Record<string, number> = { [bucketOf(2_000)]: 98, [bucketOf(50_000)]: 1, [bucketOf(400_000)]: 1 };
    const summary = summariseLogBuckets(buckets);
    expect(summary.count).toBe(100);
    const within1Percent = (ms: number, expected: number) => expect(Math.abs(ms / expected - 1)).toBeLessThan(0.01);
    within1Percent(summary.p50, 2);
    within1Percent(summary.p99, 50);
    within1Percent(summary.max, 400);
  });
});
