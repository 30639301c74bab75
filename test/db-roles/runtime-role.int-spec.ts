import { execFile } from 'node:child_process';
import { createHash, createHmac, pbkdf2Sync, randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { Pool } from 'pg';
import { loadConfig } from '@ledgerline/config';
import { PostgresDataKeyStore } from '@ledgerline/crypto';
import { SqliteEventStore } from '@ledgerline/event-store';
import { CHECKPOINTS_TABLE, PostgresReadDb, readCheckpoint, rebuildProjections } from '@ledgerline/projections';
import { allProjectors } from '../../apps/api/src/platform/projections/projectors';
import { loadOrCreateDevAuthKey } from '../../apps/api/src/contexts/access/authentication/dev-auth-key';
import { mintDevToken } from '../../apps/api/src/contexts/access/authentication/dev-token';
import { DEV_AUTHORIZED_PARTY } from '../../apps/api/src/contexts/access/authentication/verifier-settings';
import { randomPort, REPO_ROOT, startApiProcess } from '../support/api-process';

const run = promisify(execFile);
const ADMIN = 'postgres://postgres@127.0.0.1:5432/test';
const ROLES_SQL = path.join(REPO_ROOT, 'deploy/postgres/roles.sql');
const INIT_ROLES = path.join(REPO_ROOT, 'deploy/postgres/init-roles.sh');
const REFUSED = /permission denied|must be owner/;

/**
 * deploy/postgres/roles.sql on the real PostgreSQL, in a database of its own (the script changes
 * database-level privileges) with uniquely named roles; everything is dropped afterwards.
 */
describe('PostgreSQL least privilege: migrations as the owner role, the API and worker as the runtime role', () => {
  const suffix = randomBytes(5).toString('hex');
  const database = `ledgerline_roles_${suffix}`;
  const owner = `ledgerline_owner_${suffix}`;
  const runtime = `ledgerline_app_${suffix}`;
  const url = (role: string) => `postgres://${role}@127.0.0.1:5432/${database}`;
  const admin = new Pool({ connectionString: ADMIN, max: 1 });
  const dataDir = mkdtempSync(path.join(os.tmpdir(), 'ledgerline-roles-'));
  const opened: { close(): Promise<void> }[] = [];
  const projectors = allProjectors({ config: loadConfig({ DATA_DIR: dataDir }) });

  const applyRolesSql = () =>
    run('psql', ['-X', '-q', '-h', '127.0.0.1', '-U', 'postgres', '-d', database, '-v', `owner=${owner}`, '-v', `runtime=${runtime}`, '-v', 'schema=ledgerline', '-f', ROLES_SQL]);

  const passwords = { [owner]: `owner-${randomBytes(9).toString('hex')}`, [runtime]: `app-${randomBytes(9).toString('hex')}` };
  const passwordFile = (role: string) => {
    const file = path.join(dataDir, `${role}.password`);
    writeFileSync(file, `${passwords[role]}\n`, { mode: 0o600 }); // as generate-secrets.sh writes them
    return file;
  };
  /** docker-compose's first-start hook: roles.sql, then both passwords from secret files. */
  const runInitHook = () =>
    run('bash', [INIT_ROLES], {
      env: {
        PATH: process.env.PATH ?? '',
        PGHOST: '127.0.0.1',
        POSTGRES_USER: 'postgres',
        POSTGRES_DB: database,
        LEDGERLINE_OWNER_ROLE: owner,
        LEDGERLINE_RUNTIME_ROLE: runtime,
        LEDGERLINE_OWNER_PASSWORD_FILE: passwordFile(owner),
        LEDGERLINE_RUNTIME_PASSWORD_FILE: passwordFile(runtime),
      },
    });

  beforeAll(async () => {
    await admin.query(`CREATE DATABASE ${database}`);
    await runInitHook();
    await applyRolesSql(); // safe to run again
  });
  afterAll(async () => {
    for (const handle of opened) await handle.close();
    await admin.query(`DROP DATABASE IF EXISTS ${database} WITH (FORCE)`);
    await admin.query(`DROP ROLE IF EXISTS ${runtime}`);
    await admin.query(`DROP ROLE IF EXISTS ${owner}`);
    await admin.end();
    rmSync(dataDir, { recursive: true, force: true });
  });

  async function readDb(role: string): Promise<PostgresReadDb> {
    const db = await PostgresReadDb.open(url(role));
    opened.push(db);
    return db;
  }
  function pool(role: string): Pool {
    const created = new Pool({ connectionString: url(role), max: 2 });
    created.on('error', () => undefined); // an idle client's failure surfaces on the next query
    opened.push({ close: () => created.end() });
    return created;
  }

  it("sets each role's password from its secret file in the compose first-start hook (SCRAM verifier of the file's value)", async () => {
    for (const role of [owner, runtime]) {
      const { rows } = await admin.query<{ verifier: string }>('SELECT rolpassword AS verifier FROM pg_authid WHERE rolname = $1', [role]);
      const [, iterations, salt, storedKey, serverKey] = /^SCRAM-SHA-256\$(\d+):([^$]+)\$([^:]+):(.+)$/.exec(rows[0].verifier) ?? [];
      const salted = pbkdf2Sync(passwords[role], Buffer.from(salt, 'base64'), Number(iterations), 32, 'sha256');
      const clientKey = createHmac('sha256', salted).update('Client Key').digest();
      expect(createHash('sha256').update(clientKey).digest('base64')).toBe(storedKey);
      expect(createHmac('sha256', salted).update('Server Key').digest('base64')).toBe(serverKey);
    }
  });

  it('runs every projector migration and the key-table migration as the owner, which then owns every table', async () => {
    const store = new SqliteEventStore(path.join(dataDir, 'events.sqlite'));
    opened.push(store);
    await rebuildProjections(store, await readDb(owner), projectors); // `npm run projections:rebuild`: creates every read model
    await new PostgresDataKeyStore(pool(owner)).migrate();

    const inDb = new Pool({ connectionString: `postgres://postgres@127.0.0.1:5432/${database}`, max: 1 });
    inDb.on('error', () => undefined);
    opened.push({ close: () => inDb.end() });
    const owned = (await inDb.query<{ tablename: string; tableowner: string }>(`SELECT tablename, tableowner FROM pg_tables WHERE schemaname = 'ledgerline'`)).rows;
    expect(owned.map((t) => t.tablename)).toEqual(expect.arrayContaining([CHECKPOINTS_TABLE, 'documents', 'document_shares', 'profiles', 'data_keys', 'merkle_leaves']));
    expect(new Set(owned.map((t) => t.tableowner))).toEqual(new Set([owner]));
  });

  it('lets the runtime role read and write the read models and the key table', async () => {
    const db = await readDb(runtime);
    const [projector] = projectors;
    expect(await readCheckpoint(db, projector.name)).toEqual({ version: projector.version, position: undefined });
    await db.transaction(async (tx) => {
      await tx.query(`UPDATE ${CHECKPOINTS_TABLE} SET position = $1 WHERE name = $2`, [41n, projector.name]);
      await tx.query('INSERT INTO document_shares (document_id, user_id, access) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING', ['doc_rt', 'user_rt', 'read']);
      await tx.query('UPDATE document_shares SET access = $1 WHERE document_id = $2 AND user_id = $3', ['write', 'doc_rt', 'user_rt']);
    });
    expect(await db.query('SELECT access FROM document_shares WHERE document_id = $1 AND user_id = $2', ['doc_rt', 'user_rt'])).toEqual([{ access: 'write' }]);
    expect((await readCheckpoint(db, projector.name))?.position).toBe(41n);
    await db.query('DELETE FROM document_shares WHERE document_id = $1', ['doc_rt']);

    const keys = new PostgresDataKeyStore(pool(runtime));
    const created = await keys.create('user_rt', { kid: 'kid-rt-1', wrappedKey: randomBytes(40) });
    expect(created.status).toBe('active');
    expect((await keys.destroy('user_rt')).status).toBe('erased');
    expect(await keys.isErased('user_rt')).toBe(true);
  });

  it('refuses the runtime role every schema change: DROP, CREATE, ALTER, TRUNCATE, indexes, schemas, temporary tables', async () => {
    const db = await readDb(runtime);
    const statements = [
      'DROP TABLE documents',
      'DROP TABLE IF EXISTS data_keys',
      'CREATE TABLE intruder (id TEXT)',
      'CREATE TABLE public.intruder (id TEXT)',
      'CREATE TEMP TABLE intruder (id TEXT)',
      'ALTER TABLE documents ADD COLUMN intruder TEXT',
      'ALTER TABLE data_keys DROP CONSTRAINT data_keys_pkey',
      'CREATE INDEX intruder_idx ON documents (title)',
      'TRUNCATE documents',
      'CREATE SCHEMA intruder',
      `SET ROLE ${owner}`,
    ];
    for (const sql of statements) {
      const outcome = await db.exec(sql).then(() => 'accepted', (error: Error) => error.message);
      expect({ sql, outcome }).toEqual({ sql, outcome: expect.stringMatching(REFUSED) });
    }
    // Not even the idempotent `CREATE … IF NOT EXISTS` that projectors run: migrations are the owner's.
    await expect(db.transaction(async (tx) => projectors[1].migrate(tx))).rejects.toThrow(REFUSED);
    await expect(new PostgresDataKeyStore(pool(runtime)).migrate()).rejects.toThrow(REFUSED);
    const tables = await db.query<{ n: number }>(`SELECT COUNT(*) AS n FROM pg_tables WHERE tablename = 'intruder'`);
    expect(tables).toEqual([{ n: 0 }]);
    // A GRANT by a non-owner is only a warning in PostgreSQL, and grants nothing.
    await db.exec('GRANT SELECT ON documents TO PUBLIC');
    expect(await db.query(`SELECT has_table_privilege('public', 'documents', 'SELECT') AS granted`)).toEqual([{ granted: false }]);
  });

  it('gives the runtime role no attributes and no memberships to escalate through', async () => {
    const db = await readDb(runtime);
    const [role] = await db.query<Record<string, boolean>>(
      'SELECT rolsuper, rolcreaterole, rolcreatedb, rolreplication, rolbypassrls, rolinherit FROM pg_roles WHERE rolname = current_user',
    );
    expect(role).toEqual({ rolsuper: false, rolcreaterole: false, rolcreatedb: false, rolreplication: false, rolbypassrls: false, rolinherit: false });
    expect(await db.query('SELECT roleid::regrole::text FROM pg_auth_members WHERE member = current_user::regrole')).toEqual([]);
  });

  it('runs the real API as the runtime role with READ_DB_MIGRATE=off after `npm run db:migrate` as the owner', async () => {
    const cli = path.join(REPO_ROOT, 'dist/apps/api/src/projections-cli.js');
    await run(process.execPath, [cli, 'migrate'], { env: { PATH: process.env.PATH ?? '', DATA_DIR: dataDir, READ_DB_URL: url(owner) } });
    const env = { DATA_DIR: dataDir, READ_DB_URL: url(runtime), RATE_LIMIT_IP_PER_MIN: '0' };
    // Without the switch the runtime role's CREATE … IF NOT EXISTS at start is refused: the API does not start.
    await expect(startApiProcess(env, randomPort())).rejects.toThrow(/exited early/);
    const api = await startApiProcess({ ...env, READ_DB_MIGRATE: 'off' }, randomPort());
    try {
      const token = mintDevToken(loadOrCreateDevAuthKey(dataDir).privateKey, { userId: 'user_least', azp: DEV_AUTHORIZED_PARTY, ttlSeconds: 600, secondFactorAgeMinutes: null });
      const headers = { authorization: `Bearer ${token}`, 'content-type': 'application/json' };
      const created = await fetch(`${api.baseUrl}/v1/documents`, { method: 'POST', headers, body: JSON.stringify({ title: 'least privilege', body: 'ok' }) });
      expect(created.status).toBe(201);
      const { id, position } = (await created.json()) as { id: string; position: string };
      const list = await fetch(`${api.baseUrl}/v1/documents`, { headers: { ...headers, 'x-consistent-after': position } });
      expect(list.status).toBe(200);
      expect(((await list.json()) as { items: { id: string }[] }).items.map((item) => item.id)).toContain(id);
    } finally {
      api.child.kill('SIGTERM');
      await api.exited;
    }
  });
});
