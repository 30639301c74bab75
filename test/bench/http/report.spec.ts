import { formatSummaryLines, type Figures, type Scenario } from '../../../bench/http/report';

const none = { count: 0, p50: 0, p99: 0, max: 0 };

function figures(target: Figures['target'], laterCount: number): Figures {
  const latency = { count: 2500, p50: 7, p99: 47, max: 86 };
  return {
    scenario: 'create-open-250',
    target,
    offered: 250,
    achieved: 250,
    all: latency,
    read: none,
    write: latency,
    statuses: { '201': 2500 },
    samples: {},
    errors: {},
    maxDocumentsPerUser: 1,
    unfinished: 0,
    visits: { firstVisit: latency, laterVisits: laterCount > 0 ? { count: laterCount, p50: 5, p99: 12, max: 20 } : none, p99PerSecond: [47] },
    peakRssMiB: 243,
    load: { before: [1], after: [1] },
  };
}

describe('bench/http summary line', () => {
  const scenario: Scenario = { key: 'create-open-250', label: 'create, open loop 250/s', loop: 'open', mix: 'create', rate: 250 };

  it("prints users' first and later requests' p99 apart, and 'none' for a run without later requests", () => {
    const [line] = formatSummaryLines(scenario, [figures('ledgerline', 0), figures('baseline', 100)]);
    expect(line).toContain("ledgerline 250/s p50 7 p99 47 max 86 ms (users' first requests p99 47 ms, later ones none)");
    expect(line).toContain("(users' first requests p99 47 ms, later ones p99 12 ms)");
  });

  it("prints the open-loop generator's own CPU per request, and nothing for a loop without it", () => {
    const [open] = formatSummaryLines(scenario, [{ ...figures('ledgerline', 0), generatorCpuUsPerRequest: 131 }, { ...figures('baseline', 0), generatorCpuUsPerRequest: 1_204 }]);
    expect(open).toContain('243 MiB, generator 131 µs CPU/request |');
    expect(open).toContain('243 MiB, generator 1,204 µs CPU/request |');
    const [closed] = formatSummaryLines({ ...scenario, loop: 'closed', rate: undefined }, [figures('ledgerline', 0), figures('baseline', 0)]);
    expect(closed).not.toContain('generator');
  });

  it("prints each target's CPU per request and their ratio, and no ratio when a target lacks it", () => {
    const [line] = formatSummaryLines(scenario, [{ ...figures('ledgerline', 0), serverCpuUsPerRequest: 1_612 }, { ...figures('baseline', 0), serverCpuUsPerRequest: 248 }]);
    expect(line).toContain('243 MiB, 1,612 µs CPU/request |');
    expect(line).toContain('243 MiB, 248 µs CPU/request |');
    expect(line).toMatch(/p99 ×1\.00, CPU\/request ×6\.50$/);
    const [without] = formatSummaryLines(scenario, [{ ...figures('ledgerline', 0), serverCpuUsPerRequest: 1_612 }, figures('baseline', 0)]);
    expect(without).not.toContain('CPU/request ×');
  });

  it('splits the CPU per request by thread when it was read', () => {
    const split = { mainThread: 712, nextBusiestThread: 455, otherThreads: 131 };
    const [line] = formatSummaryLines(scenario, [{ ...figures('ledgerline', 0), serverCpuUsPerRequest: 1_298, serverThreadCpuUsPerRequest: split }, figures('baseline', 0)]);
    expect(line).toContain('1,298 µs CPU/request (main thread 712, next busiest 455, others 131) |');
  });
});
