/**
 * HTTP load on the command path: the real API process (Clerk mode, many users, durable embedded
 * store) against a same-run baseline (bare Fastify, one fsync'd better-sqlite3 insert per request),
 * both as child processes on a fresh DATA_DIR per scenario, driven by the same load generators.
 *
 *   npm run build && flock /work/bench.lock npm run bench:http -- [--seconds 10]
 *     [--rates 250,500,1000,1500,2000,3000] [--connections 64] [--users 5000] [--mixed-rate 2000]
 *     [--lag-rate 1000] [--out docs/bench/http] [--cpu-prof (closed loops)] [--perf (closed loops)] [--only create-closed,returning,lag,…] [--warmup 5]
 *     [--rounds 3]
 *
 * With --warmup N, each target first takes N seconds of the scenario's own load from another set of
 * users (figures discarded), so what is measured is a warm server meeting new users, not a cold start.
 * `returning-create-closed` measures the same loop by users the server has already met (they make the
 * warm-up load themselves), which shows what a user's first request costs.
 *
 * With --rounds N, each scenario runs N times (both targets back to back each time) and is then summed
 * up by its median round, with each round's ratio and, for the issue's latency targets, in how many
 * rounds the p99 held (rounds.ts): one run's p99 moves too much with the minute to judge a target by.
 *
 * Closed loop (max throughput) runs use wrk with closed-loop.lua; fixed offered rates use the
 * open-loop generator (open-loop-generator.ts). Each scenario prints ledgerline vs baseline; the
 * results JSON and a latency-vs-load SVG go to --out; the last line of output is the JSON.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { benchClerkKey, sessionTokens } from './clerk-tokens';
import { formatSummaryLines, type Figures, type Scenario } from './report';
import { median } from './latency';
import { formatRoundsSummary, type RoundPair } from './rounds';
import { commandOnPath } from './command-on-path';
import { summariseProfiles, type TimeWindow } from './cpu-profile-summary';
import { formatThreadCpu, perfScript, removePerfFiles, startPerfRecord, summarisePerfScript } from './perf-profile';
import { runOpenLoop } from './open-loop';
import { ReadModelProbe } from './projection-lag';
import { latencyChartSvg } from './svg-chart';
import { cpuSeconds, METRICS_TOKEN, peakRssMiB, startTarget, threadCpuSeconds, threadCpuSplit, type TargetName } from './targets';
import { pausesBetween, readPauses } from './request-thread-pauses';
import { findWrk, runClosedLoop } from './wrk-driver';

const REPO_ROOT = path.resolve(__dirname, '../../..');

function options(argv: readonly string[]): Map<string, string> {
  const found = new Map<string, string>();
  for (let i = 0; i < argv.length; i++) {
    if (!argv[i].startsWith('--')) throw new Error(`unexpected argument ${argv[i]}`);
    const value = argv[i + 1];
    if (value !== undefined && !value.startsWith('--')) found.set(argv[i++].slice(2), value);
    else found.set(argv[i].slice(2), 'true');
  }
  return found;
}

const args = options(process.argv.slice(2));
const number = (name: string, fallback: number) => Number(args.get(name) ?? fallback);
const seconds = number('seconds', 10);
const connections = number('connections', 64);
const rates = (args.get('rates') ?? '250,500,1000,1500,2000,3000').split(',').map(Number);
const mixedRate = number('mixed-rate', 2000);
const lagRate = number('lag-rate', 1000);
/** Enough users that none reaches the free plan's 10 documents even at 4,500 creates/s. */
const users = number('users', Math.max(5000, Math.ceil((seconds * 4500) / 9)));
const outDir = path.resolve(REPO_ROOT, args.get('out') ?? 'docs/bench/http');
const cpuProf = args.has('cpu-prof');
/** CPU time by thread with Linux perf during each closed loop of the API (perf-profile.ts): perf's path, looked up once. */
const perfProf = args.has('perf');
const perfCommand = perfProf ? commandOnPath('perf') : undefined;
/** Seconds of the same load, from other users, before each measured run (0: measure from a cold start). */
const warmupSeconds = number('warmup', 0);
/** Runs of each scenario (each with both targets); more than one adds a summary by the median round. */
const rounds = number('rounds', 1);
if (!Number.isSafeInteger(rounds) || rounds < 1) throw new Error(`--rounds must be a whole number of at least 1, got ${args.get('rounds')}`);
const LAG_SAMPLE_EVERY = 10;
/** Session tokens are minted for an hour (clerk-tokens.ts); older than this, they are minted again before a round. */
const TOKEN_REMINT_MS = 30 * 60_000;
/** Seconds of their own load the measured users make first in a `returning` scenario, warm-up or not. */
const RETURNING_PRIMING_SECONDS = 5;

interface TokenFiles {
  tokensFile: string;
  warmupTokensFile: string;
}

const allScenarios: Scenario[] = [
  { key: 'create-closed', label: `create, closed loop (${connections} conn)`, loop: 'closed', mix: 'create' },
  { key: 'returning-create-closed', label: `create, closed loop, returning users (${connections} conn)`, loop: 'closed', mix: 'create', returning: true },
  ...rates.map((rate): Scenario => ({ key: `create-open-${rate}`, label: `create, open loop ${rate}/s`, loop: 'open', mix: 'create', rate })),
  { key: 'mixed-closed', label: `mixed 4 reads : 1 create, closed loop (${connections} conn)`, loop: 'closed', mix: 'mixed' },
  { key: `mixed-open-${mixedRate}`, label: `mixed 4 reads : 1 create, open loop ${mixedRate}/s`, loop: 'open', mix: 'mixed', rate: mixedRate },
  { key: `lag-${lagRate}`, label: `projection lag, creates open loop ${lagRate}/s`, loop: 'open', mix: 'create', rate: lagRate, lag: true },
];
/** The issue's latency targets (2, 3 and 4), by the scenario they are measured in: p99 at most, in ms. */
const P99_LIMITS_MS: Readonly<Record<string, number>> = { 'create-open-1000': 50, 'mixed-open-2000': 50, 'lag-1000': 250 };
const only = args.get('only')?.split(',');
const scenarios = only ? allScenarios.filter((s) => only.some((key) => s.key.startsWith(key))) : allScenarios;

const load = () => os.loadavg().map((n) => Math.round(n * 100) / 100);
// Below Linux's ephemeral range (32768 and up): a port there can be taken by any outgoing connection (wrk's,
// the generator's), and a target then fails to start with EADDRINUSE (seen once at 37208). A full run takes ~30.
let nextPort = 20_000 + Math.floor(Math.random() * 12_000);

async function checkToken(baseUrl: string, token: string): Promise<void> {
  const response = await fetch(`${baseUrl}/v1/me`, { headers: { authorization: `Bearer ${token}` } });
  if (response.status !== 200) throw new Error(`GET /v1/me with a bench token answered ${response.status}: ${(await response.text()).slice(0, 300)}`);
}

async function runOne(scenario: Scenario, target: TargetName, wrk: string, files: TokenFiles, token: string, publicKeyPem: string, work: string): Promise<Figures> {
  const { tokensFile, warmupTokensFile } = files;
  const dataDir = mkdtempSync(path.join(work, `${target}-${scenario.key}-`));
  const profileDir = cpuProf && target === 'ledgerline' && scenario.loop === 'closed' ? mkdtempSync(path.join(os.tmpdir(), 'ledgerline-http-cpu-profile-')) : undefined;
  const before = load();
  let profileWindow: TimeWindow | undefined;
  const perf = target === 'ledgerline' && scenario.loop === 'closed' ? perfCommand : undefined;
  let perfFile: string | undefined;
  const nodeArgs = [...(profileDir ? ['--cpu-prof', '--cpu-prof-dir', profileDir] : []), ...(perf ? ['--perf-basic-prof'] : [])];
  const { server, readModelFile } = await startTarget(target, dataDir, nextPort++, publicKeyPem, nodeArgs);
  const pid = server.child.pid ?? 0;
  try {
    if (target === 'ledgerline') await checkToken(server.baseUrl, token);
    const common = { baseUrl: server.baseUrl, seconds, connections, mix: scenario.mix, tokensFile };
    const primingSeconds = scenario.returning ? Math.max(warmupSeconds, RETURNING_PRIMING_SECONDS) : warmupSeconds;
    if (primingSeconds > 0) {
      const warmup = { ...common, seconds: primingSeconds, tokensFile: scenario.returning ? tokensFile : warmupTokensFile };
      if (scenario.loop === 'closed') await runClosedLoop(wrk, warmup);
      else await runOpenLoop({ ...warmup, rate: scenario.rate ?? 0, sampleCreatesEvery: 0 });
    }
    const base = { scenario: scenario.key, target, offered: scenario.rate ?? null };
    // The API's own view of its request thread over the measured run (the scrape also restarts its loop-lag histogram).
    const pausesAtStart = target === 'ledgerline' ? await readPauses(server.baseUrl, METRICS_TOKEN) : undefined;
    const wallAtStart = performance.now();
    const requestThreadPauses = async () =>
      pausesAtStart && { requestThreadPauses: pausesBetween(pausesAtStart, await readPauses(server.baseUrl, METRICS_TOKEN), (performance.now() - wallAtStart) / 1000) };
    const cpuAtStart = cpuSeconds(pid);
    const threadsAtStart = threadCpuSeconds(pid);
    /** The target's CPU (all its threads, and split by thread) over the measured run, per request it answered. */
    const serverCpu = (statuses: Record<string, number>) => {
      const answered = Object.values(statuses).reduce((sum, count) => sum + count, 0);
      return {
        serverCpuUsPerRequest: answered > 0 ? Math.round(((cpuSeconds(pid) - cpuAtStart) * 1e6) / answered) : 0,
        serverThreadCpuUsPerRequest: threadCpuSplit(pid, threadsAtStart, threadCpuSeconds(pid), answered),
      };
    };
    if (scenario.loop === 'closed') {
      const fromUs = Number(process.hrtime.bigint() / 1000n);
      perfFile = perf ? path.join(work, `perf-${scenario.key}.data`) : undefined;
      const recording = perf && perfFile ? startPerfRecord(perf, pid, perfFile) : undefined;
      let result: Awaited<ReturnType<typeof runClosedLoop>>;
      try {
        result = await runClosedLoop(wrk, common);
      } finally {
        await recording?.stop();
      }
      profileWindow = { fromUs, toUs: Number(process.hrtime.bigint() / 1000n) };
      const cpu = serverCpu(result.statuses);
      return { ...base, ...result, ...cpu, ...(await requestThreadPauses()), unfinished: 0, peakRssMiB: peakRssMiB(pid), load: { before, after: load() } };
    }
    const probe = scenario.lag ? new ReadModelProbe(readModelFile) : undefined;
    const { sendLag, ...result } = await runOpenLoop(
      { ...common, rate: scenario.rate ?? 0, sampleCreatesEvery: scenario.lag ? LAG_SAMPLE_EVERY : 0 },
      (sample) => probe?.watch(sample),
    );
    const cpu = serverCpu(result.statuses);
    const pauses = await requestThreadPauses();
    const lag = await probe?.finish(10_000);
    return { ...base, ...result, ...cpu, ...pauses, ...(lag ? { lag } : {}), sendLagP99: sendLag.p99, peakRssMiB: peakRssMiB(pid), load: { before, after: load() } };
  } finally {
    await server.stop();
    rmSync(dataDir, { recursive: true, force: true });
    if (perf && perfFile) {
      const threads = summarisePerfScript(perfScript(perf, perfFile));
      removePerfFiles(perfFile, pid);
      console.log(`\nCPU time by thread (perf, wrk's run only), closed-loop ${scenario.mix} load:\n${formatThreadCpu(threads, ['request thread', 'next busiest (the worker thread)']).join('\n')}\n`);
    }
    if (profileDir) console.log(`\nCPU profile of the API during the closed-loop ${scenario.mix} load (wrk's run only; files in ${profileDir}):\n${summariseProfiles([profileDir], profileWindow).join('\n\n')}\n`);
  }
}

async function main(): Promise<void> {
  const wrk = findWrk();
  if (wrk === undefined) {
    console.error('bench/http needs wrk for its closed-loop runs and it is not on PATH: apt-get install wrk');
    process.exit(1);
  }
  if (perfProf && perfCommand === undefined) {
    console.error('bench/http --perf needs Linux perf and it is not on PATH: apt-get install linux-perf');
    process.exit(1);
  }
  const loadBefore = load();
  const work = mkdtempSync(path.join(os.tmpdir(), 'ledgerline-bench-http-'));
  const key = benchClerkKey();
  const tokensFile = path.join(work, 'tokens.txt');
  // The warm-up's users are others (ids after the measured ones): the measured run still meets new users only.
  const warmupTokensFile = path.join(work, 'warmup-tokens.txt');
  let tokens: string[] = [];
  let mintedAt = 0;
  /** The tokens live an hour: a long run (many rounds) mints them again before they could expire mid-run. */
  const freshTokens = () => {
    if (Date.now() - mintedAt < TOKEN_REMINT_MS) return;
    mintedAt = Date.now();
    tokens = sessionTokens(key.privateKey, users, mintedAt);
    writeFileSync(tokensFile, `${tokens.join('\n')}\n`);
    if (warmupSeconds > 0) writeFileSync(warmupTokensFile, `${sessionTokens(key.privateKey, users * 2, mintedAt).slice(users).join('\n')}\n`);
  };
  freshTokens();
  console.log(
    `bench/http: ${seconds} s per scenario${rounds > 1 ? ` × ${rounds} rounds` : ''}${warmupSeconds > 0 ? ` after ${warmupSeconds} s of warm-up by other users` : ' from a cold start'}, ${connections} connections, ${users} users (Clerk-mode RS256 tokens), load average ${loadBefore.join(' ')}`,
  );

  const results: Figures[] = [];
  try {
    for (const scenario of scenarios) {
      const pairs: RoundPair[] = [];
      for (let round = 1; round <= rounds; round++) {
        freshTokens();
        const measure = async (target: TargetName): Promise<Figures> => {
          const figures = await runOne(scenario, target, wrk, { tokensFile, warmupTokensFile }, tokens[0], key.publicKeyPem, work);
          if (figures.maxDocumentsPerUser > 9 && target === 'ledgerline') console.log(`  warning: up to ${figures.maxDocumentsPerUser} creates per user; raise --users`);
          return rounds > 1 ? { ...figures, round } : figures;
        };
        // Back to back, so a burst of load from the machine's other users tends to hit both alike.
        const ledgerline = await measure('ledgerline');
        const baseline = await measure('baseline');
        results.push(ledgerline, baseline);
        pairs.push({ ledgerline, baseline });
        const [line, ...details] = formatSummaryLines(scenario, [ledgerline, baseline]);
        console.log([rounds > 1 ? `round ${round}/${rounds}, ${line}` : line, ...details].join('\n'));
      }
      for (const line of formatRoundsSummary(scenario, pairs, P99_LIMITS_MS[scenario.key])) console.log(line);
    }
  } finally {
    rmSync(work, { recursive: true, force: true });
  }

  const loadAfter = load();
  const fixedRateCreates = new Set(scenarios.filter((s) => s.loop === 'open' && s.mix === 'create' && !s.lag).map((s) => s.key));
  const series = (target: TargetName, name: string, color: string) => ({
    name,
    color,
    // One point per rate: the median round's p99 when there were several.
    points: [...fixedRateCreates].flatMap((scenario) => {
      const runs = results.filter((r) => r.target === target && r.scenario === scenario);
      return runs.length === 0 ? [] : [{ x: runs[0].offered ?? 0, y: median(runs.map((r) => r.all.p99)) }];
    }),
  });
  mkdirSync(outDir, { recursive: true });
  const svgFile = path.join(outDir, 'latency-vs-load.svg');
  if (fixedRateCreates.size > 0) {
    const chart = [series('ledgerline', 'Ledgerline API', '#c0392b'), series('baseline', 'baseline (Fastify + 1 FULL insert)', '#2471a3')];
    writeFileSync(svgFile, latencyChartSvg(chart, `create-document p99 vs offered load, ${new Date().toISOString().slice(0, 10)}`));
  }
  const summary = { bench: 'http', at: new Date().toISOString(), node: process.version, cpus: os.cpus().length, seconds, warmupSeconds, rounds, connections, users, load: { before: loadBefore, after: loadAfter }, results };
  writeFileSync(path.join(outDir, 'results.json'), `${JSON.stringify(summary, null, 2)}\n`);
  console.log(`\nload average before ${loadBefore.join(' ')}, after ${loadAfter.join(' ')}; chart ${path.relative(REPO_ROOT, svgFile)}`);
  console.log(JSON.stringify(summary));
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
