import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Client } from 'pg';
import { SqliteEventStore, type RecordedEvent } from '@ledgerline/event-store';
import { jwksKeyMap, verifyChain } from '@ledgerline/integrity';
import { loadOrCreateDevAuthKey } from '../../apps/api/src/contexts/access/authentication/dev-auth-key';
import { mintDevToken } from '../../apps/api/src/contexts/access/authentication/dev-token';
import { DEV_AUTHORIZED_PARTY } from '../../apps/api/src/contexts/access/authentication/verifier-settings';
import { randomPort, startApiProcess, type ApiProcess } from '../support/api-process';

const PG = 'postgres://postgres@127.0.0.1:5432/test';

describe('two API instances sharing one embedded event store, PostgreSQL read models and Redis (real processes)', () => {
  const schema = `multi_${randomBytes(6).toString('hex')}`;
  const admin = new Client({ connectionString: PG });
  let dataDir: string;
  const instances: ApiProcess[] = [];

  beforeAll(async () => {
    await admin.connect();
    await admin.query(`CREATE SCHEMA ${schema}`);
    dataDir = mkdtempSync(path.join(os.tmpdir(), 'ledgerline-multi-'));
    const env = {
      DATA_DIR: dataDir,
      READ_DB_URL: `${PG}?options=${encodeURIComponent(`-c search_path=${schema}`)}`,
      REDIS_URL: 'redis://127.0.0.1:6379',
      RATE_LIMIT_IP_PER_MIN: '0',
      RATE_LIMIT_USER_PER_MIN: '1000',
    };
    // One instance runs the projections and the notary (WORKER on), the other is a stateless API.
    instances.push(await startApiProcess({ ...env, WORKER: 'on' }, randomPort()));
    instances.push(await startApiProcess({ ...env, WORKER: 'off' }, randomPort()));
  });
  afterAll(async () => {
    for (const instance of instances) {
      instance.child.kill('SIGTERM');
      await instance.exited;
    }
    await admin.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
    await admin.end();
    rmSync(dataDir, { recursive: true, force: true });
  });

  const token = (userId: string) =>
    mintDevToken(loadOrCreateDevAuthKey(dataDir).privateKey, { userId, azp: DEV_AUTHORIZED_PARTY, ttlSeconds: 600, secondFactorAgeMinutes: null });

  it('keeps every stream chain intact and every acknowledged write under concurrent writes through both', async () => {
    const owner = token('user_multi_owner');
    const headers = { authorization: `Bearer ${owner}`, 'content-type': 'application/json' };
    const created = await fetch(`${instances[0].baseUrl}/v1/documents`, { method: 'POST', headers, body: JSON.stringify({ title: 'shared', body: 'v0' }) });
    expect(created.status).toBe(201);
    const { id } = (await created.json()) as { id: string };

    const edits = await Promise.all(
      Array.from({ length: 40 }, (_, i) =>
        fetch(`${instances[i % 2].baseUrl}/v1/documents/${id}`, { method: 'PATCH', headers, body: JSON.stringify({ body: `edit ${i}` }) }).then(
          (response) => response.status,
        ),
      ),
    );
    const acknowledged = edits.filter((status) => status >= 200 && status < 300).length;
    // Every refusal is a clean conflict answer, never a 5xx.
    expect(edits.every((status) => (status >= 200 && status < 300) || status === 409 || status === 412)).toBe(true);
    expect(acknowledged).toBeGreaterThan(0);

    const store = new SqliteEventStore(path.join(dataDir, 'events.sqlite'));
    try {
      const events: RecordedEvent[] = [];
      for await (const event of store.readStream(`document-${id}`)) events.push(event);
      expect(events.filter((event) => event.type === 'DocumentEdited')).toHaveLength(acknowledged);
      expect(new Set(events.map((event) => event.metadata.prev)).size).toBe(events.length);
      const jwks = await (await fetch(`${instances[1].baseUrl}/.well-known/jwks.json`)).json();
      expect(verifyChain(events, await jwksKeyMap(jwks))).toMatchObject({ ok: true, count: acknowledged + 1 });
    } finally {
      await store.close();
    }
  });

  it('holds the free-plan quota exactly: 50 concurrent creates for one free user over both instances leave 10 documents', async () => {
    const headers = { authorization: `Bearer ${token('user_multi_quota')}`, 'content-type': 'application/json' };
    const statuses = await Promise.all(
      Array.from({ length: 50 }, (_, i) =>
        fetch(`${instances[i % 2].baseUrl}/v1/documents`, { method: 'POST', headers, body: JSON.stringify({ title: `quota ${i}`, body: 'b' }) }).then(
          async (response) => ({ status: response.status, type: response.status === 403 ? ((await response.json()) as { type: string }).type : undefined }),
        ),
      ),
    );
    expect(statuses.filter((s) => s.status === 201)).toHaveLength(10);
    // Every other answer is the quota's own refusal, never a conflict or a 5xx.
    expect(statuses.filter((s) => s.status !== 201).every((s) => s.status === 403 && /quota-exceeded$/.test(s.type ?? ''))).toBe(true);

    const store = new SqliteEventStore(path.join(dataDir, 'events.sqlite'));
    try {
      const created: RecordedEvent[] = [];
      for await (const event of store.readAll()) if (event.type === 'DocumentCreated' && event.data.ownerId === 'user_multi_quota') created.push(event);
      expect(created).toHaveLength(10);
    } finally {
      await store.close();
    }
  });

  it('counts one user\'s rate limit across both instances', async () => {
    const limitedEnv = {
      DATA_DIR: dataDir,
      READ_DB_URL: `${PG}?options=${encodeURIComponent(`-c search_path=${schema}`)}`,
      REDIS_URL: 'redis://127.0.0.1:6379',
      RATE_LIMIT_IP_PER_MIN: '0',
      RATE_LIMIT_USER_PER_MIN: '6',
      WORKER: 'off',
    };
    const limited = await startApiProcess(limitedEnv, randomPort());
    const other = await startApiProcess(limitedEnv, randomPort());
    instances.push(limited, other);
    const user = token(`user_rl_${randomBytes(4).toString('hex')}`);
    const statuses: number[] = [];
    for (let i = 0; i < 8; i++) {
      const via = i % 2 === 0 ? limited : other;
      statuses.push((await fetch(`${via.baseUrl}/v1/documents`, { headers: { authorization: `Bearer ${user}` } })).status);
    }
    expect(statuses).toEqual([200, 200, 200, 200, 200, 200, 429, 429]);
  });
});
