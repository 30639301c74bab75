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
import { LOG_VERIFICATION_COMPLETED, VerificationJobs, type VerificationJobView } from './verification-jobs';

describe('VerificationJobs (one whole-log check at a time, in the background)', () => {
  let dir: string;
  let store: SqliteEventStore;
  let db: SqliteReadDb;
  let jobs: VerificationJobs;
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
    jobs = new VerificationJobs(store, db, keyring, logKey, writer, logger);
  });
  afterAll(async () => {
    await jobs.onModuleDestroy();
    await db.close();
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const finished = async (id: string): Promise<VerificationJobView> => {
    for (let i = 0; i < 200; i++) {
      const view = jobs.view(id);
      if (view && view.state !== 'running') return view;
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    throw new Error('the job did not finish');
  };

  it('answers a second start with the running job, then runs the next one after it', async () => {
    const first = jobs.start(context);
    const second = jobs.start(context);
    expect(first.started).toBe(true);
    expect(second).toEqual({ started: false, job: expect.objectContaining({ id: first.job.id, state: 'running' }) });

    const done = await finished(first.job.id);
    expect(done).toMatchObject({ state: 'succeeded', startedBy: 'user_officer', progress: { checked: 300, total: 300 }, result: { ok: true, streams: 7, leaves: 300 } });
    expect(jobs.start(context).started).toBe(true);
    expect(jobs.view(randomUUID())).toBeUndefined();
  });

  it('seals each outcome in the day’s audit-access stream', async () => {
    const outcomes = [];
    for (let i = 0; i < 100 && outcomes.length < 2; i++) {
      outcomes.length = 0;
      for await (const event of store.readStream(auditAccessStreamName(new Date()))) if (event.type === LOG_VERIFICATION_COMPLETED) outcomes.push(event);
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    expect(outcomes).toHaveLength(2);
    expect(outcomes[0].data).toMatchObject({ state: 'succeeded', checked: 300 });
    expect(outcomes[0].metadata).toMatchObject({ actor: { id: 'user_officer' }, $correlationId: context.correlationId });
  });
});
