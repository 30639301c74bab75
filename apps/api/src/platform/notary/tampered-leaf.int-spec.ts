import Database from 'better-sqlite3';
import { generateKeyPairSync } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { SqliteEventStore, type RecordedEvent } from '@ledgerline/event-store';
import { generateEd25519Pem, Keyring } from '@ledgerline/integrity';
import { CheckpointNotary, latestCheckpoint, LogTamperAlarm, MerkleLogProjector, SealedLedgerWriter, StoredMerkleTree, type CommandContext } from '@ledgerline/ledger';
import { ProjectionRunner, SqliteReadDb } from '@ledgerline/projections';
import { PassThrough } from 'node:stream';
import { createLogger } from '../observability/logger';
import { LOG_TAMPERING_DETECTED, recordTamperedLeaf } from './tampered-leaf.record';

const quiet = { info: () => undefined, warn: () => undefined, error: () => undefined };
const context: CommandContext = {
  actor: { kind: 'user', id: 'user_1' },
  correlationId: '11111111-1111-4111-8111-111111111111',
  causationId: '22222222-2222-4222-8222-222222222222',
};

describe('notary: an event changed on disk never becomes a leaf (real SQLite)', () => {
  let dir: string;
  let file: string;
  let store: SqliteEventStore;
  let readDb: SqliteReadDb;
  let writer: SealedLedgerWriter;
  const logged: string[] = [];
  const logStream = new PassThrough().on('data', (chunk: Buffer) => logged.push(chunk.toString('utf8')));
  const logger = createLogger({ level: 'info', format: 'json', stream: logStream });

  beforeEach(async () => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'tampered-leaf-'));
    file = path.join(dir, 'events.sqlite');
    store = new SqliteEventStore(file);
    readDb = new SqliteReadDb(path.join(dir, 'read.sqlite'));
    writer = new SealedLedgerWriter(store, await Keyring.create({ signingKey: generateEd25519Pem() }));
  });
  afterEach(async () => {
    await readDb.close();
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('stops the Merkle log at a tampered row, records a security event, and signs nothing over it', async () => {
    const alarm = new LogTamperAlarm(recordTamperedLeaf(writer, logger));
    const runner = new ProjectionRunner(store, readDb, new MerkleLogProjector(alarm), { logger: quiet });
    const notary = new CheckpointNotary(store, writer, readDb, {
      origin: 'test.example/ledgerline',
      checkpointKey: generateKeyPairSync('ed25519').privateKey,
      intervalMs: 60_000,
      logger: quiet,
      tamperAlarm: alarm,
    });
    await runner.start();
    for (let i = 0; i < 3; i++) await writer.append('document-a', [{ type: 'DocumentEdited', data: { i } }], 'any', context);
    expect(await runner.waitForPosition((await store.headPosition())!, 20_000)).toBe(true);
    expect(await notary.signIfGrown()).toBe('signed');
    await runner.stop();

    // Two more events; the first is changed behind the writer's back before the tree takes it.
    const first = await writer.append('document-a', [{ type: 'DocumentEdited', data: { i: 3 } }], 'any', context);
    await writer.append('document-a', [{ type: 'DocumentEdited', data: { i: 4 } }], 'any', context);
    const raw = new Database(file);
    raw.prepare(`UPDATE events SET data = '{"i":"tampered-canary"}' WHERE id = ?`).run(first.eventIds[0]);
    raw.close();

    await runner.start();
    // The runner stops at the tampered event and never reaches the head.
    await waitUntil(async () => runner.status().state === 'failed', 20_000);
    expect(runner.status()).toMatchObject({ error: expect.stringContaining('data-hash') });
    expect(await runner.waitForPosition((await store.headPosition())!, 100)).toBe(false);
    expect(alarm.tripped).toMatchObject({ eventId: first.eventIds[0], stream: 'document-a', revision: 3, reason: 'data-hash' });
    expect(await StoredMerkleTree.size(readDb)).toBe(3);
    expect(await notary.signIfGrown()).toBe('refused');
    expect((await latestCheckpoint(store))?.treeSize).toBe(3);

    const security: RecordedEvent[] = [];
    await waitUntil(async () => {
      security.length = 0;
      for await (const event of store.readAll()) if (event.type === LOG_TAMPERING_DETECTED) security.push(event);
      return security.length > 0;
    });
    expect(security).toHaveLength(1);
    expect(security[0].stream).toMatch(/^security-\d{4}-\d{2}-\d{2}$/);
    expect(security[0].data).toMatchObject({ eventId: first.eventIds[0], stream: 'document-a', revision: 3, reason: 'data-hash' });
    expect(JSON.stringify(security[0].data)).not.toContain('tampered-canary');
    expect(logged.join('')).toContain('notary stopped');
    await runner.stop();
    await notary.stop();
  });
});

async function waitUntil(check: () => Promise<boolean>, timeoutMs = 20_000): Promise<void> {
  const until = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > until) throw new Error('condition not met in time');
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}
