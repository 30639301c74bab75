/**
 * Checkpoint-to-witnessed delay: the real API process with two local witness processes (quorum 2),
 * under a steady write load. For every checkpoint the notary signed, the delay is the time from its
 * CheckpointSigned event to the first CheckpointCosigned event covering its size (both read from the
 * store afterwards, by their envelope times). Target (issue 21): p99 ≤ 2 × CHECKPOINT_INTERVAL_MS.
 *
 *   npm run build && flock /work/bench.lock npm run bench:witness -- [--seconds 60] [--interval-ms 2000] [--rate 20]
 *
 * The last line of output is the results JSON.
 */
import Database from 'better-sqlite3';
import { spawn, type ChildProcess } from 'node:child_process';
import { createPrivateKey } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { encodeCosignerKey, encodeVerifierKey, generateEd25519Pem } from '@ledgerline/integrity';
import { loadOrCreateDevAuthKey } from '../../apps/api/src/contexts/access/authentication/dev-auth-key';
import { mintDevToken } from '../../apps/api/src/contexts/access/authentication/dev-token';
import { DEV_AUTHORIZED_PARTY } from '../../apps/api/src/contexts/access/authentication/verifier-settings';

const DIST = path.resolve(__dirname, '../..');
const ORIGIN = 'bench.ledgerline.test/log';

function option(name: string, fallback: number): number {
  const at = process.argv.indexOf(`--${name}`);
  const value = at < 0 ? fallback : Number(process.argv[at + 1]);
  if (!Number.isFinite(value) || value <= 0) throw new Error(`--${name} must be a positive number`);
  return value;
}

/** Starts a child and resolves once `ready` matches its output (returning the match). */
function start(main: string, env: Record<string, string>, ready: RegExp): Promise<{ child: ChildProcess; match: RegExpExecArray }> {
  const child = spawn(process.execPath, [path.join(DIST, main)], { env: { PATH: process.env.PATH ?? '', ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`${main} did not start: ${output.slice(-1000)}`));
    }, 90_000);
    const onData = (chunk: Buffer): void => {
      output += chunk.toString('utf8');
      const match = ready.exec(output);
      if (match) {
        clearTimeout(timer);
        resolve({ child, match });
      }
    };
    child.stdout?.on('data', onData);
    child.stderr?.on('data', onData);
    child.once('exit', (code) => reject(new Error(`${main} exited (${code}): ${output.slice(-1000)}`)));
  });
}

function stop(child: ChildProcess): Promise<void> {
  return new Promise((resolve) => {
    if (child.exitCode !== null) return resolve();
    child.once('exit', () => resolve());
    child.kill('SIGTERM');
  });
}

function percentile(sorted: readonly number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];
}

async function main(): Promise<void> {
  const seconds = option('seconds', 60);
  const intervalMs = option('interval-ms', 2000);
  const rate = option('rate', 20);
  const dir = mkdtempSync(path.join(os.tmpdir(), 'ledgerline-witness-bench-'));
  const children: ChildProcess[] = [];
  try {
    const checkpointPem = generateEd25519Pem();
    writeFileSync(path.join(dir, 'checkpoint.pem'), checkpointPem, { mode: 0o600 });
    const logVkey = encodeVerifierKey(ORIGIN, createPrivateKey(checkpointPem));
    const witnesses: { url: string; vkey: string }[] = [];
    for (const n of [1, 2]) {
      const pem = generateEd25519Pem();
      writeFileSync(path.join(dir, `w${n}.pem`), pem, { mode: 0o600 });
      const name = `bench.witness/w${n}`;
      const { child, match } = await start(
        'apps/witness/src/main.js',
        { WITNESS_NAME: name, WITNESS_KEY_FILE: path.join(dir, `w${n}.pem`), WITNESS_DATA_DIR: path.join(dir, `w${n}`), WITNESS_LOG_KEYS: logVkey, WITNESS_PORT: '0' },
        /"message":"witness listening"[^\n]*"port":(\d+)/,
      );
      children.push(child);
      witnesses.push({ url: `http://127.0.0.1:${match[1]}`, vkey: encodeCosignerKey(name, createPrivateKey(pem)) });
    }
    const port = 20_000 + Math.floor(Math.random() * 20_000);
    const dataDir = path.join(dir, 'api');
    const api = await start(
      'apps/api/src/main.js',
      {
        PORT: String(port),
        LOG_FORMAT: 'json',
        DATA_DIR: dataDir,
        CHECKPOINT_KEY_FILE: path.join(dir, 'checkpoint.pem'),
        AUDIT_LOG_ORIGIN: ORIGIN,
        CHECKPOINT_INTERVAL_MS: String(intervalMs),
        WITNESS_URLS: witnesses.map((w) => w.url).join(','),
        WITNESS_KEYS: witnesses.map((w) => w.vkey).join(','),
        WITNESS_QUORUM: '2',
        RATE_LIMIT_IP_PER_MIN: '0',
        RATE_LIMIT_USER_PER_MIN: '0',
      },
      /listening on http/,
    );
    children.push(api.child);
    // A free plan holds 10 live documents (SPEC §7.3): each user writes at most 10.
    const authKey = loadOrCreateDevAuthKey(dataDir).privateKey;
    const tokens = new Map<number, string>();
    const tokenFor = (write: number): string => {
      const user = Math.floor(write / 10);
      if (!tokens.has(user)) tokens.set(user, mintDevToken(authKey, { userId: `user_bench_${user}`, azp: DEV_AUTHORIZED_PARTY, ttlSeconds: 3600, secondFactorAgeMinutes: null }));
      return tokens.get(user) as string;
    };

    // Steady open-loop writes: one document every 1/rate s, so the log grows in every interval.
    const deadline = Date.now() + seconds * 1000;
    const inFlight = new Set<Promise<unknown>>();
    let writes = 0;
    let failed = 0;
    let sent = 0;
    for (let next = Date.now(); Date.now() < deadline; next += 1000 / rate) {
      await sleep(Math.max(0, next - Date.now()));
      const request = fetch(`http://127.0.0.1:${port}/v1/documents`, {
        method: 'POST',
        headers: { authorization: `Bearer ${tokenFor(sent++)}`, 'content-type': 'application/json' },
        body: JSON.stringify({ title: `bench ${sent}`, body: 'witnessed' }),
      }).then((response) => (response.status === 201 ? writes++ : failed++), () => failed++);
      inFlight.add(request);
      void request.finally(() => inFlight.delete(request));
    }
    await Promise.all(inFlight);
    await sleep(3 * intervalMs);
    for (const child of children.reverse()) await stop(child);
    children.length = 0;

    const db = new Database(path.join(dataDir, 'events.sqlite'), { readonly: true });
    const rows = db.prepare("SELECT stream, data, metadata FROM events WHERE stream IN ('audit-checkpoints', 'audit-cosignatures') ORDER BY position").all() as { stream: string; data: string; metadata: string }[];
    db.close();
    const signed: { size: number; at: number }[] = [];
    const witnessed: { size: number; at: number }[] = [];
    for (const row of rows) {
      const entry = { size: (JSON.parse(row.data) as { treeSize: number }).treeSize, at: Date.parse((JSON.parse(row.metadata) as { time: string }).time) };
      (row.stream === 'audit-checkpoints' ? signed : witnessed).push(entry);
    }
    const delays: number[] = [];
    let neverWitnessed = 0;
    for (const checkpoint of signed) {
      const covering = witnessed.find((w) => w.size >= checkpoint.size && w.at >= checkpoint.at);
      if (covering === undefined) neverWitnessed++;
      else delays.push(covering.at - checkpoint.at);
    }
    delays.sort((a, b) => a - b);
    const results = {
      bench: 'witness-delay',
      intervalMs,
      seconds,
      rate,
      writes,
      failedWrites: failed,
      signedCheckpoints: signed.length,
      witnessedCheckpoints: witnessed.length,
      neverWitnessed,
      delayMs: { p50: percentile(delays, 50), p90: percentile(delays, 90), p99: percentile(delays, 99), max: delays[delays.length - 1] },
      targetP99Ms: 2 * intervalMs,
      meetsTarget: neverWitnessed === 0 && percentile(delays, 99) <= 2 * intervalMs,
    };
    process.stdout.write(
      `witness delay: ${signed.length} checkpoints signed, ${witnessed.length} witnessed (quorum 2 of 2), ${writes} writes in ${seconds} s\n` +
        `  checkpoint → witnessed: p50 ${results.delayMs.p50} ms, p90 ${results.delayMs.p90} ms, p99 ${results.delayMs.p99} ms, max ${results.delayMs.max} ms (target p99 ≤ ${2 * intervalMs} ms)\n`,
    );
    process.stdout.write(`${JSON.stringify(results)}\n`);
  } finally {
    for (const child of children) await stop(child);
    rmSync(dir, { recursive: true, force: true });
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`witness bench failed: ${(error as Error).stack ?? String(error)}\n`);
  process.exitCode = 1;
});
