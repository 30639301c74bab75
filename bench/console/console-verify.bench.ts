/**
 * The compliance console's in-page bundle check against the CLI, on the same 100,000-event bundle in the
 * same run: `ledgerline-verify bundle` (a child process, as users run it, pinned keys) and the console in
 * headless Debian Chromium (the real API serving /console, the keys pinned, the file chosen, until the
 * verdict shows). Rounds alternate CLI and page, so neighbours' load falls on both.
 *
 *   npm run build && flock /work/bench.lock node dist/bench/console/console-verify.bench.js [--events 100000] [--rounds 3]
 *
 * Target: the page takes at most 2× the CLI's time (medians). The last line of output is one JSON object.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { availableParallelism, cpus, loadavg, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { launchChromium } from '../../test/console/support/chromium';
import { ConsolePage } from '../../test/console/support/console-page';
import { benchBundle, readKeys } from './bench-bundle';
import { median } from '../http/latency';

const args = new Map<string, string>();
for (let i = 2; i < process.argv.length; i += 2) args.set(process.argv[i].replace(/^--/, ''), process.argv[i + 1]);
const events = Number(args.get('events') ?? 100_000);
const rounds = Number(args.get('rounds') ?? 3);
const DIST = resolve(__dirname, '../..');
const CLI = join(DIST, 'apps/verifier/src/main.js');
const API = join(DIST, 'apps/api/src/main.js');

const log = (line: string) => process.stdout.write(`${line}\n`);
const round2 = (n: number): number => Number(n.toFixed(2));

async function startApi(port: number, dataDir: string): Promise<ChildProcess> {
  const child = spawn(process.execPath, [API], { env: { ...process.env, PORT: String(port), DATA_DIR: dataDir, LOG_LEVEL: 'warn' }, stdio: 'ignore' });
  for (let i = 0; i < 120; i++) {
    try {
      if ((await fetch(`http://127.0.0.1:${port}/health/live`)).ok) return child;
    } catch {
      /* not listening yet */
    }
    await new Promise((r) => setTimeout(r, 500));
  }
  child.kill('SIGKILL');
  throw new Error('the API did not start within 60 s');
}

function cliSeconds(file: string, jwksFile: string, logKeyFile: string): number {
  const started = performance.now();
  const child = spawnSync(process.execPath, [CLI, 'bundle', file, '--jwks', jwksFile, '--log-key', logKeyFile, '--json'], { encoding: 'utf8' });
  const seconds = (performance.now() - started) / 1000;
  if (child.status !== 0) throw new Error(`the CLI found the bundle invalid or failed (${child.status}): ${child.stderr}`);
  return seconds;
}

async function main(): Promise<void> {
  log(`console verify bench: ${events.toLocaleString('en-US')} events, ${rounds} round(s), ${availableParallelism()} cores (${cpus()[0]?.model ?? '?'}), load ${loadavg().map((l) => l.toFixed(1)).join(' ')}`);
  const bundle = await benchBundle(events, log);
  log(`bundle: ${bundle.file}, ${(bundle.bytes / 1024 / 1024).toFixed(1)} MiB`);
  const keys = readKeys(bundle);
  const dataDir = mkdtempSync(join(tmpdir(), 'ledgerline-bench-console-api-'));
  const port = 20000 + Math.floor(Math.random() * 20000);
  const api = await startApi(port, dataDir);
  const browser = await launchChromium();
  const cli: number[] = [];
  const page: number[] = [];
  const worker: number[] = [];
  try {
    const tab = await browser.context.newPage();
    const driver = new ConsolePage(tab, `http://127.0.0.1:${port}`);
    await driver.open();
    await driver.pinKeys(keys.jwks, keys.logKey);
    for (let r = 0; r < rounds; r++) {
      cli.push(cliSeconds(bundle.file, bundle.jwksFile, bundle.logKeyFile));
      const started = performance.now();
      const verdict = await driver.verifyFile(bundle.file, 600_000);
      page.push((performance.now() - started) / 1000);
      if (!verdict.ok) throw new Error(`the page found the bundle invalid: ${verdict.text}`);
      worker.push(Number(/Checked in ([\d.]+) s/.exec((await tab.textContent('#verify-status')) ?? '')?.[1]));
      log(`round ${r + 1}: CLI ${cli[r].toFixed(2)} s, page ${page[r].toFixed(2)} s (worker ${worker[r].toFixed(2)} s), ratio ${(page[r] / cli[r]).toFixed(2)}`);
    }
    if (driver.errors.length > 0) throw new Error(`page errors: ${driver.errors.join('; ')}`);
  } finally {
    await browser.close();
    api.kill('SIGTERM');
    rmSync(dataDir, { recursive: true, force: true });
  }
  const ratio = median(page) / median(cli);
  log(`median: CLI ${median(cli).toFixed(2)} s, page ${median(page).toFixed(2)} s, ratio ${ratio.toFixed(2)} (target ≤ 2): ${ratio <= 2 ? 'met' : 'NOT met'}`);
  log(
    JSON.stringify({
      events,
      bytes: bundle.bytes,
      load: loadavg().map(round2),
      cliSeconds: cli.map(round2),
      pageSeconds: page.map(round2),
      workerSeconds: worker.map(round2),
      medianCliSeconds: round2(median(cli)),
      medianPageSeconds: round2(median(page)),
      ratio: round2(ratio),
      targetMet: ratio <= 2,
    }),
  );
}

main().catch((error: Error) => {
  process.stderr.write(`${error.stack ?? error.message}\n`);
  process.exitCode = 1;
});
