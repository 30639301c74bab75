import Database from 'better-sqlite3';
import { randomUUID, createPublicKey } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SqliteEventStore } from '@ledgerline/event-store';
import { encodeVerifierKey, generateEd25519Pem, Keyring, parseVerifierKey, type NoteVerifierKey } from '@ledgerline/integrity';
import { CheckpointNotary, MerkleLogProjector, SealedLedgerWriter } from '@ledgerline/ledger';
import { rebuildProjections, SqliteReadDb } from '@ledgerline/projections';
import { verifyLog } from './log-verification';

const quiet = { info: () => undefined, warn: () => undefined, error: () => undefined };
const ORIGIN = 'test.example/log';

interface Fixture {
  dir: string;
  file: string;
  keyring: Keyring;
  logKey: NoteVerifierKey;
  ids: string[];
}

/**
 * A real store: 3 streams × 4 events sealed by the writer, a checkpoint signed by the real notary after
 * the first 8 and another after all 12, then two more events (not yet checkpointed).
 */
async function buildStore(): Promise<Fixture> {
  const dir = mkdtempSync(join(tmpdir(), 'ledgerline-log-verification-'));
  const file = join(dir, 'events.sqlite');
  const store = new SqliteEventStore(file);
  const db = new SqliteReadDb(join(dir, 'read.sqlite'));
  const keyring = await Keyring.create({ signingKey: generateEd25519Pem() });
  const checkpointKey = (await Keyring.create({ signingKey: generateEd25519Pem() })).signingKey();
  const writer = new SealedLedgerWriter(store, keyring);
  const notary = new CheckpointNotary(store, writer, db, { origin: ORIGIN, checkpointKey, intervalMs: 60_000, logger: quiet });
  const context = { actor: { kind: 'user' as const, id: 'user_a' }, correlationId: randomUUID(), causationId: randomUUID() };
  const ids: string[] = [];
  const append = async (n: number): Promise<void> => {
    const result = await writer.append(`document-${n % 3}`, [{ type: 'DocumentEdited', data: { n } }], 'any', context);
    ids.push(result.eventIds[0]);
  };
  const catchUp = async (): Promise<void> => {
    await rebuildProjections(store, db, [new MerkleLogProjector()]);
  };
  for (let n = 0; n < 8; n++) await append(n);
  await catchUp();
  expect(await notary.signIfGrown()).toBe('signed');
  for (let n = 8; n < 12; n++) await append(n);
  await catchUp();
  expect(await notary.signIfGrown()).toBe('signed');
  for (let n = 12; n < 14; n++) await append(n);
  await db.close();
  await store.close();
  return { dir, file, keyring, logKey: parseVerifierKey(encodeVerifierKey(ORIGIN, createPublicKey(checkpointKey))), ids };
}

async function verifyFile(fixture: Fixture, keys = fixture.keyring.keyMap()) {
  const store = new SqliteEventStore(fixture.file);
  try {
    return await verifyLog(store, { keys, logKey: fixture.logKey });
  } finally {
    await store.close();
  }
}

/** Changes the store file behind the API's back, as someone with disk access could. */
function tamper(fixture: Fixture, sql: string, ...params: unknown[]): void {
  const db = new Database(fixture.file);
  try {
    db.prepare(sql).run(...params);
  } finally {
    db.close();
  }
}

describe('verifyLog (whole-log check over the event-store port)', () => {
  let pristine: Fixture;
  let fixture: Fixture;

  beforeAll(async () => {
    pristine = await buildStore();
  });
  afterAll(() => rmSync(pristine.dir, { recursive: true, force: true }));

  beforeEach(async () => {
    // Each test tampers with its own copy.
    fixture = await copyOf(pristine);
  });
  afterEach(() => rmSync(fixture.dir, { recursive: true, force: true }));

  it('accepts the untouched log: every event, stream and checkpoint', async () => {
    const report = await verifyFile(fixture);
    expect(report).toMatchObject({ ok: true, checked: 16, streams: 4, leaves: 14, checkpoints: 2 });
    expect(report.firstFailure).toBeUndefined();
  });

  it('names a changed event by position, stream and revision', async () => {
    tamper(fixture, `UPDATE events SET data = '{"n":99}' WHERE id = ?`, fixture.ids[4]);
    const report = await verifyFile(fixture);
    expect(report).toMatchObject({ ok: false, firstFailure: { reason: 'data-hash', stream: 'document-1', revision: 1, position: '5' } });
    expect(report.checked).toBe(4);
  });

  it('finds a removed event (a gap in its stream) and a removed tail (a checkpoint larger than the log)', async () => {
    tamper(fixture, 'DELETE FROM events WHERE id = ?', fixture.ids[3]);
    expect((await verifyFile(fixture)).firstFailure).toMatchObject({ reason: 'gap', stream: 'document-0', revision: 2 });

    const copy = await copyOf(pristine);
    try {
      // Everything after the second checkpoint's leaves goes, and with it that checkpoint's last leaves.
      tamper(copy, 'DELETE FROM events WHERE position > 10 AND stream <> ?', 'audit-checkpoints');
      expect((await verifyFile(copy)).firstFailure).toMatchObject({ reason: 'checkpoint-size', stream: 'audit-checkpoints', revision: 1 });
    } finally {
      rmSync(copy.dir, { recursive: true, force: true });
    }
  });

  it('finds events reordered across streams behind a checkpoint (the rebuilt root differs)', async () => {
    // Swap the rows of two events of different streams: each chain is intact, the log order is not.
    const db = new Database(fixture.file);
    try {
      const rows = db.prepare('SELECT position, id, stream, revision, type, data, metadata FROM events WHERE position IN (1, 2) ORDER BY position').all() as Record<string, unknown>[];
      db.transaction(() => {
        db.prepare('DELETE FROM events WHERE position IN (1, 2)').run();
        const insert = db.prepare('INSERT INTO events (position, id, stream, revision, type, data, metadata) VALUES (?, ?, ?, ?, ?, ?, ?)');
        insert.run(1, rows[1].id, rows[1].stream, rows[1].revision, rows[1].type, rows[1].data, rows[1].metadata);
        insert.run(2, rows[0].id, rows[0].stream, rows[0].revision, rows[0].type, rows[0].data, rows[0].metadata);
      })();
    } finally {
      db.close();
    }
    expect((await verifyFile(fixture)).firstFailure).toMatchObject({ reason: 'checkpoint-root', stream: 'audit-checkpoints', revision: 0, treeSize: 8 });
  });

  it('refuses events signed by a key it does not trust, and checkpoints not signed by the log key', async () => {
    const stranger = await Keyring.create({ signingKey: generateEd25519Pem() });
    expect((await verifyFile(fixture, stranger.keyMap())).firstFailure).toMatchObject({ reason: 'unknown-key', position: '1' });

    const otherLog = parseVerifierKey(encodeVerifierKey(ORIGIN, createPublicKey((await Keyring.create({ signingKey: generateEd25519Pem() })).signingKey())));
    const store = new SqliteEventStore(fixture.file);
    try {
      const report = await verifyLog(store, { keys: fixture.keyring.keyMap(), logKey: otherLog });
      expect(report.firstFailure).toMatchObject({ reason: 'checkpoint-signature', stream: 'audit-checkpoints', revision: 0 });
    } finally {
      await store.close();
    }
  });
});

async function copyOf(fixture: Fixture): Promise<Fixture> {
  const dir = mkdtempSync(join(tmpdir(), 'ledgerline-log-verification-copy-'));
  const file = join(dir, 'events.sqlite');
  const source = new Database(fixture.file, { readonly: true });
  await source.backup(file);
  source.close();
  return { ...fixture, dir, file };
}
