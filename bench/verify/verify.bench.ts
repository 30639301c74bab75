/**
 * verify-store throughput on a generated 1,000,000-event store, next to the same run's raw crypto
 * rates: node:crypto Ed25519 verifies/s on one core and on two cores (worker_threads), and one-shot
 * SHA-256 of 500 B/s. The CLI runs as users run it (a child process, `--json`); rates are events over
 * the child's wall time.
 *
 *   npm run build && node dist/bench/verify/verify.bench.js [--events 1000000] [--rounds 1] [--workers n]
 *
 * Targets (2-core machine): full mode ≥ 0.8 × the two-core raw verify rate; fast mode ≥ 200,000 events/s.
 * The last line of output is one JSON object (machine-readable results).
 */
import { spawnSync } from 'node:child_process';
import { availableParallelism, cpus, loadavg } from 'node:os';
import { resolve } from 'node:path';
import { benchStore } from './bench-store';
import { ed25519VerifyRate, parallelEd25519VerifyRate, sha256Rate } from './raw-rates';

const args = new Map<string, string>();
for (let i = 2; i < process.argv.length; i += 2) args.set(process.argv[i].replace(/^--/, ''), process.argv[i + 1]);
const events = Number(args.get('events') ?? 1_000_000);
const rounds = Number(args.get('rounds') ?? 1);
const workers = args.get('workers');
const CLI = resolve(__dirname, '../../apps/verifier/src/main.js');

interface CliRun {
  mode: 'full' | 'fast';
  events: number;
  wallSeconds: number;
  /** The CLI's own timing, without process start-up. */
  cliSeconds: number;
  eventsPerSecond: number;
}

function runCli(mode: 'full' | 'fast', store: ReturnType<typeof benchStore>): CliRun {
  const argv = [CLI, 'verify-store', '--events', store.file, '--jwks', store.jwksFile, '--log-key', store.logKeyFile, '--json'];
  if (mode === 'fast') argv.push('--fast');
  if (workers) argv.push('--workers', workers);
  const started = performance.now();
  const child = spawnSync(process.execPath, argv, { encoding: 'utf8', maxBuffer: 1 << 24 });
  const wallSeconds = (performance.now() - started) / 1000;
  if (child.status !== 0) throw new Error(`verify-store ${mode} exited ${child.status}: ${child.stderr}`);
  const report = JSON.parse(child.stdout) as { checked: { events: number }; seconds: number };
  return { mode, events: report.checked.events, wallSeconds, cliSeconds: report.seconds, eventsPerSecond: report.checked.events / wallSeconds };
}

const median = (values: number[]): number => {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
};
const fmt = (n: number): string => Math.round(n).toLocaleString('en-US');

async function main(): Promise<void> {
  const log = (line: string) => process.stdout.write(`${line}\n`);
  log(`verify bench: ${events.toLocaleString('en-US')} events, ${rounds} round(s), ${availableParallelism()} cores (${cpus()[0]?.model ?? '?'}), load ${loadavg().map((l) => l.toFixed(1)).join(' ')}`);
  const store = benchStore(events, log);
  log(`store: ${store.file} (${store.streams} streams, ${store.checkpoints} checkpoints${store.generatedSeconds ? `, generated in ${store.generatedSeconds.toFixed(0)} s` : ', cached'})`);

  const perRound: { oneCore: number; twoCore: number; sha256: number; full: CliRun; fast: CliRun; fullRatio: number }[] = [];
  for (let round = 1; round <= rounds; round++) {
    const oneCore = ed25519VerifyRate(2);
    const sha256 = sha256Rate(1);
    const fast = runCli('fast', store);
    // The two-core rate is taken right before and right after the full run (the machine may be shared).
    const before = await parallelEd25519VerifyRate(2, 2);
    const full = runCli('full', store);
    const after = await parallelEd25519VerifyRate(2, 2);
    const twoCore = (before + after) / 2;
    const fullRatio = full.eventsPerSecond / twoCore;
    perRound.push({ oneCore, twoCore, sha256, full, fast, fullRatio });
    log(
      `round ${round}: raw Ed25519 verify ${fmt(oneCore)}/s one core, ${fmt(twoCore)}/s two cores; SHA-256 (500 B) ${fmt(sha256)}/s | ` +
        `verify-store full ${fmt(full.eventsPerSecond)} events/s (${full.wallSeconds.toFixed(1)} s, ${fullRatio.toFixed(2)}× two-core verify) | ` +
        `fast ${fmt(fast.eventsPerSecond)} events/s (${fast.wallSeconds.toFixed(1)} s)`,
    );
  }
  const summary = {
    bench: 'verify',
    date: new Date().toISOString(),
    events: store.events,
    streams: store.streams,
    checkpoints: store.checkpoints,
    cores: availableParallelism(),
    rounds,
    rawEd25519VerifyPerSecond: { oneCore: Math.round(median(perRound.map((r) => r.oneCore))), twoCores: Math.round(median(perRound.map((r) => r.twoCore))) },
    rawSha256PerSecond500B: Math.round(median(perRound.map((r) => r.sha256))),
    full: { eventsPerSecond: Math.round(median(perRound.map((r) => r.full.eventsPerSecond))), ratioToTwoCoreVerify: Number(median(perRound.map((r) => r.fullRatio)).toFixed(3)), target: 0.8 },
    fast: { eventsPerSecond: Math.round(median(perRound.map((r) => r.fast.eventsPerSecond))), target: 200_000 },
    rounds_detail: perRound.map((r) => ({ full: r.full, fast: r.fast, twoCore: Math.round(r.twoCore), oneCore: Math.round(r.oneCore) })),
    loadAverage: loadavg(),
  };
  log(`full mode: ${fmt(summary.full.eventsPerSecond)} events/s = ${summary.full.ratioToTwoCoreVerify}× the two-core raw verify rate (target ≥ 0.8)`);
  log(`fast mode: ${fmt(summary.fast.eventsPerSecond)} events/s (target ≥ 200,000)`);
  log(JSON.stringify(summary));
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? error.stack : String(error)}\n`);
  process.exitCode = 1;
});
