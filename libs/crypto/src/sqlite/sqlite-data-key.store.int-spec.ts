import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import Database from 'better-sqlite3';
import { describeDataKeyStoreContract } from '../data-key-store.contract';
import { newKeyId } from '../data-key';
import { SqliteDataKeyStore } from './sqlite-data-key.store';

describeDataKeyStoreContract('SQLite', {
  async open() {
    const dir = mkdtempSync(join(tmpdir(), 'ledgerline-dks-'));
    const store = new SqliteDataKeyStore(join(dir, 'read.sqlite'));
    return {
      store,
      async dispose() {
        store.close();
        rmSync(dir, { recursive: true, force: true });
      },
    };
  },
});

describe('SqliteDataKeyStore', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'ledgerline-dks-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('with afterCommit, answers a create or an erasure only once that step (the fsync) has finished, and fails the create when it fails', async () => {
    const steps: { resolve(): void; reject(error: Error): void }[] = [];
    const store = new SqliteDataKeyStore(join(dir, 'keys.sqlite'), { afterCommit: () => new Promise<void>((resolve, reject) => steps.push({ resolve, reject })) });
    const turns = () => new Promise((resolve) => setTimeout(resolve, 20));
    let created = false;
    const creating = store.create('user_a', { kid: newKeyId(), wrappedKey: randomBytes(40) }).then((key) => ((created = true), key));
    await turns();
    expect(created).toBe(false);
    steps[0].resolve();
    await expect(creating).resolves.toMatchObject({ status: 'active' });

    const failing = store.create('user_b', { kid: newKeyId(), wrappedKey: randomBytes(40) });
    await turns();
    steps[1].reject(new Error('EIO'));
    await expect(failing).rejects.toThrow('EIO');

    let erased = false;
    const erasing = store.destroy('user_a').then(() => (erased = true));
    await turns();
    expect(erased).toBe(false);
    steps[2].resolve();
    await erasing;
    store.close();
  });

  it('answers a create erased while it was made durable with the tombstone, not the key it inserted', async () => {
    const steps: (() => void)[] = [];
    const store = new SqliteDataKeyStore(join(dir, 'keys.sqlite'), { afterCommit: () => new Promise<void>((resolve) => steps.push(resolve)) });
    const creating = store.create('user_a', { kid: newKeyId(), wrappedKey: randomBytes(40) });
    await new Promise((resolve) => setTimeout(resolve, 20));
    const erasing = store.destroy('user_a');
    for (const step of steps.splice(0)) step();
    await erasing;
    await expect(creating).resolves.toMatchObject({ status: 'erased', subjectId: 'user_a' });
    store.close();
  });

  it('shares a database handle without closing it, and turns on secure_delete and WAL', async () => {
    const db = new Database(join(dir, 'read.sqlite'));
    const store = new SqliteDataKeyStore(db, { table: 'subject_keys' });
    await store.create('user_a', { kid: newKeyId(), wrappedKey: randomBytes(40) });
    store.close();
    expect(db.open).toBe(true);
    expect(db.pragma('secure_delete', { simple: true })).toBe(1);
    expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
    expect(db.prepare('SELECT count(*) AS n FROM subject_keys').get()).toEqual({ n: 1 });
    db.close();
  });

  it('lets the second of two connections to one file lose the create race and read the winner', async () => {
    const path = join(dir, 'read.sqlite');
    const a = new SqliteDataKeyStore(path);
    const b = new SqliteDataKeyStore(path);
    const winner = await a.create('user_a', { kid: newKeyId(), wrappedKey: randomBytes(40) });
    expect(await b.create('user_a', { kid: newKeyId(), wrappedKey: randomBytes(40) })).toEqual(winner);
    a.close();
    b.close();
  });

  it('answers two creates for one subject in one batch with the first one, as stored', async () => {
    const path = join(dir, 'read.sqlite');
    const store = new SqliteDataKeyStore(path);
    const first = { kid: newKeyId(), wrappedKey: randomBytes(40) };
    const [a, b] = await Promise.all([store.create('user_a', first), store.create('user_a', { kid: newKeyId(), wrappedKey: randomBytes(40) })]);
    expect(a).toEqual(b);
    expect(a).toMatchObject({ status: 'active', subjectId: 'user_a', kid: first.kid, wrappedKey: first.wrappedKey });
    expect(await store.get('user_a')).toEqual(a);
    store.close();
  });

  it('refuses to hold key bytes next to an erasure time', () => {
    const db = new Database(join(dir, 'read.sqlite'));
    new SqliteDataKeyStore(db);
    expect(() =>
      db.prepare("INSERT INTO data_keys VALUES ('u', 'k', ?, 'now', 'now')").run(randomBytes(40)),
    ).toThrow(/CHECK/);
    db.close();
  });

  it('rejects an unsafe table name', () => {
    expect(() => new SqliteDataKeyStore(join(dir, 'x.sqlite'), { table: 'keys; DROP TABLE x' })).toThrow(TypeError);
  });
});
