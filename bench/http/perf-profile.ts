/**
 * CPU time by thread with Linux `perf` (`--perf`): what each thread of the API spent its CPU on during a
 * closed loop. V8's own profile (`--cpu-prof`) samples wall time, so it charges a function for the time
 * its thread sat descheduled (waking another thread, say); `perf record -e cpu-clock` samples CPU time
 * only. The API runs with `--perf-basic-prof` so that JavaScript frames have names.
 */
import { execFileSync, spawn } from 'node:child_process';
import { rmSync } from 'node:fs';

export interface PerfRecording {
  /** Ends the recording (SIGINT, as perf expects) and resolves once perf has written its file. */
  stop(): Promise<void>;
}

/** Starts `perf record` on every thread of `pid`, call graphs included, into `outFile`. */
export function startPerfRecord(perf: string, pid: number, outFile: string): PerfRecording {
  const child = spawn(perf, ['record', '-e', 'cpu-clock', '-g', '-p', String(pid), '-o', outFile], { stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr.on('data', (chunk: Buffer) => (stderr = (stderr + chunk.toString('utf8')).slice(-2000)));
  const exited = new Promise<number | null>((resolve) => child.once('exit', resolve));
  return {
    async stop() {
      child.kill('SIGINT');
      const code = await exited;
      if (code !== 0 && code !== null) throw new Error(`perf record ended with ${code}: ${stderr}`);
    },
  };
}

/** `perf script` of a recording, as text (tens of MB for a few seconds of two busy threads). */
export function perfScript(perf: string, file: string): string {
  return execFileSync(perf, ['script', '-i', file], { encoding: 'utf8', maxBuffer: 1024 * 1024 * 1024, stdio: ['ignore', 'pipe', 'ignore'] });
}

/** Removes the recording and the symbol map V8 wrote for the process (`/tmp/perf-<pid>.map`). */
export function removePerfFiles(file: string, pid: number): void {
  rmSync(file, { force: true });
  rmSync(`/tmp/perf-${pid}.map`, { force: true });
}

export interface Share {
  name: string;
  percent: number;
}

export interface ThreadCpu {
  tid: string;
  samples: number;
  /** The thread's share of all samples of the process. */
  percent: number;
  /** Where the sampled instruction was: the kernel, JIT code, V8 and Node, libc, SQLite, … */
  byPlace: Share[];
  /** JavaScript functions by inclusive CPU (samples with the function anywhere on the stack). */
  javascript: Share[];
  /** Native functions the samples stopped in (self time). */
  native: Share[];
}

interface Frame {
  symbol: string;
  place: string;
}

const FRAME = /^\s*[0-9a-f]+\s+(.*?)\s+\(([^)]*)\)\s*$/;

function parseFrame(line: string): Frame | undefined {
  const match = FRAME.exec(line);
  if (!match) return undefined;
  const symbol = match[1].replace(/\+0x[0-9a-f]+$/, '');
  return { symbol, place: placeOf(match[2]) };
}

/** A frame's mapping, named for people: the perf map of V8's JIT code, the node binary, a library. */
export function placeOf(mapping: string): string {
  if (mapping.startsWith('/tmp/perf-') && mapping.endsWith('.map')) return 'JIT code';
  if (mapping === '[kernel.kallsyms]') return 'kernel';
  const file = mapping.split('/').pop() ?? mapping;
  if (file === 'node') return 'V8 and Node (builtins, runtime)';
  if (file.startsWith('better_sqlite3')) return 'SQLite (better-sqlite3)';
  if (file.startsWith('libc.')) return 'libc';
  return file;
}

/** JS frames as `--perf-basic-prof` names them (`JS:*fn file:line:col`), shortened to the function and its file. */
function javascriptName(symbol: string): string | undefined {
  if (!symbol.startsWith('JS:')) return undefined;
  return symbol
    .slice(3)
    .replace(/^[*~^]/, '')
    .replace(/file:\/\/|\/[^ ]*\/(node_modules|dist)\//g, '');
}

/** `part` of `total` in per cent, to one decimal. */
const percentOf = (part: number, total: number) => Math.round((1000 * part) / total) / 10;

function top(counts: Map<string, number>, total: number, limit: number): Share[] {
  return [...counts]
    .sort((a, b) => b[1] - a[1])
    .slice(0, limit)
    .map(([name, n]) => ({ name, percent: percentOf(n, total) }));
}

const bump = (counts: Map<string, number>, key: string) => counts.set(key, (counts.get(key) ?? 0) + 1);

/** The `threads` busiest threads of a `perf script` text, each with its CPU split three ways. */
export function summarisePerfScript(text: string, threads = 2, limit = 15): ThreadCpu[] {
  const perThread = new Map<string, { samples: number; places: Map<string, number>; js: Map<string, number>; native: Map<string, number> }>();
  let all = 0;
  for (const block of text.split(/\n\s*\n/)) {
    const lines = block.split('\n').filter((line) => line.trim() !== '');
    if (lines.length < 2) continue;
    const tid = /^\S+\s+(\d+)/.exec(lines[0])?.[1];
    const frames = lines.slice(1).map(parseFrame).filter((frame): frame is Frame => frame !== undefined);
    if (tid === undefined || frames.length === 0) continue;
    all++;
    let thread = perThread.get(tid);
    if (!thread) perThread.set(tid, (thread = { samples: 0, places: new Map(), js: new Map(), native: new Map() }));
    thread.samples++;
    bump(thread.places, frames[0].place);
    if (frames[0].place !== 'JIT code') bump(thread.native, frames[0].symbol);
    const seen = new Set<string>();
    for (const frame of frames) {
      const name = javascriptName(frame.symbol);
      if (name !== undefined && !seen.has(name)) {
        seen.add(name);
        bump(thread.js, name);
      }
    }
  }
  return [...perThread]
    .sort((a, b) => b[1].samples - a[1].samples)
    .slice(0, threads)
    .map(([tid, t]) => ({
      tid,
      samples: t.samples,
      percent: percentOf(t.samples, all),
      byPlace: top(t.places, t.samples, 8),
      javascript: top(t.js, t.samples, limit),
      native: top(t.native, t.samples, limit),
    }));
}

export function formatThreadCpu(threads: ThreadCpu[], labels: readonly string[]): string[] {
  const rows = (shares: Share[]) => shares.map((s) => `    ${s.percent.toFixed(1).padStart(5)} %  ${s.name}`);
  return threads.flatMap((thread, i) => [
    `${labels[i] ?? `thread ${thread.tid}`} (tid ${thread.tid}): ${thread.samples} samples, ${thread.percent} % of the process's`,
    '  where the CPU was',
    ...rows(thread.byPlace),
    '  JavaScript, inclusive',
    ...rows(thread.javascript),
    '  native code it stopped in',
    ...rows(thread.native),
  ]);
}
