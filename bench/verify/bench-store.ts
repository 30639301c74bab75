import Database from 'better-sqlite3';
import { generateKeyPairSync, randomUUID } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SqliteEventStore } from '@ledgerline/event-store';
import {
  b64Encode,
  CompactMerkleTree,
  encodeVerifierKey,
  generateEd25519Pem,
  Keyring,
  leafHash,
  sealEventWithData,
  signCheckpoint,
  ZERO_HASH,
  type Actor,
} from '@ledgerline/integrity';

/** Bump when the generated store's shape changes, so cached files are regenerated. */
const STORE_VERSION = 'v3';
const ORIGIN = 'bench.example/ledgerline';
const CHECKPOINT_EVERY = 100_000;
const ROWS_PER_TRANSACTION = 20_000;

export interface BenchStore {
  file: string;
  jwksFile: string;
  logKeyFile: string;
  events: number;
  streams: number;
  checkpoints: number;
  generatedSeconds?: number;
}

/** Deterministic PRNG (mulberry32): the same interleaving of streams on every generation. */
export function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** A JWE-shaped ciphertext of about `bytes` characters, like the encrypted fields of §6. */
export function fakeJwe(random: () => number, bytes: number): { $jwe: string } {
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
  let body = '';
  for (let i = 0; i < bytes; i++) body += alphabet[Math.floor(random() * 64)];
  return { $jwe: `eyJhbGciOiJkaXIiLCJlbmMiOiJBMjU2R0NNIiwia2lkIjoiZGsxIn0..${body.slice(0, 16)}.${body.slice(16, -22)}.${body.slice(-22)}` };
}

/**
 * A user actor as the API writes one (actorFor): a session always, an organization for about half the
 * users, and whether the session passed a second factor, so the stored metadata is as long as real.
 */
function userActor(userId: string, random: () => number): Actor {
  const session = `sess_${userId.slice(5)}${Math.floor(random() * 1e6)}`;
  const org = random() < 0.5 ? { org: `org_${userId.slice(5, 13)}` } : {};
  return { kind: 'user', id: userId, session, ...org, mfa: random() < 0.5 };
}

/**
 * A store of `events` sealed events (documents: created, then edited) over `events / 100` streams,
 * interleaved at random, plus a signed checkpoint every 100,000 leaves — written fast: sealed with the
 * integrity lib and inserted straight into the SQLite adapter's table in big transactions (no group
 * commit), rows as the sealed write path stores them (data as its JCS text). Cached under os.tmpdir()
 * by version and size; a rerun reuses a complete file.
 */
export async function benchStore(events: number, log: (line: string) => void): Promise<BenchStore> {
  const dir = join(tmpdir(), `ledgerline-bench-verify-${STORE_VERSION}-${events}`);
  const store: BenchStore = {
    file: join(dir, 'events.sqlite'),
    jwksFile: join(dir, 'jwks.json'),
    logKeyFile: join(dir, 'log-key.txt'),
    events,
    streams: Math.max(1, Math.floor(events / 100)),
    checkpoints: 0,
  };
  const done = join(dir, 'complete.json');
  if (existsSync(done)) return { ...store, ...(JSON.parse(readFileSync(done, 'utf8')) as Partial<BenchStore>) };

  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  const started = performance.now();
  const keyring = await Keyring.create({ signingKey: generateEd25519Pem() });
  const checkpointKey = generateKeyPairSync('ed25519');
  writeFileSync(store.jwksFile, JSON.stringify(keyring.jwks()));
  writeFileSync(store.logKeyFile, `${encodeVerifierKey(ORIGIN, checkpointKey.publicKey)}\n`);

  // The adapter creates its schema (and WAL); rows then go in through a plain connection.
  new SqliteEventStore(store.file).close();
  const db = new Database(store.file);
  db.pragma('synchronous = OFF');
  const insert = db.prepare('INSERT INTO events (id, stream, revision, type, data, metadata) VALUES (?, ?, ?, ?, ?, ?)');

  const random = prng(0x5eed);
  const streamIds = Array.from({ length: store.streams }, () => randomUUID());
  const heads: { revision: number; hash: string }[] = streamIds.map(() => ({ revision: -1, hash: ZERO_HASH }));
  const tree = new CompactMerkleTree();
  const checkpointHead = { revision: -1, hash: ZERO_HASH };
  const baseTime = Date.UTC(2026, 0, 1);
  let rows: unknown[][] = [];
  const flush = db.transaction((batch: unknown[][]) => {
    for (const row of batch) insert.run(...row);
  });

  const append = (stream: string, head: { revision: number; hash: string }, type: string, data: Record<string, unknown>, actor: Actor, at: number) => {
    const id = randomUUID();
    const { metadata, dataJcs } = sealEventWithData(
      { id, stream, revision: head.revision + 1, type, time: new Date(baseTime + at).toISOString(), actor, correlationId: id, causationId: id, data, prevHash: head.revision < 0 ? undefined : head.hash },
      keyring,
    );
    head.revision++;
    head.hash = metadata.hash;
    rows.push([id, stream, metadata.revision, type, dataJcs, JSON.stringify(metadata)]);
    if (rows.length >= ROWS_PER_TRANSACTION) {
      flush(rows);
      rows = [];
    }
    return metadata.hash;
  };

  let lastReport = performance.now();
  for (let i = 0; i < events; i++) {
    const s = Math.floor(random() * store.streams);
    const head = heads[s];
    const documentId = streamIds[s];
    const ownerId = `user_${documentId.slice(0, 12)}`;
    const created = head.revision < 0;
    const data = created
      ? { documentId, ownerId, title: fakeJwe(random, 60), body: fakeJwe(random, 120) }
      : { documentId, title: fakeJwe(random, 60) };
    const hash = append(`document-${documentId}`, head, created ? 'DocumentCreated' : 'DocumentEdited', data, userActor(ownerId, random), i);
    tree.append(leafHash(Buffer.from(hash, 'hex')));
    if (tree.size % CHECKPOINT_EVERY === 0 || i === events - 1) {
      const rootHash = tree.root();
      const note = signCheckpoint({ origin: ORIGIN, size: tree.size, rootHash }, checkpointKey.privateKey);
      append('audit-checkpoints', checkpointHead, 'CheckpointSigned', { note, treeSize: tree.size, rootHash: b64Encode(rootHash) }, { kind: 'system', id: 'notary' }, i);
      store.checkpoints++;
    }
    if (performance.now() - lastReport > 5000) {
      lastReport = performance.now();
      log(`generating: ${i + 1} of ${events} events`);
    }
  }
  if (rows.length > 0) flush(rows);
  db.pragma('wal_checkpoint(TRUNCATE)');
  db.close();
  store.generatedSeconds = (performance.now() - started) / 1000;
  writeFileSync(done, JSON.stringify({ checkpoints: store.checkpoints, streams: store.streams, generatedSeconds: store.generatedSeconds }));
  return store;
}
