import { formatPauses, parsePauses, pausesBetween } from '../../../bench/http/request-thread-pauses';

/** Lines of GET /metrics as the API answers them (prom-client's default metrics on the request thread). */
const scrape = (minor: [number, number], major: [number, number], lag: { p50: number; p99: number; max: number }) => `
# HELP ledgerline_nodejs_eventloop_lag_max_seconds The maximum recorded event loop delay.
# TYPE ledgerline_nodejs_eventloop_lag_max_seconds gauge
ledgerline_nodejs_eventloop_lag_max_seconds ${lag.max}
ledgerline_nodejs_eventloop_lag_p50_seconds ${lag.p50}
ledgerline_nodejs_eventloop_lag_p90_seconds 0.02
ledgerline_nodejs_eventloop_lag_p99_seconds ${lag.p99}
# TYPE ledgerline_nodejs_gc_duration_seconds histogram
ledgerline_nodejs_gc_duration_seconds_bucket{le="0.01",kind="minor"} ${minor[1]}
ledgerline_nodejs_gc_duration_seconds_sum{kind="minor"} ${minor[0]}
ledgerline_nodejs_gc_duration_seconds_count{kind="minor"} ${minor[1]}
ledgerline_nodejs_gc_duration_seconds_sum{kind="major"} ${major[0]}
ledgerline_nodejs_gc_duration_seconds_count{kind="major"} ${major[1]}
ledgerline_projection_lag_events{projection="documents"} 3
`;

describe('request-thread pauses from /metrics', () => {
  it('reads GC time by kind and the loop lag, less the 10 ms the loop is sampled at', () => {
    const reading = parsePauses(scrape([0.5, 100], [0.04, 2], { p50: 0.0112, p99: 0.043, max: 0.0831 }));
    expect(reading.gcSeconds).toEqual({ minor: 0.5, major: 0.04 });
    expect(reading.gcCount).toEqual({ minor: 100, major: 2 });
    expect(reading.loopLagMs.p50).toBeCloseTo(1.2);
    expect(reading.loopLagMs.p99).toBeCloseTo(33);
    expect(reading.loopLagMs.max).toBeCloseTo(73.1);
    // An idle loop's timer can run a little early: no negative lag.
    expect(parsePauses(scrape([0, 0], [0, 0], { p50: 0.0091, p99: 0.0099, max: 0.0101 })).loopLagMs.p50).toBe(0);
  });

  it('takes the GC between two readings as a share of the run, and the later reading’s loop lag', () => {
    const before = parsePauses(scrape([0.5, 100], [0.04, 2], { p50: 0.5, p99: 0.5, max: 0.5 }));
    const after = parsePauses(scrape([1.4, 284], [0.076, 4], { p50: 0.0117, p99: 0.039, max: 0.083 }));
    const pauses = pausesBetween(before, after, 13);
    expect(pauses.gcPausedShare).toBeCloseTo((0.9 + 0.036) / 13);
    expect(pauses.gc.minor).toEqual({ count: 184, meanMs: expect.closeTo(4.89, 2) });
    expect(pauses.gc.major).toEqual({ count: 2, meanMs: expect.closeTo(18, 5) });
    expect(formatPauses(pauses)).toBe('GC paused it 7.2 % of the run (minor 184 × 4.9 ms, major 2 × 18 ms); event-loop lag p50 1.7, p99 29, max 73 ms');
  });

  it('leaves out kinds that did not run in between', () => {
    const reading = parsePauses(scrape([0.5, 100], [0.04, 2], { p50: 0.01, p99: 0.01, max: 0.01 }));
    expect(pausesBetween(reading, reading, 10)).toEqual({ gcPausedShare: 0, gc: {}, loopLagMs: { p50: 0, p99: 0, max: 0 } });
  });
});
