import { createPublicKey, randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { SqliteEventStore } from '@ledgerline/event-store';
import { encodeVerifierKey, generateEd25519Pem, Keyring } from '@ledgerline/integrity';
import { SealedLedgerWriter } from '@ledgerline/ledger';
import { rebuildProjections, SqliteReadDb } from '@ledgerline/projections';
import { createLogger } from '../../../platform/observability/logger';
import { auditAccessStreamName } from '../access-log/audit-access.events';
import { auditIndexProjector } from '../audit-index/audit-index.projector';
import type { AppConfig } from '@ledgerline/config';
import { VerificationJobRunner } from './verification-job.runner';
import { LOG_VERIFICATION_COMPLETED, VerificationJobs, type VerificationJobView } from './verification-jobs';

describe('VerificationJobs (one whole-log check at a time, stored in the read database, run by the worker)', () => {
  let dir: string;
  let store: SqliteEventStore;
  let db: SqliteReadDb;
  let jobs: VerificationJobs;
  /** An instance with WORKER=off on the same read database: it queues and answers, never runs. */
  let apiOnly: VerificationJobs;
  const context = { actor: { kind: 'user' as const, id: 'user_officer' }, correlationId: randomUUID(), causationId: randomUUID() };

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'ledgerline-verification-jobs-'));
    store = new SqliteEventStore(join(dir, 'events.sqlite'));
    db = new SqliteReadDb(join(dir, 'read.sqlite'));
    const keyring = await Keyring.create({ signingKey: generateEd25519Pem() });
    const writer = new SealedLedgerWriter(store, keyring);
    for (let i = 0; i < 300; i++) await writer.append(`document-${i % 7}`, [{ type: 'DocumentEdited', data: { i } }], 'any', context);
    await rebuildProjections(store, db, [auditIndexProjector]);
    const logKey = encodeVerifierKey('test.example/log', createPublicKey((await Keyring.create({ signingKey: generateEd25519Pem() })).signingKey()));
    const logger = createLogger({ level: 'error', format: 'json', stream: new PassThrough().resume() });
    const instance = (worker: boolean) =>
      new VerificationJobs({ worker, readDbMigrate: true } as AppConfig, db, logger, new VerificationJobRunner(store, keyring, logKey, writer, logger));
    apiOnly = instance(false);
    await apiOnly.onApplicationBootstrap();
    jobs = instance(true);
  });
  afterAll(async () => {
    await jobs.onModuleDestroy();
    await apiOnly.onModuleDestroy();
    await db.close();
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const finished = async (id: string): Promise<VerificationJobView> => {
    for (let i = 0; i < 1_000; i++) {
      const view = await jobs.view(id);
      if (view && view.state !== 'running' && view.state !== 'queued') return view;
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    throw new Error('the job did not finish');
  };

  it('is only queued by an instance with WORKER=off, and run once a worker is there', async () => {
    const first = await apiOnly.start(context);
    const second = await jobs.start(context);
    expect(first.started).toBe(true);
    expect(second).toEqual({ started: false, job: expect.objectContaining({ id: first.job.id, state: 'queued' }) });
    await new Promise((resolve) => setTimeout(resolve, 700));
    expect(await apiOnly.view(first.job.id)).toMatchObject({ state: 'queued' });

    await jobs.onApplicationBootstrap(); // the worker starts polling
    const done = await finished(first.job.id);
    expect(done).toMatchObject({ state: 'succeeded', startedBy: 'user_officer', progress: { checked: 300, total: 300 }, result: { ok: true, streams: 7, leaves: 300 } });
    // Every instance answers for it; a new job can start.
    expect(await apiOnly.view(first.job.id)).toEqual(done);
    const next = await apiOnly.start(context);
    expect(next.started).toBe(true);
    expect(await finished(next.job.id)).toMatchObject({ state: 'succeeded' });
    expect(await jobs.view(randomUUID())).toBeUndefined();
  });

  it('seals each outcome in the day’s audit-access stream', async () => {
    const outcomes = [];
    for (let i = 0; i < 1_000 && outcomes.length < 2; i++) {
      outcomes.length = 0;
      for await (const event of store.readStream(auditAccessStreamName(new Date()))) if (event.type === LOG_VERIFICATION_COMPLETED) outcomes.push(event);
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    expect(outcomes).toHaveLength(2);
    expect(outcomes[0].data).toMatchObject({ state: 'succeeded', checked: 300 });
    expect(outcomes[0].metadata).toMatchObject({ actor: { id: 'user_officer' }, $correlationId: context.correlationId });
  });

  it('reports a job whose worker died while running it as interrupted, and lets a new one start', async () => {
    // What a worker killed mid-check leaves behind: a running job whose heartbeat stopped.
    const lost = randomUUID();
    await db.query(
      `INSERT INTO verification_jobs (id, open_slot, state, started_by, requested_at, runner, heartbeat_at, checked, total, context)
       VALUES ($1, 1, 'running', 'user_officer', $2, 'a-dead-worker', $3, 120, 300, $4)`,
      [lost, new Date().toISOString(), Date.now() - 60_000, JSON.stringify(context)],
    );
    const view = await finished(lost);
    expect(view).toMatchObject({ state: 'interrupted', progress: { checked: 120, total: 300 }, firstFailure: { reason: 'interrupted' } });
    const again = await apiOnly.start(context);
    expect(again.started).toBe(true);
    expect(await finished(again.job.id)).toMatchObject({ state: 'succeeded' });
    const sealed = [];
    for await (const event of store.readStream(auditAccessStreamName(new Date()))) if (event.type === LOG_VERIFICATION_COMPLETED && event.data.jobId === lost) sealed.push(event.data);
    expect(sealed).toEqual([expect.objectContaining({ state: 'interrupted', firstFailure: expect.objectContaining({ reason: 'interrupted' }) })]);
  });
});
