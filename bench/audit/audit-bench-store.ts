import Database from 'better-sqlite3';
import { randomUUID } from 'node:crypto';
import { cpSync, existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { loadConfig } from '@ledgerline/config';
import { SqliteEventStore } from '@ledgerline/event-store';
import { sealEventWithData, ZERO_HASH, type Keyring } from '@ledgerline/integrity';
import { rebuildProjections, SqliteReadDb } from '@ledgerline/projections';
import { loadEventKeyring } from '../../apps/api/src/platform/ledger/signing-keys';
import { createLogger } from '../../apps/api/src/platform/observability/logger';
import { allProjectors } from '../../apps/api/src/platform/projections/projectors';

/** Bump when the generated data's shape changes, so cached files are regenerated. */
const DATA_VERSION = 'v2';
const ROWS_PER_TRANSACTION = 20_000;
const DAY_MS = 24 * 3600 * 1000;
const SPAN_DAYS = 30;

/** The shape of the generated log, so queries can be aimed at realistic answers. */
export interface AuditBenchData {
  /** A DATA_DIR holding events.sqlite, read.sqlite (every read model at the head) and keys/. */
  dir: string;
  events: number;
  /** One stream holding every 10th event: the big export. */
  bigStream: string;
  bigStreamEvents: number;
  noteStreams: number;
  actors: number;
  noteTypes: string[];
  /** Events of each note type (about equal). */
  perNoteType: number;
  /** Envelope times run from startMs over SPAN_DAYS. */
  startMs: number;
  spanDays: number;
  generatedSeconds?: number;
}

/** Deterministic PRNG (mulberry32): the same log on every generation. */
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

const NOTE_TYPES = ['NoteAdded', 'NoteEdited', 'NoteTagged', 'NoteShared', 'NoteUnshared', 'NoteArchived', 'NoteRestored', 'NoteCommented', 'NoteMoved'];
const BIG_TYPE = 'LedgerEntryRecorded';

function jweOf(random: () => number): { $jwe: string } {
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
  let body = '';
  for (let i = 0; i < 96; i++) body += alphabet[Math.floor(random() * 64)];
  return { $jwe: `eyJhbGciOiJkaXIiLCJlbmMiOiJBMjU2R0NNIiwia2lkIjoiZGsxIn0..${body.slice(0, 16)}.${body.slice(16, 74)}.${body.slice(74)}` };
}

/**
 * A DATA_DIR with `events` sealed events, as the API would find it after a long life: every 10th event
 * in one big ledger stream, the rest over `events / 100` note streams by `events / 1000` users, nine
 * note types, envelope times over 30 days with small clock steps back. Sealed with the app's own dev
 * signing key (so it verifies), inserted straight into the SQLite store's table in big transactions
 * as the sealed write path stores rows (data as its JCS text),
 * then every read model (the notary's tree and the audit index among them) rebuilt through the real
 * projectors. Cached under os.tmpdir() by version and size.
 */
export async function auditBenchData(events: number, log: (line: string) => void): Promise<AuditBenchData> {
  const dir = join(tmpdir(), `ledgerline-bench-audit-${DATA_VERSION}-${events}`);
  const noteStreams = Math.max(1, Math.floor(events / 100));
  const data: AuditBenchData = {
    dir,
    events,
    bigStream: 'ledger-main',
    bigStreamEvents: Math.floor((events + 9) / 10),
    noteStreams,
    actors: Math.max(1, Math.floor(events / 1000)),
    noteTypes: NOTE_TYPES,
    perNoteType: Math.round((events - Math.floor((events + 9) / 10)) / NOTE_TYPES.length),
    startMs: Date.UTC(2026, 9, 1),
    spanDays: SPAN_DAYS,
  };
  const done = join(dir, 'complete.json');
  if (existsSync(done)) return { ...data, ...(JSON.parse(readFileSync(done, 'utf8')) as Partial<AuditBenchData>) };

  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  const started = performance.now();
  const config = loadConfig({ DATA_DIR: dir, LOG_LEVEL: 'error' });
  const logger = createLogger({ level: 'error', format: 'json', stream: new PassThrough().resume() });
  const keyring = await loadEventKeyring(config, logger);
  const file = join(dir, 'events.sqlite');
  await new SqliteEventStore(file).close();
  writeEvents(file, data, keyring, log);
  log(`sealed and stored ${events.toLocaleString('en-US')} events in ${((performance.now() - started) / 1000).toFixed(0)} s; building the read models`);

  const store = new SqliteEventStore(file);
  const db = new SqliteReadDb(join(dir, 'read.sqlite'));
  let lastLog = performance.now();
  await rebuildProjections(store, db, allProjectors({ config }), {
    batchSize: 2_000,
    onProgress: (progress) => {
      if (performance.now() - lastLog < 10_000) return;
      lastLog = performance.now();
      log(`read models: ${progress.events.toLocaleString('en-US')} / ${progress.total.toLocaleString('en-US')} events`);
    },
  });
  await db.close();
  await store.close();
  data.generatedSeconds = (performance.now() - started) / 1000;
  writeFileSync(done, JSON.stringify(data));
  return data;
}

function writeEvents(file: string, data: AuditBenchData, keyring: Keyring, log: (line: string) => void): void {
  const random = prng(42);
  const db = new Database(file);
  db.pragma('synchronous = OFF');
  const insert = db.prepare('INSERT INTO events (id, stream, revision, type, data, metadata) VALUES (?, ?, ?, ?, ?, ?)');
  const heads = new Map<string, { revision: number; hash: string }>();
  const stepMs = (data.spanDays * DAY_MS) / data.events;
  let clock = data.startMs;
  let written = 0;
  const rows: unknown[][] = [];
  const flush = db.transaction((batch: unknown[][]) => {
    for (const row of batch) insert.run(...row);
  });
  for (let i = 0; i < data.events; i++) {
    // Mostly forward; now and then a writer with a clock a little behind.
    clock += stepMs;
    const time = new Date(random() < 0.05 ? clock - random() * 2_000 : clock).toISOString();
    const big = i % 10 === 0;
    const stream = big ? data.bigStream : `note-${Math.floor(random() * data.noteStreams)}`;
    const type = big ? BIG_TYPE : NOTE_TYPES[Math.floor(random() * NOTE_TYPES.length)];
    const actor = `user_b${Math.floor(random() * data.actors)}`;
    const eventData = big ? { entry: i, amountCents: Math.floor(random() * 100_000), memo: jweOf(random) } : { note: stream, n: i, text: jweOf(random) };
    const head = heads.get(stream);
    const revision = head === undefined ? 0 : head.revision + 1;
    const id = randomUUID();
    const correlation = randomUUID();
    const { metadata, dataJcs } = sealEventWithData(
      {
        id,
        stream,
        revision,
        type,
        time,
        actor: { kind: 'user', id: actor, session: `sess_${actor}` },
        correlationId: correlation,
        causationId: correlation,
        data: eventData,
        prevHash: head?.hash ?? ZERO_HASH,
      },
      keyring,
    );
    heads.set(stream, { revision, hash: metadata.hash });
    rows.push([id, stream, revision, type, dataJcs, JSON.stringify(metadata)]);
    if (rows.length >= ROWS_PER_TRANSACTION) {
      flush(rows.splice(0));
      written += ROWS_PER_TRANSACTION;
      if (written % 200_000 === 0) log(`sealed ${written.toLocaleString('en-US')} / ${data.events.toLocaleString('en-US')}`);
    }
  }
  flush(rows.splice(0));
  db.close();
}

/** A private copy of the cached DATA_DIR for one run: what the app writes (checkpoints, audit records) never reaches the cache. */
export function runCopy(data: AuditBenchData): string {
  const dir = join(tmpdir(), `ledgerline-bench-audit-run-${process.pid}`);
  rmSync(dir, { recursive: true, force: true });
  cpSync(data.dir, dir, { recursive: true });
  return dir;
}
