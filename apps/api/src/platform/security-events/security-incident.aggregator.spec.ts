import { OVERFLOW_REASON, OVERFLOW_SOURCE, SecurityIncidentAggregator } from './security-incident.aggregator';
import type { SecurityObservation } from './security-incident';

const T0 = Date.parse('2026-11-28T01:18:00.000Z');
const hit = (source: string, reason = 'token-expired', extra: Partial<SecurityObservation> = {}): SecurityObservation => ({
  category: 'authentication',
  reason,
  source,
  ...extra,
});

function aggregator(options: { maxKeys?: number } = {}) {
  let now = T0;
  const agg = new SecurityIncidentAggregator({ windowMs: 60_000, clock: () => now, ...options });
  return { agg, advance: (ms: number) => (now += ms) };
}

describe('SecurityIncidentAggregator', () => {
  it('counts a flood from one source for one reason as one incident per window', () => {
    const { agg, advance } = aggregator();
    expect(agg.add(hit('203.0.113.0/24'))).toBe(true);
    for (let i = 0; i < 9_999; i++) expect(agg.add(hit('203.0.113.0/24', 'token-expired', { route: 'GET /x' }))).toBe(false);
    expect(agg.drain()).toEqual([]); // window still open
    advance(60_000);
    const [incident, ...rest] = agg.drain();
    expect(rest).toEqual([]);
    expect(incident).toMatchObject({
      reason: 'token-expired',
      source: '203.0.113.0/24',
      count: 10_000,
      windowStart: '2026-11-28T01:18:00.000Z',
      windowEnd: '2026-11-28T01:19:00.000Z',
      routes: ['GET /x'],
    });
    expect(agg.size).toBe(0);
  });

  it('keeps sources, reasons and windows apart', () => {
    const { agg, advance } = aggregator();
    agg.add(hit('a'));
    agg.add(hit('b'));
    agg.add(hit('a', 'missing-role'));
    advance(60_000);
    agg.add(hit('a'));
    const closed = agg.drain();
    expect(closed.map((i) => `${i.source}/${i.reason}/${i.count}`).sort()).toEqual(['a/missing-role/1', 'a/token-expired/1', 'b/token-expired/1']);
    expect(agg.drain(true).map((i) => i.windowStart)).toEqual(['2026-11-28T01:19:00.000Z']);
  });

  it('bounds memory: distinct sources beyond the cap collapse into one overflow bucket', () => {
    const { agg } = aggregator({ maxKeys: 100 });
    for (let i = 0; i < 100_000; i++) agg.add(hit(`10.${i >> 16}.${(i >> 8) & 255}.${i & 255}`));
    expect(agg.size).toBe(101);
    const incidents = agg.drain(true);
    expect(incidents).toHaveLength(101);
    const overflow = incidents.find((i) => i.source === OVERFLOW_SOURCE);
    expect(overflow).toMatchObject({ reason: OVERFLOW_REASON, category: 'other', count: 100_000 - 100 });
    expect(incidents.reduce((sum, i) => sum + i.count, 0)).toBe(100_000);
  });

  it('keeps only a few samples and clips long texts', () => {
    const { agg } = aggregator();
    for (let i = 0; i < 50; i++) agg.add(hit('a', 'missing-role', { route: `GET /r${i}`, userId: `user_${i}` }));
    agg.add(hit('a', 'missing-role', { route: 'x'.repeat(5_000) }));
    const [incident] = agg.drain(true);
    expect(incident.routes).toHaveLength(5);
    expect(incident.users).toEqual(['user_0', 'user_1', 'user_2', 'user_3', 'user_4']);
    agg.add(hit('s'.repeat(1_000), 'r'.repeat(1_000)));
    const [long] = agg.drain(true);
    expect(long.source.length).toBe(200);
    expect(long.reason.length).toBe(200);
  });
});
