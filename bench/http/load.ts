import type { LatencySummary } from './latency';

/** What every bench/http load generator is given. */
export interface LoadPlan {
  baseUrl: string;
  seconds: number;
  /** Connections (closed loop) or keep-alive sockets at most (open loop). */
  connections: number;
  /** Creates only, or 4 list reads then 1 create. */
  mix: 'create' | 'mixed';
  /** One bearer token a line; creates and reads each rotate through all of them. */
  tokensFile: string;
}

/** What every bench/http load generator reports (latencies in ms). */
export interface LoadResult {
  /** 2xx responses per second. */
  achieved: number;
  all: LatencySummary;
  read: LatencySummary;
  write: LatencySummary;
  statuses: Record<string, number>;
  /** The first body seen for each non-2xx status. */
  samples: Record<string, string>;
  /** Socket errors and timeouts by kind. */
  errors: Record<string, number>;
  /** The most creates any one user was sent (the free plan holds 10 documents). */
  maxDocumentsPerUser: number;
}
