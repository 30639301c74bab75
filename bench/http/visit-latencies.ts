import { summariseLatencies, type LatencySummary } from './latency';

/**
 * Open-loop latencies split by the user's visit: a user's first request in the run meets a server
 * that has not seen their session token (Clerk's verification), data key or quota stream; every later
 * one does not. With N users at R requests/s the first N / R seconds are all first requests, so the
 * split (and p99 per second) shows which of the two a run's tail comes from.
 */
export interface VisitSplit {
  firstVisit: LatencySummary;
  laterVisits: LatencySummary;
  /** p99 (ms) of the requests scheduled in each second after the start; 0 for a second without any. */
  p99PerSecond: number[];
}

export class VisitLatencies {
  private readonly seen: Uint8Array;
  private readonly first: number[] = [];
  private readonly later: number[] = [];
  private readonly bySecond: number[][] = [];

  constructor(users: number) {
    this.seen = new Uint8Array(users);
  }

  /** Marks user `user` (their token's index) as sent to; true if this is their first request. */
  visit(user: number): boolean {
    const first = this.seen[user] === 0;
    this.seen[user] = 1;
    return first;
  }

  record(firstVisit: boolean, scheduledNs: number, latencyMs: number): void {
    (firstVisit ? this.first : this.later).push(latencyMs);
    const second = Math.floor(scheduledNs / 1e9);
    while (this.bySecond.length <= second) this.bySecond.push([]);
    this.bySecond[second].push(latencyMs);
  }

  summary(): VisitSplit {
    return {
      firstVisit: summariseLatencies(this.first),
      laterVisits: summariseLatencies(this.later),
      p99PerSecond: this.bySecond.map((latencies) => summariseLatencies(latencies).p99),
    };
  }
}
