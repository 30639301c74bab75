import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';

export const REPO_ROOT = resolve(__dirname, '../../..');
const API_MAIN = join(REPO_ROOT, 'dist/apps/api/src/main.js');
/** The worker entry (projections and the notary) for the scale-out topology. */
export const WORKER_MAIN = join(REPO_ROOT, 'dist/apps/api/src/worker.js');

export interface ApiChild {
  child: ChildProcess;
  baseUrl: string;
  /** Resident set size of the API process now, in bytes (Linux /proc). */
  rss(): number;
  stop(): Promise<void>;
}

/** The compiled API as its own process, so its memory is measured apart from the bench client's. */
export async function startApiChild(env: Record<string, string>, port: number, entry = API_MAIN, nodeArgs: readonly string[] = []): Promise<ApiChild> {
  const child = spawn(process.execPath, [...nodeArgs, entry], {
    env: { PATH: process.env.PATH ?? '', PORT: String(port), HOST: '127.0.0.1', LOG_FORMAT: 'json', LOG_LEVEL: 'warn', ...env },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => (stderr = (stderr + chunk.toString('utf8')).slice(-4000)));
  const baseUrl = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 120_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`the API exited (${child.exitCode}): ${stderr}`);
    try {
      if ((await fetch(`${baseUrl}/health/live`)).ok) break;
    } catch {
      /* not listening yet */
    }
    if (Date.now() > deadline) throw new Error(`the API did not start in time: ${stderr}`);
    await new Promise((r) => setTimeout(r, 200));
  }
  return {
    child,
    baseUrl,
    rss: () => {
      const match = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${child.pid}/status`, 'utf8'));
      return match ? Number(match[1]) * 1024 : 0;
    },
    stop: async () => {
      if (child.exitCode !== null) return;
      const exited = new Promise((r) => child.once('exit', r));
      child.kill('SIGTERM');
      await exited;
    },
  };
}

/** Samples `read()` every `everyMs` until stopped; reports the peak. */
export function peakSampler(read: () => number, everyMs = 20): { stop(): number } {
  let peak = read();
  const timer = setInterval(() => (peak = Math.max(peak, read())), everyMs);
  return {
    stop: () => {
      clearInterval(timer);
      return Math.max(peak, read());
    },
  };
}
