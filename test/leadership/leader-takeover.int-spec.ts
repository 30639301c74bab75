import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Client } from 'pg';
import { loadOrCreateDevAuthKey } from '../../apps/api/src/contexts/access/authentication/dev-auth-key';
import { mintDevToken } from '../../apps/api/src/contexts/access/authentication/dev-token';
import { DEV_AUTHORIZED_PARTY } from '../../apps/api/src/contexts/access/authentication/verifier-settings';
import { randomPort, startApiProcess, WORKER_MAIN, type ApiProcess } from '../support/api-process';
import { eventually } from '../support/eventually';

const PG = 'postgres://postgres@127.0.0.1:5432/test';


describe('worker leadership on PostgreSQL (two real worker processes)', () => {
  const schema = `leader_${randomBytes(6).toString('hex')}`;
  const admin = new Client({ connectionString: PG });
  let dataDir: string;
  const workers: ApiProcess[] = [];

  beforeAll(async () => {
    await admin.connect();
    await admin.query(`CREATE SCHEMA ${schema}`);
    dataDir = mkdtempSync(path.join(os.tmpdir(), 'ledgerline-leader-'));
  });
  afterAll(async () => {
    for (const worker of workers) worker.child.kill('SIGKILL');
    await admin.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
    await admin.end();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('lets one worker lead; when it is killed, the other takes over from the stored checkpoints and no leaf is assigned twice', async () => {
    const env = {
      DATA_DIR: dataDir,
      READ_DB_URL: `${PG}?options=${encodeURIComponent(`-c search_path=${schema}`)}`,
      CHECKPOINT_INTERVAL_MS: '100',
      RATE_LIMIT_IP_PER_MIN: '0',
    };
    const leader = await startApiProcess(env, randomPort(), WORKER_MAIN);
    workers.push(leader);
    const follower = await startApiProcess(env, randomPort(), WORKER_MAIN);
    workers.push(follower);
    const token = mintDevToken(loadOrCreateDevAuthKey(dataDir).privateKey, { userId: 'user_writer', azp: DEV_AUTHORIZED_PARTY, ttlSeconds: 600, secondFactorAgeMinutes: null });
    const create = async (via: ApiProcess, n: number) => {
      for (let i = 0; i < n; i++) {
        const response = await fetch(`${via.baseUrl}/v1/documents`, {
          method: 'POST',
          headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
          body: JSON.stringify({ title: `doc ${i}`, body: 'text' }),
        });
        expect(response.status).toBe(201);
      }
    };
    const checkpointSize = async (via: ApiProcess): Promise<number | undefined> => {
      const response = await fetch(`${via.baseUrl}/v1/audit/checkpoints/latest`);
      if (response.status !== 200) return undefined;
      return Number((await response.text()).split('\n')[1]);
    };

    await create(follower, 4);
    const before = await eventually(async () => {
      const size = await checkpointSize(follower);
      return size !== undefined && size >= 6 ? size : undefined;
    }, 'the first leader to sign');
    expect(leader.output()).toContain('elected leader');
    expect(follower.output()).not.toContain('elected leader');

    leader.child.kill('SIGKILL');
    await leader.exited;
    await create(follower, 4);
    const after = await eventually(async () => {
      const size = await checkpointSize(follower);
      return size !== undefined && size >= before + 4 ? size : undefined;
    }, 'the follower to take over and sign');
    expect(follower.output()).toContain('elected leader');

    const leaves = await admin.query<{ n: string; ids: string; top: string }>(
      `SELECT COUNT(*) AS n, COUNT(DISTINCT event_id) AS ids, MAX(leaf_index) AS top FROM ${schema}.merkle_leaves`,
    );
    const { n, ids, top } = leaves.rows[0];
    expect(Number(n)).toBe(Number(ids));
    expect(Number(top) + 1).toBe(Number(n));
    expect(Number(n)).toBeGreaterThanOrEqual(after);
  });
});
