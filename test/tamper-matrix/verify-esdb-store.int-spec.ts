import { generateKeyPairSync } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { openEventStore, type EventStore } from '@ledgerline/event-store';
import { b64Encode, encodeVerifierKey, generateEd25519Pem, InMemoryMerkleTree, Keyring, signCheckpoint } from '@ledgerline/integrity';
import { CHECKPOINT_SIGNED, CHECKPOINT_STREAM, SealedLedgerWriter } from '@ledgerline/ledger';
import { startEsdbStandIn, type EsdbStandIn } from '../esdb-stand-in';
import { runVerifierAsync } from './support/verifier-process';

const ORIGIN = 'esdb.example/ledgerline';

/**
 * verify-store on an EventStoreDB store, read through the port's readAll (the esdb adapter) from the
 * gRPC stand-in served by this process. Events go in through the sealed writer; checkpoints are signed
 * over the tree of the leaves read back (the notary's projection does not run on this store here: see
 * the report), in the notary's event format. Tampering happens on the server's stored bytes.
 */
describe('verify-store on EventStoreDB (gRPC stand-in)', () => {
  let dir: string;
  let standIn: EsdbStandIn;
  const files = { jwks: '', logKey: '', saved: '' };

  beforeAll(async () => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'verify-esdb-'));
    standIn = await startEsdbStandIn();
    const store = await openEventStore(standIn.url);
    const keyring = await Keyring.create({ signingKey: generateEd25519Pem() });
    const checkpointKey = generateKeyPairSync('ed25519').privateKey;
    const writer = new SealedLedgerWriter(store, keyring);
    const context = { actor: { kind: 'user' as const, id: 'user_1' }, correlationId: '11111111-1111-4111-8111-111111111111', causationId: '22222222-2222-4222-8222-222222222222' };
    for (let round = 0; round < 3; round++) {
      for (let i = 0; i < 4; i++) {
        for (const stream of ['document-a', 'document-b', 'account-c']) await writer.append(stream, [{ type: 'DocumentEdited', data: { documentId: stream, n: round * 10 + i } }], 'any', context);
      }
      const note = await signCheckpointOver(store, checkpointKey);
      await writer.append(CHECKPOINT_STREAM, [{ type: CHECKPOINT_SIGNED, data: note.data }], 'any', { ...context, actor: { kind: 'system', id: 'notary' } });
      files.saved = path.join(dir, 'saved.note');
      writeFileSync(files.saved, note.data.note);
    }
    await store.close();
    files.jwks = path.join(dir, 'jwks.json');
    files.logKey = path.join(dir, 'log-key.txt');
    writeFileSync(files.jwks, JSON.stringify(keyring.jwks()));
    writeFileSync(files.logKey, encodeVerifierKey(ORIGIN, checkpointKey));
  });
  afterAll(async () => {
    await standIn.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  const verify = (...extra: string[]) => runVerifierAsync(['verify-store', '--events', standIn.url, '--jwks', files.jwks, '--log-key', files.logKey, '--json', ...extra]);

  it('verifies the whole store, with --since, skipping the server\'s own system events', async () => {
    const run = await verify('--since', files.saved);
    expect({ status: run.status, stderr: run.stderr }).toEqual({ status: 0, stderr: '' });
    expect(run.report).toMatchObject({ ok: true, checked: { events: 39, streams: 4, checkpoints: 3, leaves: 36 } });
  });

  it('names a data field changed on the server, with its position', async () => {
    const stored = standIn.log.events.find((e) => e.stream === 'document-b' && e.revision === 5);
    if (!stored) throw new Error('document-b@5 not found');
    const original = stored.data;
    const data = JSON.parse(Buffer.from(original).toString('utf8')) as { n: number };
    stored.data = Buffer.from(JSON.stringify({ ...data, n: data.n + 1 }));
    try {
      const run = await verify('--fast');
      // Signal and stderr in the comparison: a CI run once saw status null here (the process ended by a signal), not reproduced since.
      expect({ status: run.status, signal: run.signal, stderr: run.status === 1 ? '' : run.stderr }).toEqual({ status: 1, signal: null, stderr: '' });
      expect(run.report?.firstFailure).toMatchObject({ kind: 'data-hash', stream: 'document-b', revision: 5 });
      expect(run.stderr).toMatch(/^INVALID: data-hash at stream document-b revision 5 position \d+:/m);
    } finally {
      stored.data = original;
    }
  });

  it('names a metadata field changed on the server, in full mode', async () => {
    const stored = standIn.log.events.find((e) => e.stream === 'account-c' && e.revision === 2);
    if (!stored) throw new Error('account-c@2 not found');
    const original = stored.metadata;
    const metadata = JSON.parse(Buffer.from(original).toString('utf8')) as { actor: { id: string } };
    stored.metadata = Buffer.from(JSON.stringify({ ...metadata, actor: { ...metadata.actor, id: 'user_mallory' } }));
    try {
      const run = await verify();
      expect({ status: run.status, failure: run.report?.firstFailure }).toMatchObject({ status: 1, failure: { kind: 'hash', stream: 'account-c', revision: 2 } });
    } finally {
      stored.metadata = original;
    }
  });
});

describe('verify-store on an EventStoreDB URL nobody answers', () => {
  it('is a usage error (exit 2) that says the store cannot be reached', async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'verify-esdb-down-'));
    try {
      const jwks = path.join(dir, 'jwks.json');
      writeFileSync(jwks, JSON.stringify((await Keyring.create({ signingKey: generateEd25519Pem() })).jwks()));
      const logKey = encodeVerifierKey(ORIGIN, generateKeyPairSync('ed25519').publicKey);
      const run = await runVerifierAsync(['verify-store', '--events', 'esdb://127.0.0.1:1?tls=false', '--jwks', jwks, '--log-key', logKey]);
      expect(run.status).toBe(2);
      expect(run.stderr).toContain('--events: cannot reach the event store');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

/** A CheckpointSigned event's data over every leaf now in the store (§4: enveloped, not the checkpoint stream). */
async function signCheckpointOver(store: EventStore, key: ReturnType<typeof generateKeyPairSync>['privateKey']) {
  const tree = new InMemoryMerkleTree();
  for await (const event of store.readAll()) {
    if (event.stream !== CHECKPOINT_STREAM && event.metadata.v === 1) tree.appendLeafInput(Buffer.from(String(event.metadata.hash), 'hex'));
  }
  const root = tree.root();
  return { data: { note: signCheckpoint({ origin: ORIGIN, size: tree.size, rootHash: root }, key), treeSize: tree.size, rootHash: b64Encode(root) } };
}
