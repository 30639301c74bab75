import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { loadConfig } from '@ledgerline/config';
import { SqliteReadDb } from '@ledgerline/projections';
import { openDataKeyStore } from './data-key-store.factory';

const candidate = (kid: string) => ({ kid, wrappedKey: Buffer.alloc(40, 7) });

describe('openDataKeyStore on read.sqlite (real files)', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'data-keys-'));
  });
  afterEach(() => {
    rmSync(dir, { recursive: true, force: true });
  });

  it('shares read.sqlite with the read models: a key is created while a projection transaction holds the write lock across awaits', async () => {
    const config = loadConfig({ DATA_DIR: dir });
    const readDb = new SqliteReadDb(path.join(dir, 'read.sqlite'));
    const keys = await openDataKeyStore(config);
    try {
      await readDb.exec('CREATE TABLE IF NOT EXISTS t (n INTEGER)');
      let committed = false;
      const projection = readDb.transaction(async (tx) => {
        await tx.query('INSERT INTO t (n) VALUES (1)');
        await sleep(150); // the projection awaits inside its transaction, as a projector may
        committed = true;
      });
      await sleep(20);
      // A synchronous busy wait here would block the event loop the transaction needs: it must retry asynchronously.
      const created = await keys.store.create('user_1', candidate('kid-1'));
      expect(committed).toBe(true);
      expect(created).toMatchObject({ status: 'active', subjectId: 'user_1', kid: 'kid-1' });
      await projection;
      expect(await keys.store.get('user_1')).toMatchObject({ kid: 'kid-1' });
    } finally {
      await keys.close();
      await readDb.close();
    }
  });

  it('erases with secure_delete on the shared file', async () => {
    const keys = await openDataKeyStore(loadConfig({ DATA_DIR: dir }));
    try {
      await keys.store.create('user_2', candidate('kid-2'));
      await keys.store.destroy('user_2');
      expect(await keys.store.isErased('user_2')).toBe(true);
    } finally {
      await keys.close();
    }
  });

  it('uses the file READ_DB_URL names', async () => {
    const file = path.join(dir, 'elsewhere', 'models.sqlite');
    const keys = await openDataKeyStore(loadConfig({ DATA_DIR: dir, READ_DB_URL: `sqlite:${file}` }));
    try {
      await keys.store.create('user_3', candidate('kid-3'));
    } finally {
      await keys.close();
    }
    const readDb = new SqliteReadDb(file);
    try {
      expect(await readDb.query('SELECT subject_id FROM data_keys')).toEqual([{ subject_id: 'user_3' }]);
    } finally {
      await readDb.close();
    }
  });
});
