/**
 * When the API's request thread stopped serving, over one measured run, from its own /metrics
 * (prom-client's default metrics, kept on that thread only): garbage-collection pauses by kind, and
 * the event loop's lag. A request that is ready waits out whatever turn of the loop or collection is
 * under way, so these say how much of a run's latency is waiting rather than work.
 */

/** One scrape: GC time and count by kind, cumulative since start; loop lag since the previous scrape (prom-client resets it). */
export interface PauseReading {
  gcSeconds: Record<string, number>;
  gcCount: Record<string, number>;
  /** Lag percentiles over the samples since the previous scrape: how late the loop's sampling timer ran (ms). */
  loopLagMs: { p50: number; p99: number; max: number };
}

export interface GcKindPauses {
  count: number;
  meanMs: number;
}

export interface RequestThreadPauses {
  /** Share of the run's wall time the request thread spent paused for collections (0–1). */
  gcPausedShare: number;
  /** By kind (minor, major, incremental, weakcb), those that ran. */
  gc: Record<string, GcKindPauses>;
  loopLagMs: PauseReading['loopLagMs'];
}

const PREFIX = 'ledgerline_nodejs_';
const METRIC_LINE = new RegExp(`^${PREFIX}(\\w+?)(?:\\{([^}]*)\\})? (\\S+)$`);
/**
 * prom-client's default sampling interval for the loop (metrics.registry.ts leaves it at that): Node's
 * delay histogram records the time between those timer runs, so an idle loop reads this much.
 */
const LOOP_SAMPLING_MS = 10;
const lagMs = (seconds: number) => Math.max(0, seconds * 1e3 - LOOP_SAMPLING_MS);

/** Reads the metrics GET /metrics answers (Prometheus text) into a PauseReading. */
export function parsePauses(text: string): PauseReading {
  const reading: PauseReading = { gcSeconds: {}, gcCount: {}, loopLagMs: { p50: 0, p99: 0, max: 0 } };
  for (const line of text.split('\n')) {
    const match = METRIC_LINE.exec(line);
    if (!match) continue;
    const [, name, labels = '', raw] = match;
    const value = Number(raw);
    if (!Number.isFinite(value)) continue;
    const kind = /(?:^|,)kind="([a-z]+)"/.exec(labels)?.[1];
    if (name === 'gc_duration_seconds_sum' && kind) reading.gcSeconds[kind] = value;
    else if (name === 'gc_duration_seconds_count' && kind) reading.gcCount[kind] = value;
    else if (name === 'eventloop_lag_p50_seconds') reading.loopLagMs.p50 = lagMs(value);
    else if (name === 'eventloop_lag_p99_seconds') reading.loopLagMs.p99 = lagMs(value);
    else if (name === 'eventloop_lag_max_seconds') reading.loopLagMs.max = lagMs(value);
  }
  return reading;
}

/** The pauses between two readings taken `wallSeconds` apart; the loop lag is the later reading's own. */
export function pausesBetween(before: PauseReading, after: PauseReading, wallSeconds: number): RequestThreadPauses {
  const gc: Record<string, GcKindPauses> = {};
  let pausedSeconds = 0;
  for (const [kind, seconds] of Object.entries(after.gcSeconds)) {
    const spent = seconds - (before.gcSeconds[kind] ?? 0);
    const count = (after.gcCount[kind] ?? 0) - (before.gcCount[kind] ?? 0);
    if (count <= 0) continue;
    pausedSeconds += spent;
    gc[kind] = { count, meanMs: (spent * 1e3) / count };
  }
  return { gcPausedShare: wallSeconds > 0 ? pausedSeconds / wallSeconds : 0, gc, loopLagMs: after.loopLagMs };
}

/** Scrapes the API's /metrics; a reading without the default metrics (another server) is an error. */
export async function readPauses(baseUrl: string, metricsToken: string): Promise<PauseReading> {
  const response = await fetch(`${baseUrl}/metrics`, { headers: { authorization: `Bearer ${metricsToken}` } });
  const text = await response.text();
  if (response.status !== 200 || !text.includes(`${PREFIX}eventloop_lag_p99_seconds`)) {
    throw new Error(`GET /metrics answered ${response.status} without the request thread's event-loop metrics`);
  }
  return parsePauses(text);
}

const ms = (value: number) => (value >= 10 ? Math.round(value).toString() : value.toFixed(1));

/** "GC paused it 6.9 % of the run (minor 184 × 4.9 ms, major 2 × 18 ms); event-loop lag p50 1.7, p99 29, max 73 ms". */
export function formatPauses(pauses: RequestThreadPauses): string {
  const kinds = Object.entries(pauses.gc)
    .sort(([, a], [, b]) => b.count - a.count)
    .map(([kind, { count, meanMs }]) => `${kind} ${count} × ${ms(meanMs)} ms`)
    .join(', ');
  const { p50, p99, max } = pauses.loopLagMs;
  return `GC paused it ${(pauses.gcPausedShare * 100).toFixed(1)} % of the run${kinds ? ` (${kinds})` : ''}; event-loop lag p50 ${ms(p50)}, p99 ${ms(p99)}, max ${ms(max)} ms`;
}
