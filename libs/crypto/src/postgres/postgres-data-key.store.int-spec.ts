import { randomBytes } from 'node:crypto';
import { Pool } from 'pg';
import { describeDataKeyStoreContract } from '../data-key-store.contract';
import { newKeyId } from '../data-key';
import { PostgresDataKeyStore } from './postgres-data-key.store';

// The machine's PostgreSQL (trust auth); override for other setups.
const url = process.env.LEDGERLINE_TEST_PG_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
// One schema per run so parallel runs never share a table; dropped afterwards.
const schema = `crypto_dks_${process.pid}_${randomBytes(4).toString('hex')}`;
let pool: Pool;
let tables = 0;

beforeAll(async () => {
  pool = new Pool({ connectionString: url, max: 8 });
  await pool.query(`CREATE SCHEMA "${schema}"`);
});

afterAll(async () => {
  await pool.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
  await pool.end();
});

async function freshStore(): Promise<PostgresDataKeyStore> {
  const store = new PostgresDataKeyStore(pool, { schema, table: `data_keys_${++tables}` });
  await store.migrate();
  return store;
}

describeDataKeyStoreContract('PostgreSQL', {
  async open() {
    return { store: await freshStore(), dispose: async () => undefined };
  },
});

describe('PostgresDataKeyStore', () => {
  it('migrates idempotently, also when instances migrate at once', async () => {
    const table = `data_keys_${++tables}`;
    await Promise.all(Array.from({ length: 4 }, () => new PostgresDataKeyStore(pool, { schema, table }).migrate()));
    await new PostgresDataKeyStore(pool, { schema, table }).migrate();
    const { rows } = await pool.query('SELECT count(*)::int AS n FROM information_schema.tables WHERE table_schema = $1 AND table_name = $2', [schema, table]);
    expect(rows[0].n).toBe(1);
  });

  it('resolves a create race between two separate pools to one key', async () => {
    const table = `data_keys_${++tables}`;
    const other = new Pool({ connectionString: url, max: 4 });
    try {
      const a = new PostgresDataKeyStore(pool, { schema, table });
      const b = new PostgresDataKeyStore(other, { schema, table });
      await a.migrate();
      for (let round = 0; round < 10; round++) {
        const subject = `user_${round}`;
        const results = await Promise.all(
          [a, b, a, b].map((s) => s.create(subject, { kid: newKeyId(), wrappedKey: randomBytes(40) })),
        );
        expect(new Set(results.map((r) => r.kid)).size).toBe(1);
      }
      const { rows } = await pool.query(`SELECT count(*)::int AS n FROM "${schema}"."${table}"`);
      expect(rows[0].n).toBe(10);
    } finally {
      await other.end();
    }
  });

  it('stores no key bytes in an erased row', async () => {
    const store = await freshStore();
    await store.create('user_a', { kid: newKeyId(), wrappedKey: randomBytes(40) });
    await store.destroy('user_a');
    const { rows } = await pool.query(`SELECT wrapped_key FROM "${schema}"."data_keys_${tables}" WHERE subject_id = 'user_a'`);
    expect(rows).toEqual([{ wrapped_key: null }]);
    await expect(
      pool.query(`INSERT INTO "${schema}"."data_keys_${tables}" VALUES ('u', 'k', $1, now(), now())`, [randomBytes(40)]),
    ).rejects.toThrow(/check constraint/);
  });

  it('rejects unsafe identifiers', () => {
    expect(() => new PostgresDataKeyStore(pool, { table: 'x"; DROP TABLE y; --' })).toThrow(TypeError);
    expect(() => new PostgresDataKeyStore(pool, { schema: 'Public' })).toThrow(TypeError);
  });
});
