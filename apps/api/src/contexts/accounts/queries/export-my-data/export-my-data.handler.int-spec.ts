import { randomBytes, randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { FieldCipher, SqliteDataKeyStore } from '@ledgerline/crypto';
import { SqliteEventStore, type EventStore, type RecordedEvent } from '@ledgerline/event-store';
import { SqliteReadDb } from '@ledgerline/projections';
import { ExportMyDataHandler } from './export-my-data.handler';
import { ExportMyDataQuery } from './export-my-data.query';

/** The store, counting the events its stream readers hand out. */
function counting(store: EventStore): { store: EventStore; pulled(): number } {
  let pulled = 0;
  const readStream = (stream: string): AsyncIterable<RecordedEvent> => ({
    async *[Symbol.asyncIterator]() {
      for await (const event of store.readStream(stream)) {
        pulled++;
        yield event;
      }
    },
  });
  return { store: Object.assign(Object.create(store) as EventStore, { readStream }), pulled: () => pulled };
}

describe('ExportMyDataHandler (real SQLite store, read db and keys)', () => {
  let dir: string;
  let store: SqliteEventStore;
  let readDb: SqliteReadDb;
  let keys: SqliteDataKeyStore;
  let cipher: FieldCipher;

  beforeEach(async () => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'export-'));
    store = new SqliteEventStore(path.join(dir, 'events.sqlite'));
    readDb = new SqliteReadDb(path.join(dir, 'read.sqlite'));
    await readDb.exec('CREATE TABLE documents (id TEXT PRIMARY KEY, owner_id TEXT NOT NULL)');
    await readDb.exec('CREATE TABLE document_share_subjects (user_id TEXT NOT NULL, document_id TEXT NOT NULL, PRIMARY KEY (user_id, document_id))');
    keys = new SqliteDataKeyStore(path.join(dir, 'keys.sqlite'));
    cipher = new FieldCipher({ masterKey: randomBytes(32), store: keys });
  });
  afterEach(async () => {
    await store.close();
    await readDb.close();
    keys.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('reads the store only as fast as the lines are consumed', async () => {
    const events = await Promise.all(
      Array.from({ length: 2500 }, async (_, i) => ({
        id: randomUUID(),
        type: 'ProfileUpdated',
        data: { userId: 'user_big', displayName: await cipher.encrypt('user_big', `name ${i}`) },
        metadata: {},
      })),
    );
    await store.append('account-user_big', events, 'no_stream');
    const counted = counting(store);
    const handler = new ExportMyDataHandler(counted.store, readDb, cipher);
    const iterator = (await handler.execute(new ExportMyDataQuery('user_big', '2026-11-28T00:00:00.000Z')))[Symbol.asyncIterator]();

    const header = JSON.parse((await iterator.next()).value as string);
    expect(header).toMatchObject({ kind: 'export', subject: 'user_big' });
    const first = JSON.parse((await iterator.next()).value as string);
    expect(first).toMatchObject({ kind: 'event', revision: 0, data: { displayName: 'name 0' }, erased: false });
    await iterator.next();
    expect(counted.pulled()).toBeLessThanOrEqual(3);

    let lines = 3;
    for (let next = await iterator.next(); !next.done; next = await iterator.next()) lines++;
    expect(lines).toBe(1 + 2500 + 1);
    expect(counted.pulled()).toBe(2500);
  });

  it('includes owned documents whole, and only the share events naming the user from others', async () => {
    const me = 'user_me';
    await store.append(
      'document-mine',
      [{ id: randomUUID(), type: 'DocumentCreated', data: { documentId: 'mine', ownerId: me, title: await cipher.encrypt(me, 'My title'), body: await cipher.encrypt(me, 'b') }, metadata: { actor: { kind: 'user', id: me, session: 'sess_me' } } }],
      'no_stream',
    );
    await store.append(
      'document-theirs',
      [
        { id: randomUUID(), type: 'DocumentCreated', data: { documentId: 'theirs', ownerId: 'user_x', title: await cipher.encrypt('user_x', 'Their title'), body: await cipher.encrypt('user_x', 'b') }, metadata: { actor: { kind: 'user', id: 'user_x', session: 'sess_x' } } },
        { id: randomUUID(), type: 'DocumentShared', data: { documentId: 'theirs', userId: 'user_y', access: 'read' }, metadata: { actor: { kind: 'user', id: 'user_x', session: 'sess_x' } } },
        { id: randomUUID(), type: 'DocumentShared', data: { documentId: 'theirs', userId: me, access: 'write' }, metadata: { actor: { kind: 'user', id: 'user_x', session: 'sess_x' } } },
      ],
      'no_stream',
    );
    await readDb.query('INSERT INTO documents (id, owner_id) VALUES ($1, $2), ($3, $4)', ['mine', me, 'theirs', 'user_x']);
    await readDb.query('INSERT INTO document_share_subjects (user_id, document_id) VALUES ($1, $2)', [me, 'theirs']);

    const lines: Record<string, unknown>[] = [];
    for await (const line of await new ExportMyDataHandler(store, readDb, cipher).execute(new ExportMyDataQuery(me, '2026-11-28T00:00:00.000Z'))) {
      lines.push(JSON.parse(line));
    }
    const events = lines.filter((l) => l.kind === 'event');
    expect(events.map((e) => [e.stream, e.type])).toEqual([
      ['document-mine', 'DocumentCreated'],
      ['document-theirs', 'DocumentShared'],
    ]);
    expect(events[0]).toMatchObject({ data: { title: 'My title' }, actor: { id: me, session: 'sess_me' } });
    expect(events[1]).toMatchObject({ data: { userId: me }, actor: { kind: 'user', id: 'user_x' } });
    expect(events[1].actor).not.toHaveProperty('session');
    expect(JSON.stringify(lines)).not.toContain('Their title');
    expect(lines[lines.length - 1]).toEqual({ kind: 'end', count: 2 });
  });
});
