import { generateKeyPairSync, randomUUID } from 'node:crypto';
import { closeSync, existsSync, mkdirSync, openSync, readFileSync, rmSync, statSync, writeFileSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  encodeVerifierKey,
  generateEd25519Pem,
  InMemoryMerkleTree,
  Keyring,
  sealEventWithData,
  signCheckpoint,
  BundleWriter,
  ZERO_HASH,
  type Actor,
  type EventMetadata,
} from '@ledgerline/integrity';
import { fakeJwe, prng } from '../verify/bench-store';

/** Bump when the generated bundle's shape changes, so a cached one is regenerated. */
const BUNDLE_VERSION = 'v1';
const ORIGIN = 'bench.example/ledgerline';

export interface BenchBundle {
  file: string;
  jwksFile: string;
  logKeyFile: string;
  events: number;
  bytes: number;
}

/**
 * An evidence bundle (SPEC §5) of `events` document events over `events / 100` streams, interleaved,
 * sealed and proved with the integrity lib exactly as the API's export writes them (BundleWriter), against
 * one checkpoint over all of them. Cached under os.tmpdir() by version and size with its JWKS and log key.
 */
export async function benchBundle(events: number, log: (line: string) => void): Promise<BenchBundle> {
  const dir = join(tmpdir(), `ledgerline-bench-console-${BUNDLE_VERSION}-${events}`);
  const bundle = { file: join(dir, 'bundle.ndjson'), jwksFile: join(dir, 'jwks.json'), logKeyFile: join(dir, 'log-key.txt'), events, bytes: 0 };
  if (existsSync(join(dir, 'complete'))) return { ...bundle, bytes: statSync(bundle.file).size };
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  log(`generating a ${events.toLocaleString('en-US')}-event bundle in ${dir}`);

  const keyring = await Keyring.create({ signingKey: generateEd25519Pem() });
  const checkpointKey = generateKeyPairSync('ed25519');
  const logKey = encodeVerifierKey(ORIGIN, checkpointKey.publicKey);
  writeFileSync(bundle.jwksFile, JSON.stringify(keyring.jwks()));
  writeFileSync(bundle.logKeyFile, `${logKey}\n`);

  const random = prng(0xc0501e);
  const streams = Math.max(1, Math.floor(events / 100));
  const streamIds = Array.from({ length: streams }, () => randomUUID());
  const heads = streamIds.map(() => ({ revision: -1, hash: ZERO_HASH }));
  const baseTime = Date.UTC(2026, 0, 1);
  const sealed: { id: string; stream: string; revision: number; type: string; data: Record<string, unknown>; metadata: EventMetadata }[] = [];
  const tree = new InMemoryMerkleTree();
  for (let i = 0; i < events; i++) {
    const s = Math.floor(random() * streams);
    const head = heads[s];
    const documentId = streamIds[s];
    const ownerId = `user_${documentId.slice(0, 12)}`;
    const created = head.revision < 0;
    const data = created ? { documentId, ownerId, title: fakeJwe(random, 60), body: fakeJwe(random, 120) } : { documentId, title: fakeJwe(random, 60) };
    const actor: Actor = { kind: 'user', id: ownerId, session: `sess_${ownerId.slice(5)}${Math.floor(random() * 1e6)}`, mfa: random() < 0.5 };
    const id = randomUUID();
    const stream = `document-${documentId}`;
    const type = created ? 'DocumentCreated' : 'DocumentEdited';
    const { metadata } = sealEventWithData(
      { id, stream, revision: head.revision + 1, type, time: new Date(baseTime + i).toISOString(), actor, correlationId: id, causationId: id, data, prevHash: created ? undefined : head.hash },
      keyring,
    );
    head.revision++;
    head.hash = metadata.hash;
    tree.appendLeafInput(Buffer.from(metadata.hash, 'hex'));
    sealed.push({ id, stream, revision: metadata.revision, type, data, metadata });
  }
  const checkpoint = signCheckpoint({ origin: ORIGIN, size: tree.size, rootHash: tree.root() }, checkpointKey.privateKey);
  const writer = new BundleWriter(keyring);
  const fd = openSync(bundle.file, 'w');
  try {
    writeSync(fd, writer.header({ generatedAt: new Date(baseTime), query: { type: 'DocumentEdited' }, checkpoint, logKey, jwks: keyring.jwks() }));
    sealed.forEach((event, leafIndex) => writeSync(fd, writer.event({ leafIndex, ...event, inclusionProof: tree.inclusionProof(leafIndex) })));
    writeSync(fd, writer.end());
  } finally {
    closeSync(fd);
  }
  writeFileSync(join(dir, 'complete'), '');
  return { ...bundle, bytes: statSync(bundle.file).size };
}

export const readKeys = (b: BenchBundle): { jwks: string; logKey: string } => ({ jwks: readFileSync(b.jwksFile, 'utf8'), logKey: readFileSync(b.logKeyFile, 'utf8').trim() });
