import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SqliteEventStore } from '@ledgerline/event-store';
import { CHECKPOINT_STREAM, generateEd25519Pem, Keyring } from '@ledgerline/integrity';
import { MerkleLogProjector, SealedLedgerWriter, StoredMerkleTree } from '@ledgerline/ledger';
import { PostgresReadDb, rebuildProjections, SqliteReadDb, type ReadDb } from '@ledgerline/projections';
import type { AuditFilter } from './audit-filter';
import { auditIndexProjector } from './audit-index.projector';
import { AuditIndexReader, type AuditIndexRow } from './audit-index.reader';

const PG_URL = 'postgres://postgres@127.0.0.1:5432/test';

interface Written {
  id: string;
  stream: string;
  type: string;
  actor: string;
  time: string;
  position: bigint;
}

/** Deterministic pseudo-random numbers (mulberry32), so a failure replays. */
function prng(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const START = Date.UTC(2026, 10, 1);

/**
 * Appends sealed events through the real writer over 6 streams, 4 actors and 3 types. The clock
 * mostly advances but sometimes steps back (up to 3 s, like writers with skewed clocks) and once
 * by a whole hour, so times are not in position order.
 */
async function writeLog(store: SqliteEventStore, count: number): Promise<Written[]> {
  const random = prng(7);
  let now = START;
  const writer = new SealedLedgerWriter(store, await Keyring.create({ signingKey: generateEd25519Pem() }), { clock: () => new Date(now) });
  const written: Written[] = [];
  for (let i = 0; i < count; i++) {
    const step = random() < 0.15 ? -Math.floor(random() * 3_000) : Math.floor(random() * 2_000);
    now += i === Math.floor(count / 2) ? -3_600_000 : step;
    const stream = `document-${Math.floor(random() * 6)}`;
    const actor = `user_${Math.floor(random() * 4)}`;
    const type = ['DocumentCreated', 'DocumentEdited', 'DocumentShared'][Math.floor(random() * 3)];
    const context = { actor: { kind: 'user' as const, id: actor }, correlationId: randomUUID(), causationId: randomUUID() };
    const result = await writer.append(stream, [{ type, data: { i, title: { $jwe: 'x.y.z' } } }], 'any', context);
    written.push({ id: result.eventIds[0], stream, type, actor, time: new Date(now).toISOString(), position: result.position });
    if (i % 25 === 24) {
      const checkpoint = { actor: { kind: 'system' as const, id: 'notary' }, correlationId: randomUUID(), causationId: randomUUID() };
      await writer.append(CHECKPOINT_STREAM, [{ type: 'CheckpointSigned', data: { note: 'n', treeSize: i, rootHash: 'r' } }], 'any', checkpoint);
    }
  }
  return written;
}

function naive(written: Written[], filter: AuditFilter): string[] {
  return written
    .filter(
      (w) =>
        (filter.stream === undefined || w.stream === filter.stream) &&
        (filter.type === undefined || w.type === filter.type) &&
        (filter.actor === undefined || w.actor === filter.actor) &&
        (filter.from === undefined || w.time >= filter.from) &&
        (filter.to === undefined || w.time < filter.to),
    )
    .map((w) => w.id);
}

async function pageThrough(reader: AuditIndexReader, filter: AuditFilter, limit: number, scanBudget?: number): Promise<{ rows: AuditIndexRow[]; pages: number[] }> {
  const rows: AuditIndexRow[] = [];
  const pages: number[] = [];
  let after: bigint | undefined;
  for (let guard = 0; guard < 10_000; guard++) {
    const page = await reader.page(filter, { after, limit, scanBudget });
    const leaves = page.rows.filter((row) => row.stream !== CHECKPOINT_STREAM);
    rows.push(...leaves);
    pages.push(leaves.length);
    if (page.next === null) return { rows, pages };
    after = page.next;
  }
  throw new Error('paging did not end');
}

const at = (offsetMs: number): string => new Date(START + offsetMs).toISOString();

const BACKENDS: [string, (dir: string) => Promise<{ db: ReadDb; cleanUp(): Promise<void> }>][] = [
  ['SQLite', async (dir) => ({ db: new SqliteReadDb(join(dir, 'read.sqlite')), cleanUp: async () => undefined })],
  [
    'PostgreSQL',
    async () => {
      const schema = `audit_index_${randomUUID().replace(/-/g, '').slice(0, 16)}`;
      const db = await PostgresReadDb.open(PG_URL, { schema });
      return {
        db,
        cleanUp: async () => {
          const admin = await PostgresReadDb.open(PG_URL);
          await admin.exec(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
          await admin.close();
        },
      };
    },
  ],
];

describe.each(BACKENDS)('audit index on %s', (_name, open) => {
  let dir: string;
  let store: SqliteEventStore;
  let db: ReadDb;
  let cleanUp: () => Promise<void>;
  let reader: AuditIndexReader;
  let written: Written[];

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'ledgerline-audit-index-'));
    store = new SqliteEventStore(join(dir, 'events.sqlite'));
    ({ db, cleanUp } = await open(dir));
    written = await writeLog(store, 240);
    await rebuildProjections(store, db, [new MerkleLogProjector(), auditIndexProjector], { batchSize: 64 });
    reader = new AuditIndexReader(db);
  });
  afterAll(async () => {
    await db.close();
    await store.close();
    await cleanUp();
    rmSync(dir, { recursive: true, force: true });
  });

  it('answers every filter combination exactly, in position order, whatever the page size', async () => {
    const filters: AuditFilter[] = [
      {},
      { stream: 'document-2' },
      { type: 'DocumentShared' },
      { actor: 'user_1' },
      { actor: 'user_1', type: 'DocumentEdited' },
      { stream: 'document-4', actor: 'user_3', type: 'DocumentCreated' },
      { from: at(20_000), to: at(60_000) },
      { actor: 'user_0', from: at(-3_600_000), to: at(30_000) },
      { type: 'DocumentCreated', from: at(100_000) },
      { stream: 'document-1', to: at(50_000) },
      { from: at(10_000_000) },
      { stream: 'document-9' },
    ];
    for (const filter of filters) {
      const expected = naive(written, filter);
      for (const limit of [1, 7, 500]) {
        const { rows } = await pageThrough(reader, filter, limit);
        expect({ filter, limit, ids: rows.map((r) => r.eventId) }).toEqual({ filter, limit, ids: expected });
      }
    }
    // The skewed clock put some events of the range out of time order; the range still finds them all.
    const skewed = naive(written, { from: at(20_000), to: at(60_000) });
    const positions = written.filter((w) => skewed.includes(w.id)).map((w) => w.time);
    expect(positions).not.toEqual([...positions].sort());
  });

  it('bounds the rows one page examines: short pages with a cursor, and still every match in the end', async () => {
    const filter: AuditFilter = { actor: 'user_2', type: 'DocumentShared' };
    const { rows, pages } = await pageThrough(reader, filter, 50, 5);
    expect(rows.map((r) => r.eventId)).toEqual(naive(written, filter));
    // A budget of 5 rows of user_2's events per page leaves some pages shorter than the limit.
    expect(pages.length).toBeGreaterThan(3);
    expect(pages.every((n) => n <= 5)).toBe(true);
  });

  it('shows the tree’s own leaf index, and none for checkpoint events', async () => {
    const { rows } = await pageThrough(reader, {}, 500);
    expect(rows.length).toBe(written.length);
    expect(rows.map((r) => r.leafIndex)).toEqual(written.map((_, i) => i));
    const withCheckpoints = await reader.page({ stream: CHECKPOINT_STREAM }, { limit: 500 });
    expect(withCheckpoints.rows.length).toBeGreaterThan(0);
    expect(withCheckpoints.rows.every((r) => r.leafIndex === null)).toBe(true);
    for (const probe of [0, 99, written.length - 1]) {
      expect(await StoredMerkleTree.leafIndexOf(db, written[probe].id)).toBe(probe);
      expect((await reader.byId(written[probe].id))?.leafIndex).toBe(probe);
    }
    expect(await reader.byId(randomUUID())).toBeUndefined();
  });

  it('counts matches in a position range', async () => {
    const from = written[200].position;
    const filter: AuditFilter = { type: 'DocumentEdited' };
    const expected = written.filter((w) => w.position >= from && w.type === filter.type).length;
    expect(await reader.count(filter, { from }, true)).toBe(expected);
  });

  it('holds the same rows, running times included, whether the log was applied one event at a time or in batches', async () => {
    const single = new SqliteReadDb(join(dir, 'read-one-by-one.sqlite'));
    try {
      await rebuildProjections(store, single, [auditIndexProjector], { batchSize: 1 });
      const rows = (db: ReadDb) => db.query('SELECT position, event_id, time, max_time, min_time_after FROM audit_events ORDER BY position');
      const batched = await rows(db);
      expect(batched).toHaveLength(written.length + Math.floor(written.length / 25));
      expect(await rows(single)).toEqual(batched);
    } finally {
      await single.close();
    }
  });
});
