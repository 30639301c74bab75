/**
 * Durable append throughput of the embedded SQLite event store, next to raw better-sqlite3 baselines
 * measured in the same run on the same disk. Every number is for synchronous=FULL commits.
 *
 *   npm run build && npm run bench:append [-- --rounds 3 --seconds 3 --concurrency 1,16,256]
 *
 * The last line of output is one JSON object (machine-readable results).
 */
import Database from 'better-sqlite3';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync, statSync, mkdirSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { SqliteEventStore } from '@ledgerline/event-store';

interface RunResult {
  name: string;
  events: number;
  seconds: number;
  eventsPerSecond: number;
  transactions?: number;
  meanBatch?: number;
  latencyMs?: { p50: number; p99: number };
  /** Share of wall time spent inside group-commit transactions (the rest is JS: validation, promises, the bench loop). */
  inTransaction?: number;
}

const args = new Map<string, string>();
for (let i = 2; i < process.argv.length; i += 2) args.set(process.argv[i].replace(/^--/, ''), process.argv[i + 1]);
const rounds = Number(args.get('rounds') ?? 3);
const seconds = Number(args.get('seconds') ?? 3);
const concurrencies = (args.get('concurrency') ?? '1,16,256').split(',').map(Number);

/** ~500 bytes of JSON per event (data + metadata), shaped like a sealed envelope. */
function benchEvent(stream: string, revision: number) {
  const id = randomUUID();
  return {
    id,
    type: 'DocumentEdited',
    data: { documentId: stream, title: { $jwe: 'x'.repeat(4) }, revisionNote: 'bench' },
    metadata: {
      v: 1,
      id,
      stream,
      revision,
      type: 'DocumentEdited',
      time: new Date().toISOString(),
      actor: { kind: 'user', id: 'user_bench' },
      dataHash: 'a'.repeat(64),
      prev: 'b'.repeat(64),
      hash: 'c'.repeat(64),
    },
  };
}

const sampleBytes = (() => {
  const e = benchEvent('document-00000000', 0);
  return JSON.stringify(e.data).length + JSON.stringify(e.metadata).length;
})();

/** A directory on the repo's disk: os.tmpdir() when it is on the same device, else under data/. */
function benchDir(): string {
  const repoRoot = resolve(__dirname, '../../..');
  const base = statSync(tmpdir()).dev === statSync(repoRoot).dev ? tmpdir() : join(repoRoot, 'data');
  mkdirSync(base, { recursive: true });
  return mkdtempSync(join(base, 'ledgerline-bench-append-'));
}

const percentile = (sorted: number[], p: number): number => sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * p))];

async function benchStore(dir: string, appenders: number, round: number): Promise<RunResult> {
  let batchMs = 0;
  const store = new SqliteEventStore(join(dir, `store-${appenders}-${round}.sqlite`), { onBatch: (b) => (batchMs += b.durationMs) });
  const latencies: number[] = [];
  let events = 0;
  const runFor = async (ms: number, record: boolean): Promise<void> => {
    const deadline = performance.now() + ms;
    await Promise.all(
      Array.from({ length: appenders }, async (_, w) => {
        const stream = `document-${record ? 'run' : 'warm'}-${w}`;
        for (let revision = 0; performance.now() < deadline; revision++) {
          const started = performance.now();
          await store.append(stream, [benchEvent(stream, revision)], revision === 0 ? 'no_stream' : revision - 1);
          if (record) {
            events++;
            if ((events & 15) === 0) latencies.push(performance.now() - started);
          }
        }
      }),
    );
  };
  await runFor(300, false);
  const before = store.stats();
  batchMs = 0;
  const t0 = performance.now();
  await runFor(seconds * 1000, true);
  const elapsed = (performance.now() - t0) / 1000;
  const after = store.stats();
  await store.close();
  latencies.sort((a, b) => a - b);
  const transactions = after.batches - before.batches;
  return {
    name: `store, ${appenders} appenders`,
    events,
    seconds: elapsed,
    eventsPerSecond: events / elapsed,
    transactions,
    meanBatch: events / transactions,
    latencyMs: { p50: percentile(latencies, 0.5), p99: percentile(latencies, 0.99) },
    inTransaction: batchMs / 1000 / elapsed,
  };
}

/** Raw better-sqlite3: the same table and pragmas, pre-serialized rows, `rowsPerCommit` rows per FULL commit. */
function benchRaw(dir: string, rowsPerCommit: number, round: number): RunResult {
  const db = new Database(join(dir, `raw-${rowsPerCommit}-${round}.sqlite`));
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = FULL');
  db.exec(`CREATE TABLE events (
    position INTEGER PRIMARY KEY AUTOINCREMENT, id TEXT NOT NULL UNIQUE, stream TEXT NOT NULL,
    revision INTEGER NOT NULL CHECK (revision >= 0), type TEXT NOT NULL, data TEXT NOT NULL, metadata TEXT NOT NULL,
    UNIQUE (stream, revision))`);
  const insert = db.prepare('INSERT INTO events (id, stream, revision, type, data, metadata) VALUES (?, ?, ?, ?, ?, ?)');
  const sample = benchEvent('document-raw', 0);
  const data = JSON.stringify(sample.data);
  const metadata = JSON.stringify(sample.metadata);
  let revision = 0;
  const commit = db.transaction((n: number) => {
    for (let i = 0; i < n; i++) insert.run(randomUUID(), `document-raw-${revision % 256}`, revision++, 'DocumentEdited', data, metadata);
  });
  const runFor = (ms: number): number => {
    const deadline = performance.now() + ms;
    let rows = 0;
    while (performance.now() < deadline) {
      commit(rowsPerCommit);
      rows += rowsPerCommit;
    }
    return rows;
  };
  runFor(300);
  const t0 = performance.now();
  const events = runFor(seconds * 1000);
  const elapsed = (performance.now() - t0) / 1000;
  db.close();
  return { name: `raw insert, ${rowsPerCommit} row(s) per commit`, events, seconds: elapsed, eventsPerSecond: events / elapsed, transactions: events / rowsPerCommit };
}

interface Summary {
  eventsPerSecond: number;
  min: number;
  max: number;
  perRound: number[];
}

function summarize(runs: RunResult[]): Summary {
  const perRound = runs.map((r) => r.eventsPerSecond);
  const events = runs.reduce((sum, r) => sum + r.events, 0);
  const secs = runs.reduce((sum, r) => sum + r.seconds, 0);
  return { eventsPerSecond: events / secs, min: Math.min(...perRound), max: Math.max(...perRound), perRound };
}

const median = (values: number[]): number => {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
};

async function main(): Promise<void> {
  const dir = benchDir();
  try {
    // Rounds interleave every scenario so a burst of disk contention hits baselines and store alike;
    // ratios are taken within a round, then the median over rounds is reported.
    const single: RunResult[] = [];
    const batched: RunResult[] = [];
    const stores = new Map<number, RunResult[]>(concurrencies.map((n) => [n, []]));
    for (let round = 0; round < rounds; round++) {
      single.push(benchRaw(dir, 1, round));
      batched.push(benchRaw(dir, 100, round));
      for (const n of concurrencies) stores.get(n)!.push(await benchStore(dir, n, round));
    }

    const fmt = (n: number): string => Math.round(n).toLocaleString('en-US').padStart(7);
    const range = (s: Summary): string => `${fmt(s.eventsPerSecond)} events/s (${fmt(s.min).trim()}–${fmt(s.max).trim()})`;
    console.log(
      `append bench: ${rounds} rounds × ${seconds} s per scenario, ~${sampleBytes} B events, dir ${dir}, ${cpus().length} CPUs, node ${process.version}`,
    );
    const singleSummary = summarize(single);
    const batchedSummary = summarize(batched);
    console.log(`${'raw insert, 1 row per commit'.padEnd(30)} ${range(singleSummary)}`);
    console.log(`${'raw insert, 100 rows per commit'.padEnd(30)} ${range(batchedSummary)}`);
    const storeResults = [...stores.entries()].map(([appenders, runs]) => {
      const summary = summarize(runs);
      const ratioToOneRow = median(runs.map((r, i) => r.eventsPerSecond / single[i].eventsPerSecond));
      const ratioToHundredRows = median(runs.map((r, i) => r.eventsPerSecond / batched[i].eventsPerSecond));
      const meanBatch = runs.reduce((a, r) => a + r.events, 0) / runs.reduce((a, r) => a + r.transactions!, 0);
      const inTransaction = median(runs.map((r) => r.inTransaction!));
      const latencyMs = { p50: median(runs.map((r) => r.latencyMs!.p50)), p99: median(runs.map((r) => r.latencyMs!.p99)) };
      console.log(
        `${`store, ${appenders} appenders`.padEnd(30)} ${range(summary)}  ×${ratioToOneRow.toFixed(2)} of 1-row, ` +
          `×${ratioToHundredRows.toFixed(2)} of 100-row; mean batch ${meanBatch.toFixed(1)}, in txn ${(inTransaction * 100).toFixed(0)}%, ` +
          `latency p50 ${latencyMs.p50.toFixed(2)} ms p99 ${latencyMs.p99.toFixed(2)} ms`,
      );
      return { appenders, ...summary, ratioToOneRow, ratioToHundredRows, meanBatch, inTransaction, latencyMs };
    });
    const top = storeResults.find((r) => r.appenders === 256);
    const json = {
      bench: 'append',
      date: new Date().toISOString(),
      node: process.version,
      cpus: cpus().length,
      rounds,
      secondsPerRun: seconds,
      eventBytes: sampleBytes,
      baselines: { rawOneRowPerCommit: singleSummary, rawHundredRowsPerCommit: batchedSummary },
      store: storeResults,
      target: top && {
        appenders: 256,
        minEventsPerSecond: 10_000,
        minRatioToHundredRows: 0.5,
        met: top.eventsPerSecond >= 10_000 && top.ratioToHundredRows >= 0.5,
      },
    };
    console.log(JSON.stringify(json));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

main().catch((error: Error) => {
  console.error(error);
  process.exit(1);
});
