/**
 * Durable append throughput of the embedded SQLite event store, next to raw better-sqlite3 baselines
 * measured in the same run on the same disk. Every number is for synchronous=FULL commits.
 *
 *   npm run build && npm run bench:append [-- --seconds 3 --concurrency 1,16,256]
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
}

const args = new Map<string, string>();
for (let i = 2; i < process.argv.length; i += 2) args.set(process.argv[i].replace(/^--/, ''), process.argv[i + 1]);
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

async function benchStore(dir: string, appenders: number): Promise<RunResult> {
  const store = new SqliteEventStore(join(dir, `store-${appenders}.sqlite`));
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
  };
}

/** Raw better-sqlite3: the same table and pragmas, pre-serialized rows, `rowsPerCommit` rows per FULL commit. */
function benchRaw(dir: string, rowsPerCommit: number): RunResult {
  const db = new Database(join(dir, `raw-${rowsPerCommit}.sqlite`));
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

async function main(): Promise<void> {
  const dir = benchDir();
  try {
    const single = benchRaw(dir, 1);
    const batched = benchRaw(dir, 100);
    const stores: RunResult[] = [];
    for (const n of concurrencies) stores.push(await benchStore(dir, n));

    const fmt = (n: number): string => Math.round(n).toLocaleString('en-US').padStart(9);
    console.log(`append bench: ${seconds} s per run, ~${sampleBytes} B events, dir ${dir}, ${cpus().length} CPUs, node ${process.version}`);
    for (const r of [single, batched]) console.log(`${r.name.padEnd(34)} ${fmt(r.eventsPerSecond)} events/s`);
    for (const r of stores) {
      console.log(
        `${r.name.padEnd(34)} ${fmt(r.eventsPerSecond)} events/s  ` +
          `×${(r.eventsPerSecond / single.eventsPerSecond).toFixed(2)} of 1-row, ×${(r.eventsPerSecond / batched.eventsPerSecond).toFixed(2)} of 100-row  ` +
          `mean batch ${r.meanBatch!.toFixed(1)}, latency p50 ${r.latencyMs!.p50.toFixed(2)} ms p99 ${r.latencyMs!.p99.toFixed(2)} ms`,
      );
    }
    const top = stores.find((r) => r.name.startsWith('store, 256 '));
    const json = {
      bench: 'append',
      date: new Date().toISOString(),
      node: process.version,
      cpus: cpus().length,
      secondsPerRun: seconds,
      eventBytes: sampleBytes,
      baselines: { rawOneRowPerCommit: single.eventsPerSecond, rawHundredRowsPerCommit: batched.eventsPerSecond },
      store: stores.map((r) => ({
        appenders: Number(/(\d+) appenders/.exec(r.name)![1]),
        eventsPerSecond: r.eventsPerSecond,
        ratioToOneRow: r.eventsPerSecond / single.eventsPerSecond,
        ratioToHundredRows: r.eventsPerSecond / batched.eventsPerSecond,
        meanBatch: r.meanBatch,
        latencyMs: r.latencyMs,
      })),
      target: top && {
        appenders: 256,
        minEventsPerSecond: 10_000,
        minRatioToHundredRows: 0.5,
        met: top.eventsPerSecond >= 10_000 && top.eventsPerSecond / batched.eventsPerSecond >= 0.5,
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
