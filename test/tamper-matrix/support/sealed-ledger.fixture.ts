import { generateKeyPairSync, type KeyObject } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { SqliteEventStore, type RecordedEvent } from '@ledgerline/event-store';
import { BundleWriter, encodeVerifierKey, generateEd25519Pem, Keyring } from '@ledgerline/integrity';
import { CHECKPOINT_STREAM, CheckpointNotary, latestCheckpoint, MerkleLogProjector, SealedLedgerWriter, StoredMerkleTree, type CommandContext } from '@ledgerline/ledger';
import { ProjectionRunner, SqliteReadDb } from '@ledgerline/projections';

export const ORIGIN = 'tamper.example/ledgerline';

const quiet = { info: () => undefined, warn: () => undefined, error: () => undefined };

/** What the tamper cases start from: a real store on disk, its public keys, a saved checkpoint and a bundle. */
export interface SealedLedger {
  eventsFile: string;
  jwksFile: string;
  logKeyFile: string;
  /** The newest checkpoint note, as a compliance officer saved it (`--since`). */
  savedNoteFile: string;
  savedNoteSize: number;
  bundleFile: string;
  /** The first and the last checkpoint notes and the stored tree's consistency proof between them. */
  consistency: { oldNoteFile: string; newNoteFile: string; proofFile: string };
  keyring: Keyring;
  checkpointKey: KeyObject;
  /** Sizes of the signed checkpoints, in order. */
  checkpointSizes: number[];
}

/**
 * Writes a ledger through the production write path: SealedLedgerWriter (sealing, chaining,
 * signing) into SqliteEventStore, the MerkleLogProjector under a ProjectionRunner and the
 * CheckpointNotary signing three checkpoints, with more events after the last one. Four streams,
 * interleaved. Then writes the evidence bundle of every checkpointed event with the integrity lib's
 * BundleWriter and inclusion proofs from the stored tree, and closes everything (the WAL is folded
 * into the file, so a copy of the file is the whole store).
 */
export async function writeSealedLedger(dir: string): Promise<SealedLedger> {
  const eventsFile = path.join(dir, 'events.sqlite');
  const store = new SqliteEventStore(eventsFile);
  const readDb = new SqliteReadDb(path.join(dir, 'read.sqlite'));
  const keyring = await Keyring.create({ signingKey: generateEd25519Pem() });
  const checkpointKey = generateKeyPairSync('ed25519').privateKey;
  const writer = new SealedLedgerWriter(store, keyring);
  const runner = new ProjectionRunner(store, readDb, new MerkleLogProjector(), { logger: quiet });
  const notary = new CheckpointNotary(store, writer, readDb, { origin: ORIGIN, checkpointKey, intervalMs: 3_600_000, logger: quiet });
  await runner.start();

  let n = 0;
  const context = (actor: string): CommandContext => ({
    actor: { kind: 'user', id: actor, mfa: true },
    correlationId: '11111111-1111-4111-8111-111111111111',
    causationId: '22222222-2222-4222-8222-222222222222',
  });
  const write = async (stream: string, count: number) => {
    for (let i = 0; i < count; i++) {
      n++;
      const data = { documentId: stream, title: { $jwe: `eyJhbGciOiJkaXIifQ..iv${n}.ciphertext${n}.tag${n}` }, n };
      await writer.append(stream, [{ type: i === 0 ? 'DocumentCreated' : 'DocumentEdited', data }], 'any', context(`user_${stream}`));
    }
  };
  const round = async (counts: Record<string, number>) => {
    // Interleave the streams one event at a time so neighbouring positions belong to different streams.
    const remaining = { ...counts };
    while (Object.values(remaining).some((c) => c > 0)) {
      for (const stream of Object.keys(remaining)) {
        if (remaining[stream] > 0) {
          await write(stream, 1);
          remaining[stream]--;
        }
      }
    }
  };
  const settle = async () => {
    const head = await store.headPosition();
    if (!(await runner.waitForPosition(head ?? 0n, 10_000))) throw new Error(`merkle-log projection did not catch up: ${JSON.stringify(runner.status(), (_k, v) => (typeof v === 'bigint' ? v.toString() : v))}`);
  };
  const sign = async () => {
    await settle();
    if ((await notary.signIfGrown()) !== 'signed') throw new Error('the notary did not sign');
  };

  await round({ 'document-a': 4, 'document-b': 3, 'account-c': 3, 'document-d': 3 });
  await sign();
  await round({ 'document-a': 3, 'document-b': 2, 'account-c': 2 });
  await sign();
  await round({ 'document-a': 2, 'document-b': 2, 'account-c': 1 });
  await sign();
  await round({ 'document-a': 1, 'document-b': 1 });
  await settle();

  const latest = await latestCheckpoint(store);
  if (!latest) throw new Error('no checkpoint');
  const checkpointSizes: number[] = [];
  const notes: string[] = [];
  for await (const event of store.readStream(CHECKPOINT_STREAM)) {
    checkpointSizes.push((event.data as { treeSize: number }).treeSize);
    notes.push((event.data as { note: string }).note);
  }

  const logKey = encodeVerifierKey(ORIGIN, checkpointKey);
  const files = {
    jwksFile: path.join(dir, 'jwks.json'),
    logKeyFile: path.join(dir, 'log-key.txt'),
    savedNoteFile: path.join(dir, 'saved-checkpoint.note'),
    bundleFile: path.join(dir, 'evidence.ndjson'),
  };
  writeFileSync(files.jwksFile, JSON.stringify(keyring.jwks()));
  writeFileSync(files.logKeyFile, `${logKey}\n`);
  writeFileSync(files.savedNoteFile, latest.note);
  const consistency = {
    oldNoteFile: path.join(dir, 'old-checkpoint.note'),
    newNoteFile: path.join(dir, 'new-checkpoint.note'),
    proofFile: path.join(dir, 'consistency-proof.txt'),
  };
  writeFileSync(consistency.oldNoteFile, notes[0]);
  writeFileSync(consistency.newNoteFile, notes[notes.length - 1]);
  const proof = await StoredMerkleTree.consistencyProof(readDb, checkpointSizes[0], checkpointSizes[checkpointSizes.length - 1]);
  writeFileSync(consistency.proofFile, `${proof.map((h) => h.toString('base64')).join('\n')}\n`);

  const bundle = new BundleWriter(keyring);
  const parts = [bundle.header({ generatedAt: new Date(), query: {}, checkpoint: latest.note, logKey, jwks: keyring.jwks() })];
  let leafIndex = 0;
  let pending = 0;
  for await (const event of store.readAll()) {
    if (event.stream === CHECKPOINT_STREAM) continue;
    if (leafIndex < latest.treeSize) {
      parts.push(bundle.event({ ...eventFields(event), leafIndex, inclusionProof: await StoredMerkleTree.inclusionProof(readDb, leafIndex, latest.treeSize) }));
    } else {
      pending++;
    }
    leafIndex++;
  }
  parts.push(bundle.end({ pending }));
  writeFileSync(files.bundleFile, Buffer.concat(parts));

  await notary.stop();
  await runner.stop();
  await readDb.close();
  await store.close();
  return { eventsFile, ...files, consistency, savedNoteSize: latest.treeSize, keyring, checkpointKey, checkpointSizes };
}

function eventFields(event: RecordedEvent) {
  return { id: event.id, stream: event.stream, revision: event.revision, type: event.type, data: event.data, metadata: event.metadata };
}
