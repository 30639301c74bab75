import { execFile } from 'node:child_process';
import { createPrivateKey, generateKeyPairSync } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { SqliteEventStore } from '@ledgerline/event-store';
import { checkWitnessQuorum, encodeCosignerKey, encodeVerifierKey, generateEd25519Pem, InMemoryMerkleTree, Keyring, parseCosignerKey, signCheckpoint, type NoteVerifierKey } from '@ledgerline/integrity';
import {
  CHECKPOINT_COSIGNED,
  CheckpointNotary,
  CheckpointWitnessing,
  COSIGNATURE_STREAM,
  latestCheckpoint,
  MerkleLogProjector,
  publishedCheckpoint,
  SealedLedgerWriter,
  type CommandContext,
} from '@ledgerline/ledger';
import { ProjectionRunner, SqliteReadDb } from '@ledgerline/projections';
import { REPO_ROOT } from '../support/api-process';
import { startWitnessProcess, stopWitness, type WitnessProcess } from '../support/witness-process';

const VERIFY_CLI = path.join(REPO_ROOT, 'dist/apps/verifier/src/main.js');

const ORIGIN = 'test.example/witnessed';
const quiet = { info: () => undefined, warn: () => undefined, error: () => undefined };
const context: CommandContext = { actor: { kind: 'user', id: 'user_1' }, correlationId: '11111111-1111-4111-8111-111111111111', causationId: '22222222-2222-4222-8222-222222222222' };

/** The notary's side of tlog-witness against a real witness process, on a real store and stored tree. */
describe('CheckpointWitnessing (notary → real witness process, real SQLite)', () => {
  const checkpointKey = generateKeyPairSync('ed25519');
  let dir: string;
  let store: SqliteEventStore;
  let readDb: SqliteReadDb;
  let writer: SealedLedgerWriter;
  let keyring: Keyring;
  let runner: ProjectionRunner;
  let witness: WitnessProcess;
  let witnessKey: NoteVerifierKey;
  let witnessEnv: Record<string, string>;
  const failures: string[] = [];

  const notaryWith = (witnessing: CheckpointWitnessing) =>
    new CheckpointNotary(store, writer, readDb, { origin: ORIGIN, checkpointKey: checkpointKey.privateKey, intervalMs: 60_000, logger: quiet, witnessing });
  const witnessing = (url = witness.baseUrl) =>
    new CheckpointWitnessing(store, writer, readDb, {
      witnesses: [{ url, key: witnessKey }],
      quorum: 1,
      logger: quiet,
      timeoutMs: 2_000,
      backoffMs: 10,
      onWitnessFailure: (_witness, reason) => failures.push(reason),
    });
  const writeEvents = async (count: number): Promise<void> => {
    for (let i = 0; i < count; i++) await writer.append('document-w', [{ type: 'DocumentEdited', data: { i } }], 'any', context);
    expect(await runner.waitForPosition((await store.headPosition()) ?? 0n, 5000)).toBe(true);
  };

  beforeAll(async () => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'witnessing-'));
    store = new SqliteEventStore(path.join(dir, 'events.sqlite'));
    readDb = new SqliteReadDb(path.join(dir, 'read.sqlite'));
    keyring = await Keyring.create({ signingKey: generateEd25519Pem() });
    writer = new SealedLedgerWriter(store, keyring);
    runner = new ProjectionRunner(store, readDb, new MerkleLogProjector(), { logger: quiet });
    await runner.start();
    const pem = generateEd25519Pem();
    writeFileSync(path.join(dir, 'w.pem'), pem, { mode: 0o600 });
    witnessKey = parseCosignerKey(encodeCosignerKey('witness.test/w', createPrivateKey(pem)));
    witnessEnv = { WITNESS_NAME: 'witness.test/w', WITNESS_KEY_FILE: path.join(dir, 'w.pem'), WITNESS_DATA_DIR: path.join(dir, 'w'), WITNESS_LOG_KEYS: encodeVerifierKey(ORIGIN, checkpointKey.publicKey) };
    witness = await startWitnessProcess(witnessEnv);
  });
  afterAll(async () => {
    await stopWitness(witness);
    await runner.stop();
    await readDb.close();
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('stores the cosigned note beside the signed one (not a leaf), and publishes it under a quorum', async () => {
    await writeEvents(3);
    expect(await notaryWith(witnessing()).signIfGrown()).toBe('signed');
    const published = await publishedCheckpoint(store, 1);
    expect(published?.treeSize).toBe(3);
    expect(published?.note.startsWith((await latestCheckpoint(store))?.note as string)).toBe(true);
    expect(checkWitnessQuorum(published?.note as string, [witnessKey], 1)).toMatchObject({ ok: true });
    expect((await store.readLastEvent(COSIGNATURE_STREAM))?.type).toBe('CheckpointCosigned');
    // The cosignature event did not grow the tree: nothing new to sign.
    expect(await notaryWith(witnessing()).signIfGrown()).toBe('unchanged');
  });

  it('a notary that forgot what the witness holds (a restart) learns it from the 409 and resends with a consistency proof', async () => {
    await writeEvents(4);
    // A new CheckpointWitnessing starts from old size 0; the witness answers 409 "3".
    expect(await notaryWith(witnessing()).signIfGrown()).toBe('signed');
    expect((await publishedCheckpoint(store, 1))?.treeSize).toBe(7);
    expect(failures).toEqual([]);
  });

  it('fails closed: a witness that is down is reported (after retries) and nothing newer is published; the next round catches up', async () => {
    const port = witness.port;
    await stopWitness(witness);
    const shared = witnessing(`http://127.0.0.1:${port}`);
    await writeEvents(2);
    expect(await notaryWith(shared).signIfGrown()).toBe('signed');
    expect((await latestCheckpoint(store))?.treeSize).toBe(9);
    expect((await publishedCheckpoint(store, 1))?.treeSize).toBe(7);
    expect(failures).toEqual([expect.stringMatching(/^unreachable/)]);
    // Unpublished checkpoints are still shown when no quorum is configured (behaviour as without witnesses).
    expect((await publishedCheckpoint(store, 0))?.treeSize).toBe(9);

    witness = await startWitnessProcess(witnessEnv, port);
    expect(await notaryWith(shared).signIfGrown()).toBe('unchanged');
    expect((await publishedCheckpoint(store, 1))?.treeSize).toBe(9);
  });

  it('leaves a store the offline verifier accepts (cosignature events chained, not leaves), and checks --since against pinned witness keys', async () => {
    writeFileSync(path.join(dir, 'jwks.json'), JSON.stringify(keyring.jwks()));
    writeFileSync(path.join(dir, 'witnessed.note'), (await publishedCheckpoint(store, 1))?.note as string);
    writeFileSync(path.join(dir, 'signed-only.note'), (await latestCheckpoint(store))?.note as string);
    const run = (since: string) =>
      promisify(execFile)(process.execPath, [
        VERIFY_CLI,
        'verify-store',
        '--events',
        path.join(dir, 'events.sqlite'),
        '--jwks',
        path.join(dir, 'jwks.json'),
        '--log-key',
        encodeVerifierKey(ORIGIN, checkpointKey.publicKey),
        '--since',
        path.join(dir, since),
        '--witness-key',
        witnessKey.vkey,
        '--witness-quorum',
        '1',
      ]).catch((error: { code: number; stdout: string; stderr: string }) => error);
    expect(await run('witnessed.note')).toMatchObject({ stdout: expect.stringContaining('9 Merkle leaves') });
    expect(await run('signed-only.note')).toMatchObject({ code: 1, stderr: expect.stringContaining('fewer than the quorum of 1') });

    // A split view written into the store itself: a witnessed note of size 9 over a forked tree, signed with the real key.
    const fork = new InMemoryMerkleTree();
    for (let i = 0; i < 9; i++) fork.appendLeafInput(Buffer.alloc(32, i + 1));
    const forkNote = signCheckpoint({ origin: ORIGIN, size: 9, rootHash: fork.root() }, checkpointKey.privateKey);
    await writer.append(COSIGNATURE_STREAM, [{ type: CHECKPOINT_COSIGNED, data: { treeSize: 9, note: forkNote } }], 'any', context);
    expect(await run('witnessed.note')).toMatchObject({ code: 1, stderr: expect.stringContaining('another root at size 9') });
  });
});
