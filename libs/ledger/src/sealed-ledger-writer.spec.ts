import Database from 'better-sqlite3';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { ConcurrencyError, SqliteEventStore, type RecordedEvent } from '@ledgerline/event-store';
import { generateEd25519Pem, Keyring, sha256Hex, verifyChain, ZERO_HASH } from '@ledgerline/integrity';
import type { CommandContext } from './actor';
import { SealedLedgerWriter } from './sealed-ledger-writer';

const context: CommandContext = {
  actor: { kind: 'user', id: 'user_alice', session: 'sess_1' },
  correlationId: '7d1c9d0e-4a8e-4a43-9a53-bb2d3f0a4a01',
  causationId: '0b3f1f8e-2a4c-4f0b-8d3e-5f2a1c9e7b02',
};

async function collect(iterable: AsyncIterable<RecordedEvent>): Promise<RecordedEvent[]> {
  const out: RecordedEvent[] = [];
  for await (const event of iterable) out.push(event);
  return out;
}

describe('SealedLedgerWriter (real SQLite store, real keys)', () => {
  let dir: string;
  let store: SqliteEventStore;
  let keyring: Keyring;
  let writer: SealedLedgerWriter;

  beforeEach(async () => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'ledger-writer-'));
    store = new SqliteEventStore(path.join(dir, 'events.sqlite'));
    keyring = await Keyring.create({ signingKey: generateEd25519Pem() });
    writer = new SealedLedgerWriter(store, keyring);
  });
  afterEach(async () => {
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('signs on the thread pool when the signer can, and with a signer that only signs in place, the same chain', async () => {
    const offLoop = jest.spyOn(keyring, 'signAsync');
    await writer.append('document-5', [{ type: 'DocumentCreated', data: { n: 0 } }, { type: 'DocumentEdited', data: { n: 1 } }], 'no_stream', context);
    expect(offLoop).toHaveBeenCalledTimes(2);
    const inPlace = new SealedLedgerWriter(store, { sign: (hash) => keyring.sign(hash) });
    await inPlace.append('document-5', [{ type: 'DocumentEdited', data: { n: 2 } }], 1, context);
    const events = await collect(store.readStream('document-5'));
    expect(events.map((e) => e.revision)).toEqual([0, 1, 2]);
    expect(verifyChain(events, keyring.keyMap())).toMatchObject({ ok: true });
  });

  describe('appendTogether', () => {
    it('seals each stream onto its own chain and writes them in one transaction', async () => {
      await writer.append('quota-1', [{ type: 'SlotTaken', data: { n: 0 } }], 'no_stream', context);
      const [quota, document] = await writer.appendTogether(
        [
          { stream: 'quota-1', events: [{ type: 'SlotTaken', data: { n: 1 } }], expected: 0 },
          { stream: 'document-9', events: [{ type: 'DocumentCreated', data: { n: 2 } }], expected: 'no_stream' },
        ],
        context,
      );
      expect(quota).toMatchObject({ nextExpectedRevision: 1, eventIds: [expect.any(String)] });
      expect(document).toMatchObject({ nextExpectedRevision: 0, position: quota.position + 1n });
      for (const stream of ['quota-1', 'document-9']) expect(verifyChain(await collect(store.readStream(stream)), keyring.keyMap())).toMatchObject({ ok: true });
      // The heads it wrote are held: the next append to them reads nothing.
      const reads = jest.spyOn(store, 'readLastEvent');
      await writer.append('document-9', [{ type: 'DocumentEdited', data: { n: 3 } }], 0, context);
      expect(reads).not.toHaveBeenCalled();
    });

    it('on a store without atomic multi-stream appends, writes the parts one after another, in order', async () => {
      const sequential = Object.assign(Object.create(store) as SqliteEventStore, { appendAtomically: undefined });
      const parts = new SealedLedgerWriter(sequential, keyring);
      const results = await parts.appendTogether(
        [
          { stream: 'quota-2', events: [{ type: 'SlotTaken', data: {} }], expected: 'no_stream' },
          { stream: 'document-8', events: [{ type: 'DocumentCreated', data: {} }], expected: 'no_stream' },
        ],
        context,
      );
      expect(results.map((r) => r.nextExpectedRevision)).toEqual([0, 0]);
      await expect(
        parts.appendTogether(
          [
            { stream: 'quota-2', events: [{ type: 'SlotTaken', data: {} }], expected: 0 },
            { stream: 'document-8', events: [{ type: 'DocumentCreated', data: {} }], expected: 'no_stream' },
          ],
          context,
        ),
      ).rejects.toBeInstanceOf(ConcurrencyError);
      // Not atomic there: the first part stayed.
      expect(await store.readStreamRevision('quota-2')).toBe(1);
    });
  });

  it('seals and chains the events of one call and of later calls', async () => {
    await writer.append('document-1', [{ type: 'DocumentCreated', data: { n: 1 } }, { type: 'DocumentEdited', data: { n: 2 } }], 'no_stream', context);
    const result = await writer.append('document-1', [{ type: 'DocumentEdited', data: { n: 3 } }], 1, context);
    expect(result.nextExpectedRevision).toBe(2);
    expect(result.eventIds).toHaveLength(1);
    const events = await collect(store.readStream('document-1'));
    expect(events.map((e) => e.revision)).toEqual([0, 1, 2]);
    expect(events[0].metadata.prev).toBe(ZERO_HASH);
    expect(events[1].metadata.prev).toBe(events[0].metadata.hash);
    expect(events[2].metadata.prev).toBe(events[1].metadata.hash);
    expect(events[0].metadata).toMatchObject({ v: 1, id: events[0].id, actor: context.actor, $correlationId: context.correlationId });
    expect(verifyChain(events, keyring.keyMap())).toMatchObject({ ok: true });
  });

  it('stores each event\'s data as its JCS text, the bytes its dataHash covers', async () => {
    await writer.append('document-6', [{ type: 'DocumentCreated', data: { title: { $jwe: 'x' }, documentId: 'd-6', n: 1, tags: ['b', 'a'] } }], 'no_stream', context);
    const db = new Database(path.join(dir, 'events.sqlite'), { readonly: true });
    try {
      const row = db.prepare('SELECT data, metadata FROM events WHERE stream = ?').get('document-6') as { data: string; metadata: string };
      expect(row.data).toBe('{"documentId":"d-6","n":1,"tags":["b","a"],"title":{"$jwe":"x"}}');
      expect(sha256Hex(row.data)).toBe((JSON.parse(row.metadata) as { dataHash: string }).dataHash);
    } finally {
      db.close();
    }
  });

  it('refuses a stale expected revision before sealing, with the actual revision', async () => {
    await writer.append('document-2', [{ type: 'DocumentCreated', data: {} }], 'no_stream', context);
    const attempt = writer.append('document-2', [{ type: 'DocumentEdited', data: {} }], 5, context);
    await expect(attempt).rejects.toBeInstanceOf(ConcurrencyError);
    await expect(attempt).rejects.toMatchObject({ expected: 5, actual: 0 });
    await expect(writer.append('document-2', [{ type: 'X', data: {} }], 'no_stream', context)).rejects.toBeInstanceOf(ConcurrencyError);
    await expect(writer.append('document-3', [{ type: 'X', data: {} }], 'stream_exists', context)).rejects.toBeInstanceOf(ConcurrencyError);
  });

  it('keeps one unforked chain under 40 concurrent "any" appends to one stream', async () => {
    await Promise.all(
      Array.from({ length: 40 }, (_, i) => writer.append('security-2026-11-28', [{ type: 'SecurityIncidentObserved', data: { i } }], 'any', context)),
    );
    const events = await collect(store.readStream('security-2026-11-28'));
    expect(events).toHaveLength(40);
    expect(new Set(events.map((e) => e.metadata.prev)).size).toBe(40);
    expect(verifyChain(events, keyring.keyMap())).toMatchObject({ ok: true });
  });

  it('lets exactly one of several exact-revision writers win each revision', async () => {
    await writer.append('document-4', [{ type: 'DocumentCreated', data: {} }], 'no_stream', context);
    const outcomes = await Promise.allSettled(
      Array.from({ length: 10 }, (_, i) => writer.append('document-4', [{ type: 'DocumentEdited', data: { i } }], 0, context)),
    );
    expect(outcomes.filter((o) => o.status === 'fulfilled')).toHaveLength(1);
    const rejected = outcomes.filter((o): o is PromiseRejectedResult => o.status === 'rejected');
    for (const outcome of rejected) expect(outcome.reason).toBeInstanceOf(ConcurrencyError);
    expect(verifyChain(await collect(store.readStream('document-4')), keyring.keyMap())).toMatchObject({ ok: true });
  });

  it('chains to the head it wrote last without reading it, and a head another writer moved meanwhile is a conflict, never a fork', async () => {
    const reads = jest.spyOn(store, 'readLastEvent');
    await writer.append('document-7', [{ type: 'DocumentCreated', data: {} }], 'no_stream', context);
    await writer.append('document-7', [{ type: 'DocumentEdited', data: { n: 1 } }], 0, context);
    expect(reads).not.toHaveBeenCalled();
    // Another process (here: another writer on the same store) appends revision 2.
    const other = new SealedLedgerWriter(store, keyring);
    await other.append('document-7', [{ type: 'DocumentEdited', data: { n: 2 } }], 1, context);
    await expect(writer.append('document-7', [{ type: 'DocumentEdited', data: { n: 3 } }], 1, context)).rejects.toBeInstanceOf(ConcurrencyError);
    await writer.append('document-7', [{ type: 'DocumentEdited', data: { n: 3 } }], 2, context);
    const events = await collect(store.readStream('document-7'));
    expect(events.map((e) => e.revision)).toEqual([0, 1, 2, 3]);
    expect(verifyChain(events, keyring.keyMap())).toMatchObject({ ok: true });
  });

  it('refuses to chain onto an unsealed head and refuses empty appends', async () => {
    await store.append('legacy-1', [{ id: '3f7e8a2c-1b4d-4e5f-9a6b-7c8d9e0f1a2b', type: 'Old', data: {}, metadata: {} }], 'no_stream');
    await expect(writer.append('legacy-1', [{ type: 'New', data: {} }], 'any', context)).rejects.toThrow(/no envelope hash/);
    await expect(writer.append('document-5', [], 'any', context)).rejects.toThrow(/no events/);
  });
});
