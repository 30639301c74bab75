import { randomUUID } from 'node:crypto';
import { describeReadDbContract } from '../contract/read-db.contract';
import { openReadDb } from './open-read-db';
import { PostgresReadDb } from './postgres-read-db';

// Others run their suites against the same `test` database at the same time: every read database
// here lives in its own schema, dropped afterwards.
const URL = process.env.READ_DB_URL?.startsWith('postgres') ? process.env.READ_DB_URL : 'postgres://postgres@127.0.0.1:5432/test';
const run = `proj_${process.pid}_${randomUUID().slice(0, 8)}`;
const schemas = new Set<string>();
let current = '';

async function dropSchemas(): Promise<void> {
  if (schemas.size === 0) return;
  const admin = await PostgresReadDb.open(URL);
  try {
    for (const schema of schemas) await admin.exec(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
    schemas.clear();
  } finally {
    await admin.close();
  }
}

describeReadDbContract('postgres', {
  open: async () => {
    current = `${run}_${schemas.size}`;
    schemas.add(current);
    return PostgresReadDb.open(URL, { schema: current });
  },
  reopen: async () => PostgresReadDb.open(URL, { schema: current }),
  cleanup: dropSchemas,
});

describe('PostgresReadDb', () => {
  afterAll(dropSchemas);

  it('opens a postgres:// URL and confines tables to the given schema', async () => {
    const schema = `${run}_own`;
    schemas.add(schema);
    const db = await openReadDb(URL.replace(/^postgres:/, 'postgresql:'), '/unused', { postgres: { schema } });
    try {
      expect(db.dialect).toBe('postgres');
      await db.exec('CREATE TABLE IF NOT EXISTS confined (k TEXT PRIMARY KEY)');
      const rows = await db.query('SELECT table_schema FROM information_schema.tables WHERE table_name = $1 AND table_schema = $2', [
        'confined',
        schema,
      ]);
      expect(rows).toEqual([{ table_schema: schema }]);
    } finally {
      await db.close();
    }
  });

  it('refuses a schema name that is not a plain identifier', async () => {
    await expect(PostgresReadDb.open(URL, { schema: 'x"; DROP TABLE y; --' })).rejects.toThrow(/invalid PostgreSQL schema name/);
  });

  it('drops its own schema on request', async () => {
    const schema = `${run}_dropped`;
    const db = await PostgresReadDb.open(URL, { schema });
    await db.exec('CREATE TABLE IF NOT EXISTS gone (k TEXT)');
    await db.dropSchemaAndClose();
    const admin = await PostgresReadDb.open(URL);
    try {
      expect(await admin.query('SELECT schema_name FROM information_schema.schemata WHERE schema_name = $1', [schema])).toEqual([]);
    } finally {
      await admin.close();
    }
  });
});
