import { randomBytes } from 'node:crypto';
import { Pool } from 'pg';
import { SubjectErasedError } from './crypto.errors';
import { FieldCipher } from './field-cipher';
import { parseCompactJwe } from './jwe-compact';
import { PostgresDataKeyStore } from './postgres/postgres-data-key.store';

// FieldCipher over the machine's real PostgreSQL, as several API instances would share it.
const url = process.env.LEDGERLINE_TEST_PG_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
const schema = `crypto_fc_${process.pid}_${randomBytes(4).toString('hex')}`;
const masterKey = randomBytes(32);
let poolA: Pool;
let poolB: Pool;
let a: FieldCipher;
let b: FieldCipher;
let clock = 0;

beforeAll(async () => {
  poolA = new Pool({ connectionString: url, max: 4 });
  poolB = new Pool({ connectionString: url, max: 4 });
  await poolA.query(`CREATE SCHEMA "${schema}"`);
  const storeA = new PostgresDataKeyStore(poolA, { schema });
  await storeA.migrate();
  a = new FieldCipher({ masterKey, store: storeA });
  b = new FieldCipher({ masterKey, store: new PostgresDataKeyStore(poolB, { schema }), cacheTtlMs: 60_000, now: () => clock });
});

afterAll(async () => {
  await poolA.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
  await Promise.all([poolA.end(), poolB.end()]);
});

describe('FieldCipher on PostgreSQL, two instances', () => {
  it('agrees on one key per subject when both instances encrypt first at once', async () => {
    const subjects = Array.from({ length: 8 }, (_, i) => `user_pg_${i}`);
    const values = await Promise.all(subjects.flatMap((s) => [a.encrypt(s, `${s} via a`), b.encrypt(s, `${s} via b`)]));
    for (let i = 0; i < subjects.length; i++) {
      const [va, vb] = [values[2 * i]!, values[2 * i + 1]!];
      expect(parseCompactJwe(va.$jwe).kid).toBe(parseCompactJwe(vb.$jwe).kid);
      expect(await b.decrypt(va)).toEqual({ value: `${subjects[i]} via a` });
      expect(await a.decrypt(vb)).toEqual({ value: `${subjects[i]} via b` });
    }
    const { rows } = await poolA.query(`SELECT count(*)::int AS n FROM "${schema}".data_keys`);
    expect(rows[0].n).toBe(subjects.length);
  });

  it('erases through one instance; the other sees it once its cache entry expires', async () => {
    const doc = { title: await a.encrypt('user_gone', 'T'), owner: await a.encrypt('user_stays', 'O') };
    expect((await b.decryptDeep(doc)).erased).toBe(false);

    await a.eraseSubject('user_gone');
    expect(await a.decryptDeep(doc)).toEqual({ value: { title: null, owner: 'O' }, erased: true });
    clock += 60_000;
    expect(await b.decryptDeep(doc)).toEqual({ value: { title: null, owner: 'O' }, erased: true });
    await expect(b.encrypt('user_gone', 'again')).rejects.toThrow(SubjectErasedError);
  });
});
