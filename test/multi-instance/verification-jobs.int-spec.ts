import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Client } from 'pg';
import { loadOrCreateDevAuthKey } from '../../apps/api/src/contexts/access/authentication/dev-auth-key';
import { mintDevToken } from '../../apps/api/src/contexts/access/authentication/dev-token';
import { DEV_AUTHORIZED_PARTY } from '../../apps/api/src/contexts/access/authentication/verifier-settings';
import { randomPort, startApiProcess, type ApiProcess } from '../support/api-process';
import { eventually } from '../support/eventually';

const PG = 'postgres://postgres@127.0.0.1:5432/test';
/** An officer of this run only: the per-officer limit on starting checks lives in the shared Redis, so a rerun within its minute would meet the last run's count. */
const OFFICER = `user_compliance_${randomBytes(6).toString('hex')}`;
type Job = { id: string; state: string; firstFailure?: { reason: string } };

describe('whole-log verification jobs behind two API processes (stored in PostgreSQL, run by the worker only)', () => {
  const schema = `jobs_${randomBytes(6).toString('hex')}`;
  const admin = new Client({ connectionString: PG });
  let dataDir: string;
  let env: Record<string, string>;
  let worker: ApiProcess;
  let api: ApiProcess;
  const started: ApiProcess[] = [];

  beforeAll(async () => {
    await admin.connect();
    await admin.query(`CREATE SCHEMA ${schema}`);
    dataDir = mkdtempSync(path.join(os.tmpdir(), 'ledgerline-jobs-'));
    env = { DATA_DIR: dataDir, READ_DB_URL: `${PG}?options=${encodeURIComponent(`-c search_path=${schema}`)}`, REDIS_URL: 'redis://127.0.0.1:6379', RATE_LIMIT_IP_PER_MIN: '0', BOOTSTRAP_COMPLIANCE: OFFICER };
    worker = await startApiProcess({ ...env, WORKER: 'on' }, randomPort());
    api = await startApiProcess({ ...env, WORKER: 'off' }, randomPort());
    started.push(worker, api);
  });
  afterAll(async () => {
    for (const instance of started) {
      instance.child.kill('SIGTERM');
      await instance.exited;
    }
    await admin.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
    await admin.end();
    rmSync(dataDir, { recursive: true, force: true });
  });

  const officer = () =>
    `Bearer ${mintDevToken(loadOrCreateDevAuthKey(dataDir).privateKey, { userId: OFFICER, azp: DEV_AUTHORIZED_PARTY, ttlSeconds: 600, secondFactorAgeMinutes: 0 })}`;
  const post = async (via: ApiProcess): Promise<{ status: number; body: Job }> => {
    const response = await fetch(`${via.baseUrl}/v1/audit/verifications`, { method: 'POST', headers: { authorization: officer() } });
    return { status: response.status, body: (await response.json()) as Job };
  };
  const get = async (via: ApiProcess, id: string): Promise<Job> =>
    (await (await fetch(`${via.baseUrl}/v1/audit/verifications/${id}`, { headers: { authorization: officer() } })).json()) as Job;
  const settled = (via: ApiProcess, id: string, state: string) => eventually(async () => ((await get(via, id)).state === state ? get(via, id) : undefined), `job ${state}`, 30_000);

  it('queues through the WORKER=off instance, runs on the worker, and answers the same on both', async () => {
    const queued = await post(api);
    expect(queued.status).toBe(202);
    const done = await settled(api, queued.body.id, 'succeeded');
    expect(await get(worker, queued.body.id)).toEqual(done);
  });

  it('never runs a job on WORKER=off; a job running when its worker was killed is reported interrupted and can be started again', async () => {
    worker.child.kill('SIGKILL');
    await worker.exited;
    const queued = await post(api);
    expect(queued.status).toBe(202);
    await new Promise((resolve) => setTimeout(resolve, 1_500));
    expect((await get(api, queued.body.id)).state).toBe('queued');
    expect((await post(api)).status).toBe(409);

    // What the killed worker leaves when it dies mid-check (a small log is checked faster than a kill can be
    // aimed): the job claimed as running, its last heartbeat just before the kill.
    await admin.query(`UPDATE ${schema}.verification_jobs SET state = 'running', runner = 'killed-worker', heartbeat_at = $2 WHERE id = $1`, [queued.body.id, Date.now()]);
    worker = await startApiProcess({ ...env, WORKER: 'on' }, randomPort());
    started.push(worker);
    const interrupted = await settled(api, queued.body.id, 'interrupted');
    expect(interrupted.firstFailure).toMatchObject({ reason: 'interrupted' });

    const again = await post(api);
    expect(again.status).toBe(202);
    await settled(worker, again.body.id, 'succeeded');
  });
});
