import { VisitLatencies } from '../../../bench/http/visit-latencies';

describe('bench/http latencies by user visit', () => {
  it("counts each user's first request apart from their later ones", () => {
    const visits = new VisitLatencies(2);
    expect([visits.visit(0), visits.visit(1), visits.visit(0), visits.visit(1), visits.visit(1)]).toEqual([true, true, false, false, false]);
    visits.record(true, 0, 300);
    visits.record(true, 1e6, 200);
    visits.record(false, 2e6, 5);
    visits.record(false, 3e6, 7);
    visits.record(false, 4e6, 6);
    const { firstVisit, laterVisits } = visits.summary();
    expect(firstVisit).toEqual({ count: 2, p50: 200, p99: 300, max: 300 });
    expect(laterVisits).toEqual({ count: 3, p50: 6, p99: 7, max: 7 });
  });

  it('gives p99 per second of the schedule, 0 for a second without requests', () => {
    const visits = new VisitLatencies(1);
    visits.record(true, 0.2e9, 40);
    visits.record(false, 0.9e9, 10);
    visits.record(false, 2.5e9, 3);
    expect(visits.summary().p99PerSecond).toEqual([40, 0, 3]);
  });
});
