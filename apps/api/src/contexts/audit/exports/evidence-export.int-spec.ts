import { createPublicKey, randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import type { AppConfig } from '@ledgerline/config';
import { SqliteEventStore, type EventStore, type RecordedEvent } from '@ledgerline/event-store';
import { encodeVerifierKey, generateEd25519Pem, Keyring, verifyBundle } from '@ledgerline/integrity';
import { CheckpointNotary, MerkleLogProjector, publishedCheckpoint, SealedLedgerWriter } from '@ledgerline/ledger';
import { rebuildProjections, SqliteReadDb, type Projector, type ReadDb } from '@ledgerline/projections';
import { ProjectionProgress } from '../../../platform/projections/projection-progress';
import type { AuditFilter } from '../audit-index/audit-filter';
import { auditIndexProjector } from '../audit-index/audit-index.projector';
import { AuditIndexReader } from '../audit-index/audit-index.reader';
import { CHUNK_BYTES } from './evidence-bundle-stream';
import { EvidenceExporter, type ExportOutcome } from './evidence-export';

const quiet = { info: () => undefined, warn: () => undefined, error: () => undefined };
/** Lets the event loop go round `n` times (timers aside): what a stream needs to make its next chunk. */
const turns = async (n: number): Promise<void> => {
  for (let i = 0; i < n; i++) await new Promise((resolve) => setImmediate(resolve));
};
const ORIGIN = 'test.example/log';

/** Counts the events the exporter pulls out of the store, to see that it reads as the client reads. */
function countingStore(store: EventStore): { store: EventStore; read: () => number } {
  let read = 0;
  const counted = (source: AsyncIterable<RecordedEvent>): AsyncIterable<RecordedEvent> => ({
    async *[Symbol.asyncIterator]() {
      for await (const event of source) {
        read++;
        yield event;
      }
    },
  });
  const wrapper = Object.create(store) as EventStore;
  wrapper.readStream = (stream, options) => counted(store.readStream(stream, options));
  wrapper.readAll = (options) => counted(store.readAll(options));
  if (store.readTextAt) {
    const readTextAt = store.readTextAt.bind(store);
    wrapper.readTextAt = async (positions) => {
      const texts = await readTextAt(positions);
      read += texts.filter((text) => text !== undefined).length;
      return texts;
    };
  }
  return { store: wrapper, read: () => read };
}

/** The store as an adapter without readTextAt (EventStoreDB's) presents it: events parsed, read by stream. */
function storeWithoutTextReads(store: EventStore): EventStore {
  const wrapper = Object.create(store) as EventStore & { readTextAt?: unknown };
  wrapper.readTextAt = undefined;
  return wrapper;
}

describe('EvidenceExporter (SPEC §5 bundles from a real store and read database)', () => {
  let dir: string;
  let store: SqliteEventStore;
  let db: ReadDb;
  let keyring: Keyring;
  let writer: SealedLedgerWriter;
  let notary: CheckpointNotary;
  let logKey: string;
  let projectors: Projector[];

  const context = (actor: string) => ({ actor: { kind: 'user' as const, id: actor }, correlationId: randomUUID(), causationId: randomUUID() });
  /** Brings the tree and the audit index up to the store's head (a rebuild: no runner in this spec). */
  const project = async (): Promise<void> => {
    await rebuildProjections(store, db, projectors);
  };
  const exporter = (eventStore: EventStore = store): EvidenceExporter =>
    new EvidenceExporter(
      eventStore,
      db,
      keyring,
      logKey,
      { checkpointIntervalMs: 50 } as AppConfig,
      new ProjectionProgress(store, db, projectors, null),
      new AuditIndexReader(db),
      { latest: () => publishedCheckpoint(eventStore, 0) },
    );
  const collect = async (chunks: AsyncIterable<string>): Promise<string> => {
    let text = '';
    for await (const chunk of chunks) text += chunk;
    return text;
  };
  const pinned = (): { pinnedLogKey: string; pinnedJwks: ReturnType<Keyring['jwks']> } => ({ pinnedLogKey: logKey, pinnedJwks: keyring.jwks() });

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'ledgerline-evidence-export-'));
    store = new SqliteEventStore(join(dir, 'events.sqlite'));
    db = new SqliteReadDb(join(dir, 'read.sqlite'));
    keyring = await Keyring.create({ signingKey: generateEd25519Pem() });
    const checkpointKey = (await Keyring.create({ signingKey: generateEd25519Pem() })).signingKey();
    logKey = encodeVerifierKey(ORIGIN, createPublicKey(checkpointKey));
    writer = new SealedLedgerWriter(store, keyring);
    notary = new CheckpointNotary(store, writer, db, { origin: ORIGIN, checkpointKey, intervalMs: 50, logger: quiet });
    projectors = [new MerkleLogProjector(), auditIndexProjector];

    // document-a: 3 events, then a checkpoint, then 2 more; document-b interleaved, by another actor.
    for (let i = 0; i < 3; i++) {
      await writer.append('document-a', [{ type: i === 0 ? 'DocumentCreated' : 'DocumentEdited', data: { i, title: { $jwe: 'a.b.c.d.e' } } }], 'any', context('user_a'));
      await writer.append('document-b', [{ type: 'DocumentEdited', data: { i } }], 'any', context('user_b'));
    }
    await project();
    expect(await notary.signIfGrown()).toBe('signed');
    for (let i = 3; i < 5; i++) await writer.append('document-a', [{ type: 'DocumentEdited', data: { i } }], 'any', context('user_a'));
    await project();
  });
  afterAll(async () => {
    await notary.stop();
    await db.close();
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('exports a whole stream from revision 0; the events after the checkpoint are counted as pending', async () => {
    const outcomes: ExportOutcome[] = [];
    const prepared = await exporter().prepare({ stream: 'document-a' }, false);
    const text = await collect(exporter().bundle(prepared, async (outcome) => void outcomes.push(outcome)));
    const lines = text.trimEnd().split('\n').map((line) => JSON.parse(line));
    expect(lines.map((line) => line.kind ?? 'header')).toEqual(['header', 'event', 'event', 'event', 'end']);
    expect(lines.slice(1, 4).map((line) => line.revision)).toEqual([0, 1, 2]);
    expect(lines[4]).toMatchObject({ count: 3, pending: 2 });
    expect(outcomes).toEqual([{ count: 3, pending: 2 }]);
    expect(await verifyBundle(text, pinned())).toMatchObject({ ok: true, count: 3, pending: 2, keysSelfAsserted: false });
  });

  it('exports a filter: every match the checkpoint covers by leaf index, later matches counted, checkpoints never included', async () => {
    const run = async (filter: AuditFilter): Promise<{ text: string; lines: Record<string, unknown>[] }> => {
      const text = await collect(exporter().bundle(await exporter().prepare(filter, false), async () => undefined));
      return { text, lines: text.trimEnd().split('\n').map((line) => JSON.parse(line) as Record<string, unknown>) };
    };
    const byActor = await run({ actor: 'user_b' });
    expect(byActor.lines.filter((line) => line.kind === 'event').map((line) => line.stream)).toEqual(['document-b', 'document-b', 'document-b']);
    expect(byActor.lines[byActor.lines.length - 1]).toMatchObject({ count: 3, pending: 0 });
    expect((await verifyBundle(byActor.text, pinned())).ok).toBe(true);

    const byType = await run({ type: 'DocumentEdited' });
    expect(byType.lines[byType.lines.length - 1]).toMatchObject({ count: 5, pending: 2 });
    expect((await verifyBundle(byType.text, pinned())).ok).toBe(true);

    const notaryEvents = await run({ actor: 'notary' });
    expect(notaryEvents.lines[notaryEvents.lines.length - 1]).toMatchObject({ count: 0, pending: 0 });
  });

  it('waits (bounded) for a checkpoint that covers everything when asked to', async () => {
    notary.start();
    try {
      const prepared = await exporter().prepare({ stream: 'document-a' }, true);
      const text = await collect(exporter().bundle(prepared, async () => undefined));
      expect(await verifyBundle(text, pinned())).toMatchObject({ ok: true, count: 5, pending: 0 });
    } finally {
      await notary.stop();
    }
  });

  it('makes a chunk only when its reader has taken the last: behind a stalled reader nothing more is read', async () => {
    for (let i = 0; i < 4; i++) {
      const events = Array.from({ length: 500 }, (_, j) => ({ type: 'DocumentEdited', data: { j, title: { $jwe: 'x'.repeat(200) } } }));
      await writer.append('document-big', events, 'any', context('user_c'));
    }
    await project();
    await notary.signIfGrown();
    const counting = countingStore(store);
    const bundle = exporter(counting.store).bundle(await exporter(counting.store).prepare({ stream: 'document-big' }, false), async () => undefined);
    // A reader that takes one chunk and then holds it (its write not done) until released, as a full socket does.
    const written: string[] = [];
    let release: (() => void) | undefined;
    const reader = new Writable({
      highWaterMark: 1,
      decodeStrings: false,
      write(chunk: string, _encoding, callback) {
        written.push(chunk);
        release = callback;
      },
    });
    let done = false;
    const finished = new Promise<void>((resolve) => reader.once('finish', resolve)).then(() => (done = true));
    bundle.pipe(reader);
    const eventLinesWritten = (): number => written.join('').split('\n').length - 2;
    let stalls = 0;
    for (;;) {
      await turns(20);
      if (done) break;
      expect(release).toBeDefined();
      const read = counting.read();
      await turns(20);
      // Held: the stream makes nothing and reads nothing until the reader is ready again…
      expect(counting.read()).toBe(read);
      // …and has read no more than the page (100 events) its last chunk came from.
      expect(read - eventLinesWritten()).toBeLessThanOrEqual(100);
      stalls++;
      const next = release as () => void;
      release = undefined;
      next();
    }
    await finished;
    expect(stalls).toBeGreaterThan(10);
    expect(counting.read()).toBe(2000);
    expect(await verifyBundle(written.join(''), pinned())).toMatchObject({ ok: true, count: 2000 });
  });

  it('sends an event whose line is larger than a chunk on its own, between chunks of the others', async () => {
    await writer.append('document-large', [{ type: 'DocumentEdited', data: { i: 0 } }], 'any', context('user_d'));
    await writer.append('document-large', [{ type: 'DocumentEdited', data: { i: 1, body: 'é'.repeat(CHUNK_BYTES) } }], 'any', context('user_d'));
    await writer.append('document-large', [{ type: 'DocumentEdited', data: { i: 2 } }], 'any', context('user_d'));
    await project();
    await notary.signIfGrown();
    const chunks: string[] = [];
    for await (const chunk of exporter().bundle(await exporter().prepare({ stream: 'document-large' }, false), async () => undefined)) chunks.push(chunk as string);
    expect(chunks.some((chunk) => Buffer.byteLength(chunk) > CHUNK_BYTES && chunk.split('\n').length === 2)).toBe(true);
    expect(await verifyBundle(chunks.join(''), pinned())).toMatchObject({ ok: true, count: 3 });
  });

  it('writes the same bundle, byte for byte, from a store that reads events parsed (no readTextAt)', async () => {
    for (const filter of [{ stream: 'document-big' }, { type: 'DocumentEdited' }] satisfies AuditFilter[]) {
      const prepared = await exporter().prepare(filter, false);
      const fromText = await collect(exporter().bundle(prepared, async () => undefined));
      const parsed = exporter(storeWithoutTextReads(store));
      const fromParsed = await collect(parsed.bundle(prepared, async () => undefined));
      expect(fromParsed).toBe(fromText);
      expect(await verifyBundle(fromText, pinned())).toMatchObject({ ok: true });
    }
  });

  it('ends without the signed trailer when the access cannot be recorded', async () => {
    const chunks: string[] = [];
    // document-big (written above) spans several chunks, so some bytes go out before the failure.
    const bundle = exporter().bundle(await exporter().prepare({ stream: 'document-big' }, false), async () => {
      throw new Error('the ledger is unavailable');
    });
    await expect(
      (async () => {
        for await (const chunk of bundle) chunks.push(chunk);
      })(),
    ).rejects.toThrow('the ledger is unavailable');
    expect(chunks.length).toBeGreaterThan(1);
    expect(await verifyBundle(chunks.join(''), pinned())).toMatchObject({ ok: false, firstFailure: { reason: 'truncated' } });
  });

  it('refuses what cannot be a bundle before writing anything', async () => {
    await expect(exporter().prepare({ stream: 'audit-checkpoints' }, false)).rejects.toMatchObject({ problemBody: { status: 400 } });
    await expect(exporter().prepare({ stream: 'document-a', type: 'DocumentEdited' }, false)).rejects.toMatchObject({ problemBody: { status: 400 } });
    await expect(exporter().prepare({ stream: 'document-nope' }, false)).rejects.toMatchObject({ problemBody: { status: 404 } });
  });
});
