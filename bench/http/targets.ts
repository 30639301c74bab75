import { readFileSync } from 'node:fs';
import path from 'node:path';
import { startApiChild, type ApiChild } from '../audit/api-child';

/** The baseline's file in its DATA_DIR; table `documents (id, data)`. */
export const BASELINE_DB = 'baseline.sqlite';

/** The `azp` the bench's tokens carry and the API is told to accept. */
export const AUTHORIZED_PARTY = 'http://localhost:3000';

export type TargetName = 'ledgerline' | 'baseline';

export interface StartedTarget {
  server: ApiChild;
  /** The file whose `documents` table the lag scenario polls. */
  readModelFile: string;
}

/**
 * Starts one target on a fresh DATA_DIR: the real API in Clerk mode (networkless verification with
 * the bench's public key, rate limits off), or the baseline; both as their own process.
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
