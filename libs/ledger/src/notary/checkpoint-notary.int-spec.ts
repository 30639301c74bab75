import { generateKeyPairSync } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { SqliteEventStore } from '@ledgerline/event-store';
import {
  b64DecodeStrict,
  encodeVerifierKey,
  generateEd25519Pem,
  InMemoryMerkleTree,
  Keyring,
  openNote,
  parseCheckpoint,
  parseVerifierKey,
  verifyChain,
  verifyInclusion,
  leafHash,
} from '@ledgerline/integrity';
import { ProjectionRunner, SqliteReadDb } from '@ledgerline/projections';
import type { CommandContext } from '../actor';
import { StoredMerkleTree } from '../merkle-log/stored-merkle-tree';
import { SealedLedgerWriter } from '../sealed-ledger-writer';
import { CHECKPOINT_STREAM } from './checkpoint.events';
import { CheckpointNotary, latestCheckpoint } from './checkpoint-notary';
import { MerkleLogProjector } from './merkle-log.projector';

const ORIGIN = 'test.example/ledgerline';
const quiet = { info: () => undefined, warn: () => undefined, error: () => undefined };
const context: CommandContext = {
  actor: { kind: 'user', id: 'user_1' },
  correlationId: '11111111-1111-4111-8111-111111111111',
  causationId: '22222222-2222-4222-8222-222222222222',
};

describe('notary: Merkle log projection and checkpoint signing (real SQLite)', () => {
  let dir: string;
  let store: SqliteEventStore;
  let readDb: SqliteReadDb;
  let writer: SealedLedgerWriter;
  let keyring: Keyring;
  let runner: ProjectionRunner;
  let notary: CheckpointNotary;
  const checkpointKey = generateKeyPairSync('ed25519');
  const vkey = parseVerifierKey(encodeVerifierKey(ORIGIN, checkpointKey.publicKey));

  beforeEach(async () => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'notary-'));
    store = new SqliteEventStore(path.join(dir, 'events.sqlite'));
    readDb = new SqliteReadDb(path.join(dir, 'read.sqlite'));
    keyring = await Keyring.create({ signingKey: generateEd25519Pem() });
    writer = new SealedLedgerWriter(store, keyring);
    runner = new ProjectionRunner(store, readDb, new MerkleLogProjector(), { logger: quiet });
    notary = new CheckpointNotary(store, writer, readDb, { origin: ORIGIN, checkpointKey: checkpointKey.privateKey, intervalMs: 60_000, logger: quiet });
    await runner.start();
  });
  afterEach(async () => {
    await notary.stop();
    await runner.stop();
    await readDb.close();
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  });

  async function writeEvents(count: number, stream = 'document-a'): Promise<void> {
    for (let i = 0; i < count; i++) await writer.append(stream, [{ type: 'DocumentEdited', data: { i } }], 'any', context);
    const head = await store.headPosition();
    expect(await runner.waitForPosition(head ?? 0n, 5000)).toBe(true);
  }

  it('signs a checkpoint over every sealed event except checkpoints, verifiable with the vkey', async () => {
    await writeEvents(5);
    await writeEvents(3, 'account-user_1');
    expect(await notary.signIfGrown()).toBe('signed');
    const latest = await latestCheckpoint(store);
    expect(latest).toMatchObject({ treeSize: 8, revision: 0 });
    const opened = openNote(latest!.note, vkey);
    const checkpoint = parseCheckpoint(opened.text);
    expect(checkpoint).toMatchObject({ origin: ORIGIN, size: 8 });

    // Rebuild the tree independently from the log and compare roots and proofs.
    const reference = new InMemoryMerkleTree();
    const leaves: Buffer[] = [];
    for await (const event of store.readAll()) {
      if (event.stream === CHECKPOINT_STREAM) continue;
      const input = Buffer.from(String(event.metadata.hash), 'hex');
      reference.appendLeafInput(input);
      leaves.push(input);
    }
    expect(Buffer.from(checkpoint.rootHash).toString('base64')).toBe(reference.root().toString('base64'));
    const proof = await StoredMerkleTree.inclusionProof(readDb, 3, 8);
    expect(verifyInclusion(leafHash(leaves[3]), 3, 8, proof, b64DecodeStrict(latest!.rootHash)!)).toBe(true);
  });

  it('signs only when the tree grew, and chains its checkpoints like any stream', async () => {
    await writeEvents(2);
    expect(await notary.signIfGrown()).toBe('signed');
    // The checkpoint event itself is not a leaf, so the tree did not grow.
    await writeEvents(0);
    expect(await notary.signIfGrown()).toBe('unchanged');
    await writeEvents(4);
    expect(await notary.signIfGrown()).toBe('signed');
    const checkpoints = [];
    for await (const event of store.readStream(CHECKPOINT_STREAM)) checkpoints.push(event);
    expect(checkpoints.map((e) => e.data.treeSize)).toEqual([2, 6]);
    expect(verifyChain(checkpoints, keyring.keyMap())).toMatchObject({ ok: true });
  });

  it('refuses to sign when the stored tree is inconsistent with the latest checkpoint', async () => {
    await writeEvents(4);
    expect(await notary.signIfGrown()).toBe('signed');
    await readDb.query("UPDATE merkle_nodes SET hash = $1 WHERE level = 2 AND idx = 0", ['00'.repeat(32)]);
    await writeEvents(2);
    expect(await notary.signIfGrown()).toBe('refused');
    expect((await latestCheckpoint(store))?.treeSize).toBe(4);
  });

  it('resumes the tree from its stored checkpoint after a restart', async () => {
    await writeEvents(3);
    await runner.stop();
    await writer.append('document-b', [{ type: 'DocumentCreated', data: {} }], 'any', context);
    runner = new ProjectionRunner(store, readDb, new MerkleLogProjector(), { logger: quiet });
    await runner.start();
    expect(await runner.waitForPosition((await store.headPosition())!, 5000)).toBe(true);
    expect(await StoredMerkleTree.size(readDb)).toBe(4);
    expect(await notary.signIfGrown()).toBe('signed');
  });
});
