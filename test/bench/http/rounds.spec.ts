import { judgedP99, type Figures, type Scenario } from '../../../bench/http/report';
import { formatRoundsSummary, withinP99Limit, type RoundPair } from '../../../bench/http/rounds';

const none = { count: 0, p50: 0, p99: 0, max: 0 };

function figures(target: Figures['target'], achieved: number, p99: number, extra: Partial<Figures> = {}): Figures {
  const latency = { count: 1000, p50: p99 / 4, p99, max: p99 * 2 };
  return {
    scenario: 'create-open-1000',
    target,
    offered: 1000,
    achieved,
    all: latency,
    read: none,
    write: latency,
    statuses: { '201': 1000 },
    samples: {},
    errors: {},
    maxDocumentsPerUser: 1,
    unfinished: 0,
    peakRssMiB: target === 'ledgerline' ? 290 : 90,
    load: { before: [1], after: [1] },
    ...extra,
  };
}

const openCreates: Scenario = { key: 'create-open-1000', label: 'create, open loop 1000/s', loop: 'open', mix: 'create', rate: 1000 };
const closedCreates: Scenario = { key: 'create-closed', label: 'create, closed loop (64 conn)', loop: 'closed', mix: 'create' };
const openMix: Scenario = { key: 'mixed-open-2000', label: 'mixed 4 reads : 1 create, open loop 2000/s', loop: 'open', mix: 'mixed', rate: 2000 };
const lag: Scenario = { key: 'lag-1000', label: 'projection lag, creates open loop 1000/s', loop: 'open', mix: 'create', rate: 1000, lag: true };

describe('bench/http rounds', () => {
  it('judges creates by every request, a mix by its creates and reads, the lag scenario by its lag', () => {
    const mixed = figures('ledgerline', 2000, 40, { read: { count: 4000, p50: 5, p99: 60, max: 90 } });
    expect(judgedP99(openCreates, figures('ledgerline', 1000, 33))).toBe(33);
    expect(judgedP99(openMix, mixed)).toBe(40);
    expect(withinP99Limit(openMix, mixed, 50)).toBe(false); // the reads' 60 ms break it
    const lagged = figures('ledgerline', 1000, 80, { lag: { count: 100, p50: 10, p99: 120, max: 150, unseen: 0 } });
    expect(judgedP99(lag, lagged)).toBe(120);
    expect(withinP99Limit(lag, lagged, 250)).toBe(true);
  });

  it('prints nothing for a single round', () => {
    expect(formatRoundsSummary(openCreates, [{ ledgerline: figures('ledgerline', 1000, 30), baseline: figures('baseline', 1000, 3) }], 50)).toEqual([]);
  });

  it('prints the median round with its range, the ratio within each round, and the rounds within the limit', () => {
    const rounds: RoundPair[] = [
      { ledgerline: figures('ledgerline', 1000, 84.8), baseline: figures('baseline', 1000, 3.6) },
      { ledgerline: figures('ledgerline', 999, 38.9), baseline: figures('baseline', 1000, 3.3) },
      { ledgerline: figures('ledgerline', 1000, 26.5), baseline: figures('baseline', 1000, 3.1) },
    ];
    const [summary, ratios, limit] = formatRoundsSummary(openCreates, rounds, 50);
    expect(summary).toBe(
      'create, open loop 1000/s, median of 3 rounds (min–max): ledgerline 1,000 (999–1,000)/s, p99 38.9 (26.5–84.8) ms, peak 290 MiB | baseline 1,000 (1,000–1,000)/s, p99 3.3 (3.1–3.6) ms, peak 90 MiB',
    );
    expect(ratios).toBe('  achieved ×1.00 (rounds ×1.00, ×1.00, ×1.00)');
    expect(limit).toBe("  ledgerline's p99 ≤ 50 ms in 2 of 3 rounds");
  });

  it('takes each ratio within its round, so a slow minute for both targets does not move it', () => {
    const rounds: RoundPair[] = [
      { ledgerline: figures('ledgerline', 2000, 50), baseline: figures('baseline', 4000, 100) },
      { ledgerline: figures('ledgerline', 1500, 60), baseline: figures('baseline', 3000, 120) },
    ];
    const [, ratios, limit] = formatRoundsSummary(closedCreates, rounds);
    expect(ratios).toBe('  achieved ×0.50 (rounds ×0.50, ×0.50)');
    expect(limit).toBeUndefined();
  });

  it("prints a mix's read p99 beside its creates' and counts only rounds where both held", () => {
    const mixed = (create: number, read: number) => figures('ledgerline', 2000, create, { read: { count: 8000, p50: 2, p99: read, max: read * 2 } });
    const baseline = figures('baseline', 2000, 4, { read: { count: 8000, p50: 1, p99: 3.8, max: 9 } });
    const [summary, , limit] = formatRoundsSummary(openMix, [{ ledgerline: mixed(42, 24), baseline }, { ledgerline: mixed(34, 16), baseline }, { ledgerline: mixed(74, 48), baseline }], 50);
    expect(summary).toContain('ledgerline 2,000 (2,000–2,000)/s, create p99 42 (34–74) ms, read p99 24 (16–48) ms');
    expect(limit).toBe("  ledgerline's read and create p99 ≤ 50 ms in 2 of 3 rounds");
  });
});
