import { randomBytes } from 'node:crypto';
import { Client, Pool } from 'pg';
import type { AppConfig } from '@ledgerline/config';
import { FieldCipher, PostgresDataKeyStore } from '@ledgerline/crypto';
import { openDataKeyStore } from './data-key-store.factory';

const PG = 'postgres://postgres@127.0.0.1:5432/test';

describe('openDataKeyStore on PostgreSQL: keys commit durably before any event can use them (real PostgreSQL)', () => {
  const schema = `keys_${randomBytes(6).toString('hex')}`;
  // A server, database or role default of synchronous_commit = off, as an operator might set for speed.
  const url = `${PG}?options=${encodeURIComponent(`-c search_path=${schema} -c synchronous_commit=off`)}`;
  const admin = new Client({ connectionString: PG });
  // pg's own test for its deprecation "client.query() when the client is already executing a query" (pg 9
  // refuses such a query): a query is issued while the client's queue still holds one.
  const queuedBehindAnother: string[] = [];
  const query = Client.prototype.query;

  beforeAll(async () => {
    jest.spyOn(Client.prototype, 'query').mockImplementation(function (this: Client, ...args: unknown[]) {
      const queue = (this as unknown as { _queryQueue?: unknown[] })._queryQueue;
      if (queue !== undefined && queue.length > 0) queuedBehindAnother.push(String(args[0]));
      return (query as (...a: unknown[]) => unknown).apply(this, args);
    } as typeof query);
    await admin.connect();
    await admin.query(`CREATE SCHEMA ${schema}`);
  });
  afterAll(async () => {
    jest.restoreAllMocks();
    await admin.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
    await admin.end();
  });

  it('overrides synchronous_commit = off on its own connections, and a key is committed before the ciphertext under it exists', async () => {
    const opened = await openDataKeyStore({ readDbUrl: url, readDbMigrate: true, dataDir: '/nonexistent' } as AppConfig);
    const observer = new Client({ connectionString: url });
    await observer.connect();
    try {
      expect((await observer.query('SHOW synchronous_commit')).rows[0].synchronous_commit).toBe('off');
      const cipher = new FieldCipher({ masterKey: randomBytes(32), store: opened.store });
      const ciphertext = await cipher.encrypt('user_pg_order', 'typed by a user');
      // The moment encrypt returns (before any event could carry the ciphertext), the key is committed:
      // another connection sees it, and it was committed under synchronous_commit = on.
      const kid = JSON.parse(Buffer.from(ciphertext.$jwe.split('.')[0], 'base64url').toString('utf8')).kid as string;
      expect((await observer.query('SELECT subject_id FROM data_keys WHERE kid = $1', [kid])).rows).toEqual([{ subject_id: 'user_pg_order' }]);
    } finally {
      await observer.end();
      await opened.close();
    }
  });

  it('sets each connection up before handing it out: no query is queued behind the setting (pg 9 refuses that)', async () => {
    const opened = await openDataKeyStore({ readDbUrl: url, readDbMigrate: true, dataDir: '/nonexistent' } as AppConfig);
    try {
      const cipher = new FieldCipher({ masterKey: randomBytes(32), store: opened.store });
      // Several at once, so the pool opens several connections and each one's first query follows its setting.
      await Promise.all(['user_pg_a', 'user_pg_b', 'user_pg_c', 'user_pg_d'].map((user) => cipher.encrypt(user, 'typed by a user')));
      expect(queuedBehindAnother).toEqual([]);
    } finally {
      await opened.close();
    }
  });

  it('refuses to start when its connections would not commit durably', async () => {
    const pool = new Pool({ connectionString: url, max: 1 });
    try {
      await expect(new PostgresDataKeyStore(pool).assertDurableCommits()).rejects.toThrow(/synchronous_commit is "off".*refusing to start/);
    } finally {
      await pool.end();
    }
  });
});
