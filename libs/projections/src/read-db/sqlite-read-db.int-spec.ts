import { randomUUID } from 'node:crypto';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describeReadDbContract } from '../contract/read-db.contract';
import { openReadDb } from './open-read-db';
import { SqliteReadDb } from './sqlite-read-db';

const root = mkdtempSync(join(tmpdir(), 'ledgerline-read-sqlite-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

let current = '';

describeReadDbContract('sqlite', {
  open: async () => {
    current = join(root, randomUUID(), 'read.sqlite');
    return new SqliteReadDb(current);
  },
  reopen: async () => new SqliteReadDb(current),
  cleanup: async () => undefined,
});

describe('SqliteReadDb', () => {
  it('opens <dataDir>/read.sqlite when no URL is configured, in WAL mode', async () => {
    const dataDir = join(root, randomUUID());
    const db = await openReadDb(undefined, dataDir);
    try {
      expect(db.dialect).toBe('sqlite');
      expect(await db.query('PRAGMA journal_mode')).toEqual([{ journal_mode: 'wal' }]);
      expect(existsSync(join(dataDir, 'read.sqlite'))).toBe(true);
    } finally {
      await db.close();
    }
  });

  it("keeps the writer's temp files (savepoint journals) in memory, and the reader's on disk", async () => {
    const db = new SqliteReadDb(join(root, randomUUID(), 'read.sqlite'));
    try {
      expect(await db.transaction((tx) => tx.query('PRAGMA temp_store'))).toEqual([{ temp_store: 2 }]);
      expect(await db.query('PRAGMA temp_store')).toEqual([{ temp_store: 0 }]);
    } finally {
      await db.close();
    }
  });

  it('opens the file a sqlite: URL names, with or without //', async () => {
    for (const prefix of ['sqlite:', 'sqlite://']) {
      const file = join(root, randomUUID(), 'models.sqlite');
      const db = await openReadDb(`${prefix}${file}`, '/nonexistent');
      await db.close();
      expect(existsSync(file)).toBe(true);
    }
  });

  it('refuses other URL schemes without echoing the rest of the URL', async () => {
    await expect(openReadDb('mysql://user:secret@host/db', root)).rejects.toThrow(/unsupported read database URL scheme "mysql:"/);
    await expect(openReadDb('mysql://user:secret@host/db', root)).rejects.not.toThrow(/secret/);
    await expect(openReadDb('sqlite:', root)).rejects.toThrow(/names no file/);
  });

  it('serialises transactions on the single connection of an in-memory database', async () => {
    const db = new SqliteReadDb(':memory:');
    try {
      await db.exec('CREATE TABLE t (k TEXT PRIMARY KEY)');
      const order: string[] = [];
      const slow = db.transaction(async (tx) => {
        order.push('slow:start');
        await tx.query('INSERT INTO t (k) VALUES ($1)', ['slow']);
        await new Promise((resolve) => setTimeout(resolve, 20));
        order.push('slow:end');
      });
      const fast = db.transaction(async (tx) => {
        order.push('fast:start');
        await tx.query('INSERT INTO t (k) VALUES ($1)', ['fast']);
        order.push('fast:end');
      });
      await Promise.all([slow, fast]);
      expect(order).toEqual(['slow:start', 'slow:end', 'fast:start', 'fast:end']);
      expect(await db.query('SELECT k FROM t ORDER BY k')).toEqual([{ k: 'fast' }, { k: 'slow' }]);
    } finally {
      await db.close();
    }
  });

  it('leaves a $1 inside a string literal alone', async () => {
    const db = new SqliteReadDb(':memory:');
    try {
      expect(await db.query("SELECT '$1' AS literal, $1 AS bound", ['value'])).toEqual([{ literal: '$1', bound: 'value' }]);
    } finally {
      await db.close();
    }
  });
});
