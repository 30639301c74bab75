import Database from 'better-sqlite3';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { loadConfig } from '@ledgerline/config';
import { SqliteDataKeyStore } from '@ledgerline/crypto';
import { SqliteReadDb } from '@ledgerline/projections';
import { openDataKeyStore } from './data-key-store.factory';

const candidate = (kid: string) => ({ kid, wrappedKey: Buffer.alloc(40, 7) });

describe('openDataKeyStore on keys.sqlite (real files)', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'data-keys-'));
  });
  afterEach(() => {
    rmSync(dir, { recursive: true, force: true });
  });

  it('keeps keys in keys.sqlite, a file of their own beside the read models', async () => {
    const keys = await openDataKeyStore(loadConfig({ DATA_DIR: dir }));
    try {
      await keys.store.create('user_1', candidate('kid-1'));
    } finally {
      await keys.close();
    }
    const db = new Database(path.join(dir, 'keys.sqlite'), { readonly: true });
    try {
      expect(db.prepare('SELECT subject_id, kid FROM data_keys').all()).toEqual([{ subject_id: 'user_1', kid: 'kid-1' }]);
      expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
    } finally {
      db.close();
    }
  });

  it('resolves a create only after its commit: a reader on another connection sees the key as soon as create returns', async () => {
    const keys = await openDataKeyStore(loadConfig({ DATA_DIR: dir }));
    const other = new Database(path.join(dir, 'keys.sqlite'), { readonly: true });
    try {
      const created = await Promise.all(Array.from({ length: 20 }, (_, i) => keys.store.create(`user_${i}`, candidate(`kid-${i}`))));
      expect(created.map((k) => k.kid)).toEqual(Array.from({ length: 20 }, (_, i) => `kid-${i}`));
      expect(other.prepare('SELECT count(*) FROM data_keys').pluck().get()).toBe(20);
    } finally {
      other.close();
      await keys.close();
    }
  });

  it('loses no key when read.sqlite, the rebuildable read models, is deleted', async () => {
    const keys = await openDataKeyStore(loadConfig({ DATA_DIR: dir }));
    await keys.store.create('user_2', candidate('kid-2'));
    await keys.close();
    rmSync(path.join(dir, 'read.sqlite'), { force: true });
    const again = await openDataKeyStore(loadConfig({ DATA_DIR: dir }));
    try {
      expect(await again.store.get('user_2')).toMatchObject({ status: 'active', kid: 'kid-2' });
    } finally {
      await again.close();
    }
  });

  it('moves the key table of the earlier layout (read.sqlite) over at start, tombstones included, and leaves no copy behind', async () => {
    // A read.sqlite as the earlier version wrote it: read models and the key table in one file.
    const readDb = new SqliteReadDb(path.join(dir, 'read.sqlite'));
    await readDb.exec('CREATE TABLE documents (id TEXT PRIMARY KEY)');
    await readDb.close();
    const legacy = new SqliteDataKeyStore(path.join(dir, 'read.sqlite'));
    await legacy.create('user_old', candidate('kid-old'));
    await legacy.create('user_gone', candidate('kid-gone'));
    await legacy.destroy('user_gone');
    legacy.close();

    const keys = await openDataKeyStore(loadConfig({ DATA_DIR: dir }));
    try {
      expect(await keys.store.get('user_old')).toMatchObject({ status: 'active', kid: 'kid-old', wrappedKey: Buffer.alloc(40, 7) });
      expect(await keys.store.get('user_gone')).toMatchObject({ status: 'erased' });
      // An erased subject stays erased after the move.
      expect(await keys.store.create('user_gone', candidate('kid-new'))).toMatchObject({ status: 'erased' });
    } finally {
      await keys.close();
    }
    const old = new Database(path.join(dir, 'read.sqlite'), { readonly: true });
    try {
      expect(old.prepare("SELECT name FROM sqlite_master WHERE name = 'data_keys'").get()).toBeUndefined();
      expect(old.prepare("SELECT name FROM sqlite_master WHERE name = 'documents'").get()).toEqual({ name: 'documents' });
    } finally {
      old.close();
    }
    // A second start finds nothing left to move.
    const second = await openDataKeyStore(loadConfig({ DATA_DIR: dir }));
    await second.close();
  });

  it('erases with secure_delete', async () => {
    const keys = await openDataKeyStore(loadConfig({ DATA_DIR: dir }));
    try {
      await keys.store.create('user_3', candidate('kid-3'));
      await keys.store.destroy('user_3');
      expect(await keys.store.isErased('user_3')).toBe(true);
    } finally {
      await keys.close();
    }
  });
});
