import { randomBytes } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { startApiChild, type ApiChild } from '../audit/api-child';

/** The baseline's file in its DATA_DIR; table `documents (id, data)`. */
export const BASELINE_DB = 'baseline.sqlite';

/** The `azp` the bench's tokens carry and the API is told to accept. */
export const AUTHORIZED_PARTY = 'http://localhost:3000';

/** The bearer token the API's /metrics is opened with for this run (request-thread-pauses.ts reads it). */
export const METRICS_TOKEN = randomBytes(24).toString('base64url');

export type TargetName = 'ledgerline' | 'baseline';

export interface StartedTarget {
  server: ApiChild;
  /** The file whose `documents` table the lag scenario polls. */
  readModelFile: string;
}

/**
 * Starts one target on a fresh DATA_DIR: the real API in Clerk mode (networkless verification with
 * the bench's public key, rate limits off, /metrics open to METRICS_TOKEN), or the baseline; both as their own process.
 */
export async function startTarget(name: TargetName, dataDir: string, port: number, clerkJwtKey: string, nodeArgs: readonly string[] = []): Promise<StartedTarget> {
  if (name === 'baseline') {
    const server = await startApiChild({ DATA_DIR: dataDir }, port, path.join(__dirname, 'baseline-server.js'), nodeArgs);
    return { server, readModelFile: path.join(dataDir, BASELINE_DB) };
  }
  const env = {
    DATA_DIR: dataDir,
    AUTH_MODE: 'clerk',
    CLERK_JWT_KEY: clerkJwtKey,
    CLERK_AUTHORIZED_PARTIES: AUTHORIZED_PARTY,
    RATE_LIMIT_IP_PER_MIN: '0',
    RATE_LIMIT_USER_PER_MIN: '0',
    LOG_LEVEL: 'warn',
    METRICS_TOKEN,
  };
  const server = await startApiChild(env, port, undefined, nodeArgs);
  return { server, readModelFile: path.join(dataDir, 'read.sqlite') };
}

/** Peak resident set of a process so far (VmHWM), in MiB. */
export function peakRssMiB(pid: number): number {
  const match = /VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  return match ? Math.round(Number(match[1]) / 1024) : Number.NaN;
}

/** Clock ticks per second in /proc/<pid>/stat: Linux reports CPU times there in USER_HZ, which is 100. */
const USER_HZ = 100;

/** CPU time (user + system, all threads) a process has used so far, in seconds. */
export function cpuSeconds(pid: number): number {
  return cpuSecondsFromStat(readFileSync(`/proc/${pid}/stat`, 'utf8'));
}

/** utime + stime from a /proc/<pid>/stat line (fields 14 and 15; the command name before them may hold spaces and parentheses). */
export function cpuSecondsFromStat(stat: string): number {
  // After ") " comes field 3 (state): utime and stime are the 12th and 13th fields from there.
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  const utime = Number(fields[11]);
  const stime = Number(fields[12]);
  return fields.length > 12 && Number.isFinite(utime) && Number.isFinite(stime) ? (utime + stime) / USER_HZ : Number.NaN;
}

/** CPU seconds of each live thread of a process so far, by thread id (a thread that has ended is not listed). */
export function threadCpuSeconds(pid: number): Map<number, number> {
  const threads = new Map<number, number>();
  for (const tid of readdirSync(`/proc/${pid}/task`)) {
    try {
      threads.set(Number(tid), cpuSecondsFromStat(readFileSync(`/proc/${pid}/task/${tid}/stat`, 'utf8')));
    } catch {
      // The thread ended between the listing and the read.
    }
  }
  return threads;
}

/**
 * A process's CPU per request by thread, between two readings of threadCpuSeconds (µs): its main
 * thread (`pid`; Ledgerline's request thread), its next busiest (Ledgerline's worker thread) and all
 * the others together (the libuv thread pool, V8's helpers). At a fixed offered rate the request
 * thread's share moves less from run to run than throughput does, so it is what an A/B can read.
 */
export interface ThreadCpuSplit {
  mainThread: number;
  nextBusiestThread: number;
  otherThreads: number;
}

export function threadCpuSplit(pid: number, before: ReadonlyMap<number, number>, after: ReadonlyMap<number, number>, requests: number): ThreadCpuSplit {
  const perRequest = (seconds: number) => (requests > 0 ? Math.round((seconds * 1e6) / requests) : 0);
  const used = [...after].map(([tid, seconds]) => ({ tid, seconds: seconds - (before.get(tid) ?? 0) }));
  const main = used.find((thread) => thread.tid === pid)?.seconds ?? 0;
  const others = used.filter((thread) => thread.tid !== pid).sort((a, b) => b.seconds - a.seconds);
  const next = others[0]?.seconds ?? 0;
  const rest = others.slice(1).reduce((sum, thread) => sum + thread.seconds, 0);
  return { mainThread: perRequest(main), nextBusiestThread: perRequest(next), otherThreads: perRequest(rest) };
}
