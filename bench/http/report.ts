import type { LatencySummary } from './latency';
import type { LoadResult } from './load';
import { isSuccess } from './requests';
import type { LagResult } from './projection-lag';
import { formatPauses, type RequestThreadPauses } from './request-thread-pauses';
import type { TargetName, ThreadCpuSplit } from './targets';
import type { VisitSplit } from './visit-latencies';

export interface Scenario {
  key: string;
  label: string;
  loop: 'closed' | 'open';
  mix: 'create' | 'mixed';
  /** Offered requests/s (open loop). */
  rate?: number;
  lag?: boolean;
  /**
   * The measured users first make the warm-up load themselves (at least 5 s), so every measured create
   * is by a user the server has met: token verified, data key made, quota stream held. Set against the
   * same loop by new users, it shows what a user's first request costs.
   */
  returning?: boolean;
}

/** One target's figures for one scenario (latencies in ms). */
export interface Figures extends LoadResult {
  scenario: string;
  target: TargetName;
  offered: number | null;
  lag?: LagResult;
  /** Open loop: requests scheduled. */
  sent?: number;
  /** Open loop: 2xx answers in each second after the start. */
  okPerSecond?: number[];
  /** Open loop: users' first requests against their later ones. */
  visits?: VisitSplit;
  /** Open loop: requests still unanswered when the drain time ran out. */
  unfinished: number;
  /** The open-loop generator's own lateness (p99, ms). */
  sendLagP99?: number;
  /** The open-loop generator's own CPU per request sent (µs). */
  generatorCpuUsPerRequest?: number;
  /** The target's CPU, all its threads, over the measured run, per request it answered (µs). */
  serverCpuUsPerRequest?: number;
  /** The same by thread: main (request) thread, next busiest (worker thread), the rest (µs). */
  serverThreadCpuUsPerRequest?: ThreadCpuSplit;
  /** Ledgerline: when its request thread was paused (GC) or late (event-loop lag) over the measured run. */
  requestThreadPauses?: RequestThreadPauses;
  peakRssMiB: number;
  load: { before: number[]; after: number[] };
  /** With --rounds N: which run of the scenario this was, from 1. */
  round?: number;
}

const n = (value: number) => Math.round(value).toLocaleString('en-US');

function ratio(a: number, b: number): string {
  return Number.isFinite(a) && b > 0 ? `×${(a / b).toFixed(2)}` : '×–';
}

/** The latency a scenario is judged on: projection lag, a mix's creates, or every request. */
export function judgedP99(scenario: Scenario, f: Figures): number {
  if (scenario.lag) return f.lag?.p99 ?? Number.NaN;
  return scenario.mix === 'mixed' ? f.write.p99 : f.all.p99;
}

/** "p99 N ms", or "none" for an empty set (a run shorter than one pass over the users has no later requests). */
function p99Of(latencies: LatencySummary): string {
  return latencies.count > 0 ? `p99 ${latencies.p99} ms` : 'none';
}

function describe(scenario: Scenario, f: Figures): string {
  const latency = scenario.mix === 'mixed' ? `read p99 ${f.read.p99} ms, write p99 ${f.write.p99} ms` : `p50 ${f.all.p50} p99 ${f.all.p99} max ${f.all.max} ms`;
  const lag = f.lag ? `, lag p50 ${f.lag.p50} p99 ${f.lag.p99} max ${f.lag.max} ms` : '';
  const visits = f.visits ? ` (users' first requests ${p99Of(f.visits.firstVisit)}, later ones ${p99Of(f.visits.laterVisits)})` : '';
  const failed = Object.entries(f.statuses).reduce((sum, [status, count]) => sum + (isSuccess(status) ? 0 : count), 0);
  const errors = Object.values(f.errors).reduce((sum, count) => sum + count, 0) + f.unfinished;
  const threads = f.serverThreadCpuUsPerRequest;
  const split = threads === undefined ? '' : ` (main thread ${n(threads.mainThread)}, next busiest ${n(threads.nextBusiestThread)}, others ${n(threads.otherThreads)})`;
  const server = f.serverCpuUsPerRequest === undefined ? '' : `, ${n(f.serverCpuUsPerRequest)} µs CPU/request${split}`;
  const generator = f.generatorCpuUsPerRequest === undefined ? '' : `, generator ${n(f.generatorCpuUsPerRequest)} µs CPU/request`;
  return `${f.target} ${n(f.achieved)}/s ${latency}${visits}${lag}, non-2xx ${failed}, errors ${errors}, ${f.peakRssMiB} MiB${server}${generator}`;
}

/** Everything that is not a 2xx answer: statuses with a body sample, socket errors, unanswered requests. */
export function failures(f: Figures): string[] {
  const lines = Object.entries(f.statuses)
    .filter(([status]) => !isSuccess(status))
    .map(([status, count]) => `${f.target}: ${count} × HTTP ${status}: ${f.samples[status] ?? ''}`);
  for (const [error, count] of Object.entries(f.errors)) lines.push(`${f.target}: ${count} × ${error}`);
  if (f.unfinished > 0) lines.push(`${f.target}: ${f.unfinished} requests unanswered at the end`);
  if (f.lag && f.lag.unseen > 0) lines.push(`${f.target}: ${f.lag.unseen} sampled documents never seen in the read model`);
  return lines;
}

/** One line per scenario, ledgerline against the baseline with ratios, then any failure. */
export function formatSummaryLines(scenario: Scenario, [ledgerline, baseline]: readonly Figures[]): string[] {
  const cpu = ledgerline.serverCpuUsPerRequest !== undefined && baseline.serverCpuUsPerRequest !== undefined ? `, CPU/request ${ratio(ledgerline.serverCpuUsPerRequest, baseline.serverCpuUsPerRequest)}` : '';
  const ratios = `achieved ${ratio(ledgerline.achieved, baseline.achieved)}, ${scenario.lag ? 'lag ' : scenario.mix === 'mixed' ? 'write ' : ''}p99 ${ratio(judgedP99(scenario, ledgerline), judgedP99(scenario, baseline))}${cpu}`;
  const pauses = ledgerline.requestThreadPauses ? [`  ledgerline's request thread: ${formatPauses(ledgerline.requestThreadPauses)}`] : [];
  return [`${scenario.label}: ${describe(scenario, ledgerline)} | ${describe(scenario, baseline)} | ${ratios}`, ...pauses, ...[ledgerline, baseline].flatMap(failures).map((line) => `  ! ${line}`)];
}
