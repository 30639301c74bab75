/**
 * The audit API at scale: filtered audit queries and evidence exports over a store of 1,000,000 sealed
 * events, through HTTP against the compiled API running as its own process (so its memory is measured
 * alone), next to same-run raw better-sqlite3 baselines answering the same filters and the cost of the
 * durable AuditAccessed record every answer waits for. The queries run twice: in the embedded single
 * process, and with the API at WORKER=off beside a worker process (the scale-out split). The exports run
 * twice: with Node's default heap, and with the old generation capped (NODE_OPTIONS=--max-old-space-size=128).
 * Constant memory is measured apart: a 100,000-event and a 1,000,000-event export (the log's first tenth of
 * its time span, then all of it: the same query), each from a freshly started API with Node's default heap.
 *
 *   npm run build && node dist/bench/audit/audit.bench.js [--events 1000000] [--samples 300] [--verify]
 *     [--only queries,exports,split,capped,sizes]  some parts alone, for quick iterations (embedded queries,
 *                               default-heap exports, queries with API + worker, exports with the heap capped,
 *                               peak RSS of a 100 k and a 1 M export)
 *     [--api-node-args="…"]     node arguments for the API process (e.g. "--cpu-prof --cpu-prof-dir=/tmp/prof")
 *
 * The first run for a size generates the data (sealed events, then every read model through the real
 * projectors) and caches it under os.tmpdir(); later runs copy the cache. The last line of output is one
 * JSON object (machine-readable results).
 */
import Database from 'better-sqlite3';
import { spawn } from 'node:child_process';
import { createWriteStream, rmSync, writeFileSync } from 'node:fs';
import { randomUUID } from 'node:crypto';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { loadConfig } from '@ledgerline/config';
import { SqliteEventStore } from '@ledgerline/event-store';
import { SealedLedgerWriter } from '@ledgerline/ledger';
import { loadOrCreateDevAuthKey } from '../../apps/api/src/contexts/access/authentication/dev-auth-key';
import { mintDevToken } from '../../apps/api/src/contexts/access/authentication/dev-token';
import { authorizedParties } from '../../apps/api/src/contexts/access/authentication/verifier-settings';
import { loadEventKeyring } from '../../apps/api/src/platform/ledger/signing-keys';
import { createLogger } from '../../apps/api/src/platform/observability/logger';
import { REPO_ROOT, WORKER_MAIN, peakSampler, startApiChild, type ApiChild } from './api-child';
import { auditBenchData, runCopy, type AuditBenchData } from './audit-bench-store';

const args = new Map<string, string>();
for (let i = 2; i < process.argv.length; i++) {
  const name = process.argv[i].replace(/^--/, '');
  const value = process.argv[i + 1];
  if (name.includes('=')) {
    // --name=value: the value may itself start with -- (node options).
    args.set(name.slice(0, name.indexOf('=')), name.slice(name.indexOf('=') + 1));
  } else if (value === undefined || value.startsWith('--')) {
    args.set(name, 'true');
  } else {
    args.set(name, value);
    i++;
  }
}
const EVENTS = Number(args.get('events') ?? 1_000_000);
const SAMPLES = Number(args.get('samples') ?? 300);
const WARMUP = 20;
const VERIFY = args.get('verify') === 'true';
const PARTS = ['queries', 'exports', 'split', 'capped', 'sizes'] as const;
/** The parts to run (--only queries,exports …); all by default. */
const ONLY = new Set((args.get('only') ?? PARTS.join(',')).split(','));
for (const part of ONLY) if (!(PARTS as readonly string[]).includes(part)) throw new Error(`--only takes a list of ${PARTS.join(', ')}; not ${part}`);
const API_NODE_ARGS = (args.get('api-node-args') ?? '').split(' ').filter((arg) => arg !== '');
const OFFICERS = 40;
const PORT = 3900 + (process.pid % 90);
/** Old-generation cap of the second, memory-capped run of the exports (NODE_OPTIONS). */
const CAPPED_HEAP_MB = 128;
/** Constant memory: the larger export's peak RSS may exceed the smaller's by at most this factor. */
const SIZES_PEAK_RATIO = 1.1;

const log = (line: string): void => console.log(line);
const percentile = (sorted: number[], p: number): number => sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * p))];
const stats = (values: number[]): { p50: number; p99: number; mean: number } => {
  const sorted = [...values].sort((a, b) => a - b);
  return { p50: percentile(sorted, 0.5), p99: percentile(sorted, 0.99), mean: values.reduce((a, b) => a + b, 0) / values.length };
};

function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

interface Scenario {
  name: string;
  /** Query string of GET /v1/audit/events for sample i. */
  query(i: number): string;
  /** The same question straight to SQLite: the rows of the audit index. */
  raw(db: Database.Database, i: number): { stream: string; revision: number }[];
}

function scenarios(data: AuditBenchData, seed = 7): Scenario[] {
  const pick = (n: number) => {
    const random = prng(seed + n);
    return Array.from({ length: SAMPLES + WARMUP }, () => random());
  };
  const streams = pick(1).map((r) => `note-${Math.floor(r * data.noteStreams)}`);
  const actors = pick(2).map((r) => `user_b${Math.floor(r * data.actors)}`);
  const days = pick(3).map((r) => new Date(data.startMs + Math.floor(r * (data.spanDays - 1)) * 86_400_000));
  const types = pick(4).map((r) => data.noteTypes[Math.floor(r * data.noteTypes.length)]);
  const cursors = pick(5).map((r) => BigInt(Math.floor(r * data.events * 0.95)));
  const dayRange = (i: number): [string, string] => [days[i].toISOString(), new Date(days[i].getTime() + 86_400_000).toISOString()];
  return [
    {
      name: 'by stream',
      query: (i) => `stream=${streams[i]}&limit=100`,
      raw: (db, i) => db.prepare('SELECT stream, revision FROM audit_events WHERE stream = ? ORDER BY position LIMIT 101').all(streams[i]) as never,
    },
    {
      name: 'by actor + 1-day range',
      query: (i) => `actor=${actors[i]}&from=${dayRange(i)[0]}&to=${dayRange(i)[1]}&limit=100`,
      raw: (db, i) =>
        db
          .prepare('SELECT stream, revision FROM audit_events WHERE actor_id = ? AND time >= ? AND time < ? ORDER BY position LIMIT 101')
          .all(actors[i], ...dayRange(i)) as never,
    },
    {
      name: 'by type, page at a random cursor',
      query: (i) => `type=${types[i]}&limit=100&cursor=${Buffer.from(cursors[i].toString()).toString('base64url')}`,
      raw: (db, i) =>
        db.prepare('SELECT stream, revision FROM audit_events WHERE type = ? AND position > ? ORDER BY position LIMIT 101').all(types[i], cursors[i]) as never,
    },
  ];
}

interface QueryResult {
  name: string;
  api: { p50: number; p99: number; mean: number };
  rawIndex: { p50: number; p99: number };
  rawWithEvents: { p50: number; p99: number };
  meanItems: number;
  ratioP50: number;
  ratioP99: number;
}

/**
 * A GET, retried once when the pooled keep-alive connection was closed by the server as it was reused:
 * the raw baselines between scenarios can leave the connection idle about as long as the API's 5 s
 * keep-alive timeout, and then undici and the server race (fetch fails with "other side closed").
 */
async function getOnce(url: string, headers: Record<string, string>): Promise<Response> {
  try {
    return await fetch(url, { headers });
  } catch (error) {
    if ((error as { cause?: { code?: string } }).cause?.code !== 'UND_ERR_SOCKET') throw error;
    return fetch(url, { headers });
  }
}

async function measureQueries(api: ApiChild, tokens: string[], data: AuditBenchData, runDir: string): Promise<QueryResult[]> {
  const readDb = new Database(join(runDir, 'read.sqlite'), { readonly: true });
  const eventsDb = new Database(join(runDir, 'events.sqlite'), { readonly: true });
  const eventAt = eventsDb.prepare('SELECT data, metadata FROM events WHERE stream = ? AND revision = ?');
  const results: QueryResult[] = [];
  let request = 0;
  for (const scenario of scenarios(data)) {
    const latencies: number[] = [];
    let items = 0;
    for (let i = 0; i < SAMPLES + WARMUP; i++) {
      const started = performance.now();
      const response = await getOnce(`${api.baseUrl}/v1/audit/events?${scenario.query(i)}`, { authorization: `Bearer ${tokens[request++ % tokens.length]}` });
      const body = (await response.json()) as { items?: unknown[] };
      const elapsed = performance.now() - started;
      if (response.status !== 200) throw new Error(`${scenario.name}: HTTP ${response.status} ${JSON.stringify(body)}`);
      if (i >= WARMUP) {
        latencies.push(elapsed);
        items += body.items?.length ?? 0;
      }
    }
    const rawIndex: number[] = [];
    const rawWithEvents: number[] = [];
    for (let i = 0; i < SAMPLES + WARMUP; i++) {
      let started = performance.now();
      scenario.raw(readDb, i);
      if (i >= WARMUP) rawIndex.push(performance.now() - started);
      started = performance.now();
      for (const row of scenario.raw(readDb, i).slice(0, 100)) {
        const event = eventAt.get(row.stream, row.revision) as { data: string; metadata: string };
        JSON.parse(event.data);
        JSON.parse(event.metadata);
      }
      if (i >= WARMUP) rawWithEvents.push(performance.now() - started);
    }
    const apiStats = stats(latencies);
    const rawStats = stats(rawIndex);
    const rawEventsStats = stats(rawWithEvents);
    results.push({
      name: scenario.name,
      api: apiStats,
      rawIndex: rawStats,
      rawWithEvents: rawEventsStats,
      meanItems: items / SAMPLES,
      ratioP50: apiStats.p50 / rawEventsStats.p50,
      ratioP99: apiStats.p99 / rawEventsStats.p99,
    });
  }
  readDb.close();
  eventsDb.close();
  return results;
}

interface ExportResult {
  name: string;
  events: number;
  pending: number;
  bytes: number;
  seconds: number;
  eventsPerSecond: number;
  rssBeforeMb: number;
  rssPeakMb: number;
  rawSeconds: number;
  ratio: number;
  verified?: { ok: boolean; seconds: number };
}

async function measureExport(
  api: ApiChild,
  token: string,
  name: string,
  body: Record<string, string>,
  raw: () => number,
  keys: { jwksFile: string; logKeyFile: string },
): Promise<ExportResult> {
  const rssBefore = api.rss();
  const sampler = peakSampler(() => api.rss());
  const started = performance.now();
  const response = await fetch(`${api.baseUrl}/v1/audit/exports`, {
    method: 'POST',
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  if (response.status !== 200 || !response.body) throw new Error(`${name}: HTTP ${response.status} ${await response.text()}`);
  const file = join(tmpdir(), `ledgerline-bench-audit-bundle-${process.pid}.ndjson`);
  const out = VERIFY ? createWriteStream(file) : undefined;
  let bytes = 0;
  // The last bytes only (the trailer line), kept as bytes: the client decodes nothing else, so it takes as little CPU from the server as it can.
  let tail = Buffer.alloc(0);
  for await (const chunk of response.body as unknown as AsyncIterable<Uint8Array>) {
    bytes += chunk.length;
    tail = chunk.length >= 4096 ? Buffer.from(chunk.subarray(chunk.length - 4096)) : Buffer.concat([tail, chunk]).subarray(-4096);
    if (out && !out.write(chunk)) await new Promise<void>((r) => out.once('drain', () => r()));
  }
  const seconds = (performance.now() - started) / 1000;
  const rssPeak = sampler.stop();
  if (out) await new Promise((r) => out.end(r));
  const trailer = JSON.parse(tail.toString('utf8').trimEnd().split('\n').pop() as string) as { kind: string; count: number; pending: number };
  if (trailer.kind !== 'end') throw new Error(`${name}: the bundle has no trailer`);
  const rawSeconds = raw();
  const result: ExportResult = {
    name,
    events: trailer.count,
    pending: trailer.pending,
    bytes,
    seconds,
    eventsPerSecond: trailer.count / seconds,
    rssBeforeMb: rssBefore / 2 ** 20,
    rssPeakMb: rssPeak / 2 ** 20,
    rawSeconds,
    ratio: seconds / rawSeconds,
  };
  if (VERIFY) {
    const verifyStarted = performance.now();
    const code = await new Promise<number | null>((resolve) => {
      const cli = spawn(process.execPath, [join(REPO_ROOT, 'dist/apps/verifier/src/main.js'), 'bundle', file, '--log-key', keys.logKeyFile, '--jwks', keys.jwksFile], {
        stdio: 'inherit',
      });
      cli.once('close', resolve);
    });
    result.verified = { ok: code === 0, seconds: (performance.now() - verifyStarted) / 1000 };
    rmSync(file, { force: true });
  }
  return result;
}

/** The same events straight from SQLite, parsed and written as lines: the least an export can do. */
function rawExport(runDir: string, where: 'stream' | 'type' | 'before', value: string): number {
  const db = new Database(join(runDir, 'events.sqlite'), { readonly: true });
  db.exec(`ATTACH DATABASE '${join(runDir, 'read.sqlite').replace(/'/g, "''")}' AS r`);
  const started = performance.now();
  const rows =
    where === 'stream'
      ? db.prepare('SELECT id, stream, revision, type, data, metadata FROM events WHERE stream = ? ORDER BY revision').iterate(value)
      : db
          .prepare(
            `SELECT e.id, e.stream, e.revision, e.type, e.data, e.metadata FROM r.audit_events a JOIN events e ON e.position = a.position WHERE a.${where === 'type' ? 'type = ?' : 'time < ?'} ORDER BY a.position`,
          )
          .iterate(value);
  let lines = 0;
  for (const row of rows as Iterable<{ id: string; stream: string; revision: number; type: string; data: string; metadata: string }>) {
    const line = JSON.stringify({ kind: 'event', id: row.id, stream: row.stream, revision: row.revision, type: row.type, data: JSON.parse(row.data), metadata: JSON.parse(row.metadata) });
    if (line.length > 0) lines++;
  }
  const seconds = (performance.now() - started) / 1000;
  db.close();
  if (lines === 0) throw new Error(`raw export of ${where} ${value} found nothing`);
  return seconds;
}

async function waitForCheckpoint(api: ApiChild, size: number): Promise<number> {
  const deadline = Date.now() + 300_000;
  for (;;) {
    const response = await fetch(`${api.baseUrl}/v1/audit/checkpoints/latest`);
    if (response.status === 200) {
      const signed = Number((await response.text()).split('\n')[1]);
      if (signed >= size) return signed;
    }
    if (Date.now() > deadline) throw new Error('no checkpoint covering the generated log');
    await new Promise((r) => setTimeout(r, 200));
  }
}

/** The AuditAccessed record alone: a durable sealed append to the same store, as every audit answer waits for one. */
async function recordBaseline(runDir: string): Promise<{ p50: number; p99: number; mean: number }> {
  const config = loadConfig({ DATA_DIR: runDir });
  const keyring = await loadEventKeyring(config, createLogger({ level: 'error', format: 'json', stream: new PassThrough().resume() }));
  const store = new SqliteEventStore(join(runDir, 'events.sqlite'));
  const writer = new SealedLedgerWriter(store, keyring);
  const latencies: number[] = [];
  try {
    for (let i = 0; i < SAMPLES + WARMUP; i++) {
      const context = { actor: { kind: 'user' as const, id: 'bench_officer_0' }, correlationId: randomUUID(), causationId: randomUUID() };
      const started = performance.now();
      await writer.append('audit-access-bench', [{ type: 'AuditAccessed', data: { route: 'GET /v1/audit/events', status: 200, resultCount: 100 } }], 'any', context);
      if (i >= WARMUP) latencies.push(performance.now() - started);
    }
  } finally {
    await store.close();
  }
  return stats(latencies);
}

async function main(): Promise<void> {
  const generationStarted = performance.now();
  const data = await auditBenchData(EVENTS, log);
  const generated = (performance.now() - generationStarted) / 1000;
  const runDir = runCopy(data);
  const loadBefore = loadavg()[0];
  const officers = Array.from({ length: OFFICERS }, (_, i) => `bench_officer_${i}`);
  const env = {
    DATA_DIR: runDir,
    BOOTSTRAP_COMPLIANCE: officers.join(','),
    RATE_LIMIT_IP_PER_MIN: '0',
    RATE_LIMIT_USER_PER_MIN: '0',
  };
  try {
    let api = await startApiChild(env, PORT, undefined, API_NODE_ARGS);
    let treeSize: number;
    let queries: QueryResult[] = [];
    let splitQueries: QueryResult[] = [];
    const exports: ExportResult[] = [];
    const cappedExports: ExportResult[] = [];
    const sizedExports: ExportResult[] = [];
    const keys = { jwksFile: join(runDir, 'bench-jwks.json'), logKeyFile: join(runDir, 'bench-log-key.txt') };
    const authKey = loadOrCreateDevAuthKey(runDir).privateKey;
    const azp = authorizedParties(loadConfig({ DATA_DIR: runDir }))[0];
    // Audit routes are limited per officer (120 queries, 5 exports a minute): the bench spreads its load over 40 officers.
    const tokens = officers.map((userId) => mintDevToken(authKey, { userId, azp, ttlSeconds: 3600, secondFactorAgeMinutes: 0 }));
    const runExports = async (into: ExportResult[], first: number): Promise<void> => {
      into.push(
        await measureExport(api, tokens[first], `export stream ${data.bigStream}`, { stream: data.bigStream }, () => rawExport(runDir, 'stream', data.bigStream), keys),
      );
      into.push(await measureExport(api, tokens[first + 1], 'export type NoteTagged', { type: 'NoteTagged' }, () => rawExport(runDir, 'type', 'NoteTagged'), keys));
    };
    try {
      treeSize = await waitForCheckpoint(api, data.events);
      writeFileSync(keys.jwksFile, await (await fetch(`${api.baseUrl}/.well-known/jwks.json`)).text());
      writeFileSync(keys.logKeyFile, await (await fetch(`${api.baseUrl}/v1/audit/log-key`)).text());
      if (ONLY.has('queries')) queries = await measureQueries(api, tokens, data, runDir);
      if (ONLY.has('exports')) await runExports(exports, 0);
    } finally {
      await api.stop();
    }
    const record = await recordBaseline(runDir);
    if (ONLY.has('split')) {
      // The scale-out topology on this machine: the API with WORKER=off, projections and the notary in the
      // worker process, so the fan-out of each AuditAccessed record runs off the API's event loop.
      const worker = await startApiChild(env, PORT + 1, WORKER_MAIN);
      try {
        api = await startApiChild({ ...env, WORKER: 'off' }, PORT);
        try {
          splitQueries = await measureQueries(api, tokens, data, runDir);
        } finally {
          await api.stop();
        }
      } finally {
        await worker.stop();
      }
    }
    if (ONLY.has('sizes')) {
      // Constant memory: the same query (events before a time) over a tenth of the log, then all of it,
      // each from a fresh API process so neither export inherits the other's heap.
      const ends: [string, number][] = [
        ['a tenth of the log', data.spanDays / 10],
        ['the whole log', data.spanDays + 1],
      ];
      for (const [label, days] of ends) {
        const before = new Date(data.startMs + days * 86_400_000).toISOString();
        api = await startApiChild(env, PORT, undefined, API_NODE_ARGS);
        try {
          await waitForCheckpoint(api, data.events);
          sizedExports.push(await measureExport(api, tokens[4 + sizedExports.length], `export ${label}`, { to: before }, () => rawExport(runDir, 'before', before), keys));
        } finally {
          await api.stop();
        }
      }
    }
    if (ONLY.has('capped')) {
      // The same exports with the V8 old generation capped: live memory is flat, the default heap only grows lazily.
      api = await startApiChild({ ...env, NODE_OPTIONS: `--max-old-space-size=${CAPPED_HEAP_MB}` }, PORT);
      try {
        await runExports(cappedExports, 2);
      } finally {
        await api.stop();
      }
    }
    const loadAfter = loadavg()[0];

    const ms = (n: number): string => `${n.toFixed(2)} ms`;
    log(
      `audit bench: ${data.events.toLocaleString('en-US')} events (tree ${treeSize.toLocaleString('en-US')}), ${SAMPLES} samples per query after ${WARMUP} warm-up, ` +
        `${cpus().length} CPUs, node ${process.version}, load average ${loadBefore.toFixed(1)} → ${loadAfter.toFixed(1)}; ` +
        `data generated in ${(data.generatedSeconds ?? 0).toFixed(0)} s (this run: ${generated.toFixed(1)} s incl. cache check)`,
    );
    const queryLine = (q: QueryResult, label: string): void =>
      log(
        `${`${q.name}${label}`.padEnd(34)} API p50 ${ms(q.api.p50)} p99 ${ms(q.api.p99)} (${q.meanItems.toFixed(1)} items) | raw index p50 ${ms(q.rawIndex.p50)} | ` +
          `raw index + event reads p50 ${ms(q.rawWithEvents.p50)} p99 ${ms(q.rawWithEvents.p99)} | ×${q.ratioP50.toFixed(1)} p50, ×${q.ratioP99.toFixed(1)} p99`,
      );
    for (const q of queries) queryLine(q, '');
    for (const q of splitQueries) queryLine(q, ' (API + worker)');
    log(`${'AuditAccessed record alone'.padEnd(34)} durable sealed append to the same store: p50 ${ms(record.p50)} p99 ${ms(record.p99)} (every audit answer waits for one)`);
    const exportLine = (e: ExportResult, label: string): string =>
      `${`${e.name}${label}`.padEnd(34)} ${e.events.toLocaleString('en-US')} events (${e.pending} pending), ${(e.bytes / 2 ** 20).toFixed(0)} MiB in ${e.seconds.toFixed(2)} s ` +
      `(${Math.round(e.eventsPerSecond).toLocaleString('en-US')}/s) | server RSS ${e.rssBeforeMb.toFixed(0)} → peak ${e.rssPeakMb.toFixed(0)} MiB | ` +
      `raw read+serialize ${e.rawSeconds.toFixed(2)} s, ×${e.ratio.toFixed(1)}${e.verified ? ` | CLI verify: ${e.verified.ok ? 'valid' : 'INVALID'} in ${e.verified.seconds.toFixed(1)} s` : ''}`;
    for (const e of exports) log(exportLine(e, ''));
    for (const e of cappedExports) log(exportLine(e, ` (heap ${CAPPED_HEAP_MB} MB)`));
    for (const e of sizedExports) log(exportLine(e, ' (fresh API)'));
    const sizesPeakRatio = sizedExports.length === 2 ? sizedExports[1].rssPeakMb / sizedExports[0].rssPeakMb : undefined;
    if (sizesPeakRatio !== undefined) {
      log(`${'constant memory'.padEnd(34)} peak RSS of the larger export ÷ the smaller: ${sizesPeakRatio.toFixed(3)} (at most ${SIZES_PEAK_RATIO})`);
    }
    const targets = {
      queryP99Ms: 25,
      exportSeconds: 10,
      exportPeakRssMb: 256,
      queriesMet: queries.length > 0 && queries.every((q) => q.api.p99 <= 25),
      splitQueriesMet: splitQueries.length > 0 && splitQueries.every((q) => q.api.p99 <= 25),
      exportsMet: exports.length > 0 && exports.every((e) => e.seconds <= 10 && e.rssPeakMb <= 256),
      cappedExportsMet: cappedExports.length > 0 && cappedExports.every((e) => e.seconds <= 10 && e.rssPeakMb <= 256),
      sizesPeakRatio: SIZES_PEAK_RATIO,
      sizesMet: sizesPeakRatio !== undefined && sizesPeakRatio <= SIZES_PEAK_RATIO && 1 / sizesPeakRatio <= SIZES_PEAK_RATIO,
    };
    log(
      JSON.stringify({ bench: 'audit', events: data.events, treeSize, samples: SAMPLES, loadAverage: [loadBefore, loadAfter], queries, splitQueries, record, exports, cappedExports, sizedExports, targets }),
    );
  } finally {
    rmSync(runDir, { recursive: true, force: true });
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
