/**
 * Summarises V8 .cpuprofile files (node --cpu-prof writes one per thread): self time by package or
 * project folder, by file, and the top functions.
 *
 *   node dist/bench/http/cpu-profile-summary.js <dir-or-file>…
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
}

export interface CpuProfile {
  nodes: ProfileNode[];
  startTime: number;
  endTime: number;
  samples: number[];
  timeDeltas: number[];
}

export interface SelfTime {
  name: string;
  ms: number;
  /** Share of the busy (non-idle) time. */
  percent: number;
}

/** A span of CLOCK_MONOTONIC time in µs: V8 stamps profiles with it, and process.hrtime reads it. */
export interface TimeWindow {
  fromUs: number;
  toUs: number;
}

export interface ProfileSummary {
  /** The profiled time summarised: the whole profile, or its overlap with the window asked for. */
  wallMs: number;
  busyMs: number;
  byGroup: SelfTime[];
  byFile: SelfTime[];
  topFunctions: SelfTime[];
}

const SPECIAL = new Set(['(idle)', '(program)', '(garbage collector)', '(root)']);

/** Where a frame's code lives: a package, a project folder, a part of Node's core, or V8's own bucket. */
export function groupOf(url: string, functionName: string): string {
  if (SPECIAL.has(functionName)) return functionName;
  if (url === '') return '(native or V8 builtin)';
  // node:internal/crypto/sig → node:internal/crypto; node:buffer stays.
  if (url.startsWith('node:')) return url.split('/').slice(0, 2).join('/');
  const file = url.replace(/^file:\/\//, '');
  const pkg = /.*\/node_modules\/((?:@[^/]+\/)?[^/]+)\//.exec(file);
  if (pkg) return pkg[1];
  const project = /\/dist\/(.+)$/.exec(file)?.[1];
  if (project === undefined) return file;
  const parts = project.split('/');
  if (parts[0] === 'libs') return parts.slice(0, 2).join('/');
  if (parts[0] === 'apps' && (parts[3] === 'platform' || parts[3] === 'contexts')) return parts.slice(0, 5).join('/');
  return path.dirname(project);
}

function fileOf(url: string, functionName: string): string {
  if (SPECIAL.has(functionName) || url === '') return groupOf(url, functionName);
  const file = url.replace(/^file:\/\//, '');
  return file.includes('/node_modules/') ? file.replace(/.*\/node_modules\//, '') : file.replace(/.*\/dist\//, '');
}

/**
 * Self time per node: each sample lasts until the next one (the last until endTime). With a window,
 * only the samples taken inside it count (e.g. the load, not the process's start-up).
 */
export function summariseCpuProfile(profile: CpuProfile, window?: TimeWindow, top = 15): ProfileSummary {
  const byId = new Map(profile.nodes.map((node) => [node.id, node]));
  const selfUs = new Map<number, number>();
  let at = profile.startTime;
  const stamps = profile.timeDeltas.map((delta) => (at += delta));
  const from = Math.max(profile.startTime, window?.fromUs ?? -Infinity);
  const to = Math.min(profile.endTime, window?.toUs ?? Infinity);
  profile.samples.forEach((id, i) => {
    if (stamps[i] < from || stamps[i] >= to) return;
    const duration = (i + 1 < stamps.length ? stamps[i + 1] : profile.endTime) - stamps[i];
    selfUs.set(id, (selfUs.get(id) ?? 0) + Math.max(0, duration));
  });
  const groups = new Map<string, number>();
  const files = new Map<string, number>();
  const functions = new Map<string, number>();
  let idleUs = 0;
  let totalUs = 0;
  for (const [id, us] of selfUs) {
    const { functionName, url, lineNumber } = byId.get(id)?.callFrame ?? { functionName: '(unknown)', url: '', lineNumber: 0 };
    totalUs += us;
    if (functionName === '(idle)') {
      idleUs += us;
      continue;
    }
    const add = (map: Map<string, number>, key: string) => map.set(key, (map.get(key) ?? 0) + us);
    add(groups, groupOf(url, functionName));
    add(files, fileOf(url, functionName));
    add(functions, `${functionName || '(anonymous)'} ${fileOf(url, functionName)}${url ? `:${lineNumber + 1}` : ''}`);
  }
  const busyUs = totalUs - idleUs;
  const ranked = (map: Map<string, number>): SelfTime[] =>
    [...map]
      .sort((a, b) => b[1] - a[1])
      .slice(0, top)
      .map(([name, us]) => ({ name, ms: Math.round(us / 1000), percent: busyUs > 0 ? Math.round((us / busyUs) * 1000) / 10 : 0 }));
  return {
    wallMs: Math.round(Math.max(0, to - from) / 1000),
    busyMs: Math.round(busyUs / 1000),
    byGroup: ranked(groups),
    byFile: ranked(files),
    topFunctions: ranked(functions),
  };
}

/** Node names a thread's profile CPU.<date>.<time>.<pid>.<thread id>.<seq>.cpuprofile; thread 0 is the main one. */
export function threadOf(file: string): string {
  const tid = /^CPU\.\d+\.\d+\.\d+\.(\d+)\.\d+\.cpuprofile$/.exec(path.basename(file))?.[1];
  if (tid === undefined) return path.basename(file);
  return tid === '0' ? 'main thread' : `worker thread ${tid}`;
}

export function formatSummary(title: string, summary: ProfileSummary): string {
  const table = (heading: string, rows: SelfTime[]) => [
    `  ${heading}`,
    ...rows.map((row) => `    ${String(row.ms).padStart(7)} ms ${row.percent.toFixed(1).padStart(5)} %  ${row.name}`),
  ];
  return [
    `${title}: ${summary.wallMs} ms summarised, ${summary.busyMs} ms busy (self time, % of busy)`,
    ...table('by package / project folder', summary.byGroup),
    ...table('by file', summary.byFile),
    ...table('top functions', summary.topFunctions),
  ].join('\n');
}

/** Every .cpuprofile under the given files or folders, summarised and formatted, one thread after another. */
export function summariseProfiles(paths: readonly string[], window?: TimeWindow): string[] {
  const files = paths.flatMap((p) =>
    statSync(p).isDirectory()
      ? readdirSync(p)
          .filter((name) => name.endsWith('.cpuprofile'))
          .sort()
          .map((name) => path.join(p, name))
      : [p],
  );
  return files.map((file) => formatSummary(`${threadOf(file)} (${path.basename(file)})`, summariseCpuProfile(JSON.parse(readFileSync(file, 'utf8')) as CpuProfile, window)));
}

if (require.main === module) {
  if (process.argv.length < 3) {
    console.error('usage: node dist/bench/http/cpu-profile-summary.js <dir-or-.cpuprofile>…');
    process.exit(2);
  }
  console.log(summariseProfiles(process.argv.slice(2)).join('\n\n'));
}
