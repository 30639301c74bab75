import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { documentDecider, documentStreamName } from '@ledgerline/domain';
import { SqliteEventStore, type EventStore, type JsonObject } from '@ledgerline/event-store';
import { generateEd25519Pem, Keyring } from '@ledgerline/integrity';
import { SealedLedgerWriter, type CommandContext } from '@ledgerline/ledger';
import { rebuildProjections, SqliteReadDb } from '@ledgerline/projections';
import { loadStream } from '../../../platform/commands/loaded-stream';
import { DocumentSnapshots } from './document-snapshots';
import { documentsProjector } from './documents.projector';

const context: CommandContext = { actor: { kind: 'user', id: 'user_owner' }, correlationId: randomUUID(), causationId: randomUUID() };
const jwe = (text: string) => ({ $jwe: `eyJ.${text}` });

/** Counts the events the store hands out, to show what a read costs. */
function counting(store: EventStore): { store: EventStore; read: () => number } {
  let read = 0;
  const wrapped = Object.create(store) as EventStore;
  wrapped.readStream = (stream, options) => {
    const inner = store.readStream(stream, options);
    return (async function* () {
      for await (const event of inner) {
        read++;
        yield event;
      }
    })();
  };
  return { store: wrapped, read: () => read };
}

describe('DocumentSnapshots: a document read in bounded time, with the exact revision (real SQLite)', () => {
  let dir: string;
  let store: SqliteEventStore;
  let db: SqliteReadDb;
  let writer: SealedLedgerWriter;

  beforeEach(async () => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'document-snapshots-'));
    store = new SqliteEventStore(path.join(dir, 'events.sqlite'));
    db = new SqliteReadDb(path.join(dir, 'read.sqlite'));
    writer = new SealedLedgerWriter(store, await Keyring.create({ signingKey: generateEd25519Pem() }));
    await db.transaction((tx) => documentsProjector.migrate(tx));
  });
  afterEach(async () => {
    await db.close();
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const append = (documentId: string, type: string, data: JsonObject) => writer.append(documentStreamName(documentId), [{ type, data }], 'any', context);

  it('reads only the events after the snapshot, however long the history', async () => {
    const id = randomUUID();
    await append(id, 'DocumentCreated', { documentId: id, ownerId: 'user_owner', title: jwe('t0'), body: jwe('b0') });
    for (let i = 1; i <= 300; i++) await append(id, 'DocumentEdited', { documentId: id, body: jwe(`b${i}`) });
    await rebuildProjections(store, db, [documentsProjector]);
    // Three more edits the projection has not seen yet.
    for (let i = 301; i <= 303; i++) await append(id, 'DocumentEdited', { documentId: id, body: jwe(`b${i}`) });

    const { store: measured, read } = counting(store);
    const loaded = await new DocumentSnapshots(db, measured).load(id);
    expect(read()).toBe(3);
    expect(loaded).toEqual(await loadStream(store, documentStreamName(id), documentDecider));
    expect(loaded.revision).toBe(303);
    expect(loaded.state).toMatchObject({ status: 'live', body: jwe('b303'), title: jwe('t0') });
  });

  it('equals the full fold after every event, shares and deletion included', async () => {
    const id = randomUUID();
    const steps: [string, JsonObject][] = [
      ['DocumentCreated', { documentId: id, ownerId: 'user_owner', title: jwe('t'), body: jwe('b') }],
      ['DocumentShared', { documentId: id, userId: 'user_b', access: 'read' }],
      ['DocumentShared', { documentId: id, userId: '__proto__', access: 'write' }],
      ['DocumentEdited', { documentId: id, title: jwe('t2') }],
      ['DocumentShared', { documentId: id, userId: 'user_b', access: 'write' }],
      ['DocumentUnshared', { documentId: id, userId: '__proto__' }],
      ['DocumentDeleted', { documentId: id, ownerId: 'user_owner' }],
      ['DocumentShared', { documentId: id, userId: 'user_c', access: 'read' }],
      ['DocumentEdited', { documentId: id, body: jwe('after') }],
    ];
    const snapshots = new DocumentSnapshots(db, store);
    expect(await snapshots.snapshot(id)).toBeUndefined();
    for (const [type, data] of steps) {
      await append(id, type, data);
      const full = await loadStream(store, documentStreamName(id), documentDecider);
      expect(await snapshots.load(id)).toEqual(full); // snapshot behind by one event
      await rebuildProjections(store, db, [documentsProjector]);
      expect(await snapshots.snapshot(id)).toEqual(full); // snapshot caught up
      expect(await snapshots.load(id)).toEqual(full);
    }
  });
});
