import { spawn } from 'node:child_process';
import path from 'node:path';
import { commandOnPath } from './command-on-path';
import { roundMs, summariseLatencies, summariseLogBuckets } from './latency';
import type { LoadPlan, LoadResult } from './load';
import { isSuccess } from './requests';

interface WrkReport {
  durationUs: number;
  requests: number;
  errors: Record<string, number>;
  wrkLatencyUs: { p50: number; p99: number; max: number };
  statuses: Record<string, number>;
  samples: Record<string, string>;
  readBuckets: Record<string, number>;
  writeBuckets: Record<string, number>;
  maxDocumentsPerUser: number;
}

/** bench/http/closed-loop.lua, read from the source tree (tsc does not copy it into dist). */
const SCRIPT = path.resolve(__dirname, '../../../bench/http/closed-loop.lua');

/** wrk's path, or undefined when it is not installed. */
export function findWrk(): string | undefined {
  return commandOnPath('wrk');
}

/**
 * wrk, closed loop: each connection sends its next request when the previous one is answered.
 * A mix is run with one connection per wrk thread, so the script can time reads and creates apart;
 * creates alone use two threads and wrk's own histogram.
 */
export async function runClosedLoop(wrk: string, plan: LoadPlan): Promise<LoadResult> {
  const timed = plan.mix === 'mixed';
  const threads = timed ? plan.connections : 2;
  const args = ['-t', String(threads), '-c', String(plan.connections), '-d', `${plan.seconds}s`, '--timeout', '30s', '-s', SCRIPT, plan.baseUrl, '--', plan.tokensFile, plan.mix, String(threads), timed ? '1' : '0'];
  const output = await new Promise<string>((resolve, reject) => {
    const child = spawn(wrk, args, { stdio: ['ignore', 'pipe', 'inherit'] });
    let text = '';
    child.stdout.on('data', (chunk: Buffer) => (text += chunk.toString('utf8')));
    child.once('error', reject);
    child.once('exit', (code) => (code === 0 ? resolve(text) : reject(new Error(`wrk exited ${code}: ${text.slice(-2000)}`))));
  });
  const line = output.split('\n').find((l) => l.startsWith('BENCH_JSON '));
  if (line === undefined) throw new Error(`wrk printed no BENCH_JSON line: ${output.slice(-2000)}`);
  return fromReport(JSON.parse(line.slice('BENCH_JSON '.length)) as WrkReport, timed);
}

function fromReport(report: WrkReport, timed: boolean): LoadResult {
  const ok = Object.entries(report.statuses).reduce((sum, [status, n]) => sum + (isSuccess(status) ? n : 0), 0);
  const { p50, p99, max } = report.wrkLatencyUs;
  const wrkLatency = { count: report.requests, p50: roundMs(p50 / 1000), p99: roundMs(p99 / 1000), max: roundMs(max / 1000) };
  const read = summariseLogBuckets(report.readBuckets);
  const write = summariseLogBuckets(report.writeBuckets);
  return {
    achieved: Math.round(ok / (report.durationUs / 1e6)),
    all: wrkLatency,
    read: timed ? read : summariseLatencies([]),
    write: timed ? write : wrkLatency,
    statuses: report.statuses,
    samples: report.samples,
    errors: Object.fromEntries(Object.entries(report.errors).filter(([, n]) => n > 0)),
    maxDocumentsPerUser: report.maxDocumentsPerUser,
  };
}
