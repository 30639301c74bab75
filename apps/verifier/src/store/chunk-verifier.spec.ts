import fc from 'fast-check';
import { generateKeyPairSync, randomUUID } from 'node:crypto';
import {
  b64Encode,
  canonicalizeWithout,
  encodeVerifierKey,
  generateEd25519Pem,
  Keyring,
  leafHash,
  parseVerifierKey,
  sealEvent,
  sha256Hex,
  signCheckpoint,
  verifyEvent,
  type EventMetadata,
  type StoredEvent,
} from '@ledgerline/integrity';
import { ChunkVerifier, type LogRow } from './chunk-verifier';
import { passesFastPath } from './event-check';
import { asRows, sealedEvents } from './sealed-log.spec-helper';

const ORIGIN = 'spec.example/log';
let keyring: Keyring;
const logPair = generateKeyPairSync('ed25519');
const logKey = parseVerifierKey(encodeVerifierKey(ORIGIN, logPair.publicKey));

function checkpointEvent(data: Record<string, unknown>, type = 'CheckpointSigned', revision = 0): StoredEvent {
  const id = randomUUID();
  const metadata = sealEvent(
    { id, stream: 'audit-checkpoints', revision, type, time: '2026-11-28T00:00:00.000Z', actor: { kind: 'system', id: 'notary' }, correlationId: id, causationId: id, data },
    keyring,
  );
  return { id, stream: 'audit-checkpoints', revision, type, data, metadata };
}

function signedCheckpointData(size: number, root = Buffer.alloc(32, 9), signer = logPair.privateKey) {
  return { note: signCheckpoint({ origin: ORIGIN, size, rootHash: root }, signer), treeSize: size, rootHash: b64Encode(root) };
}

let a: StoredEvent[];
let b: StoredEvent[];
let log: StoredEvent[];
beforeAll(async () => {
  keyring = await Keyring.create({ signingKey: generateEd25519Pem() });
  a = sealedEvents(keyring, 'document-a', 3);
  b = sealedEvents(keyring, 'document-b', 2);
  log = [a[0], b[0], a[1], checkpointEvent(signedCheckpointData(3)), b[1], a[2]];
});

const verifier = (checkSignatures = true, rowsAreText = true) => new ChunkVerifier({ keys: keyring.keyMap(), logKey, checkSignatures, rowsAreText });

describe('ChunkVerifier', () => {
  it('packs hash, prev, leaf hash, stream and revision of every event, and the checkpoint claims', () => {
    const chunk = verifier().verify(7, asRows(log, 100));
    expect(chunk).toMatchObject({ seq: 7, count: 6, firstNewStream: 0, newStreams: ['document-a', 'document-b', 'audit-checkpoints'], checkpoints: [{ index: 3, treeSize: 3, rootHash: b64Encode(Buffer.alloc(32, 9)) }] });
    expect(chunk.failure).toBeUndefined();
    log.forEach((event, i) => {
      const m = event.metadata as EventMetadata;
      expect(Buffer.from(chunk.hashes.subarray(i * 32, i * 32 + 32)).toString('hex')).toBe(m.hash);
      expect(Buffer.from(chunk.prevs.subarray(i * 32, i * 32 + 32)).toString('hex')).toBe(m.prev);
      const isLeaf = event.stream !== 'audit-checkpoints';
      expect(chunk.isLeaf[i]).toBe(isLeaf ? 1 : 0);
      if (isLeaf) expect(Buffer.from(chunk.leafHashes.subarray(i * 32, i * 32 + 32)).equals(leafHash(Buffer.from(m.hash, 'hex')))).toBe(true);
      expect(chunk.newStreams[chunk.streamIndex[i]]).toBe(event.stream);
      expect([chunk.revisions[i], chunk.positions[i]]).toEqual([event.revision, 100 + i]);
    });
  });

  it('numbers streams once per worker: a later chunk names only the streams new to it', () => {
    const v = new ChunkVerifier({ worker: 3, keys: keyring.keyMap(), logKey, checkSignatures: true, rowsAreText: true });
    v.verify(0, asRows([a[0], b[0]], 1));
    const later = v.verify(1, asRows([a[1], checkpointEvent(signedCheckpointData(2)), b[1]], 3));
    expect(later).toMatchObject({ worker: 3, count: 3, firstNewStream: 2, newStreams: ['audit-checkpoints'] });
    expect([...later.streamIndex.subarray(0, 3)]).toEqual([0, 2, 1]);
  });

  it('takes parsed rows (a store adapter) and exact positions beyond 2^53', () => {
    const rows: LogRow[] = log.map((e, i) => [Number.MAX_SAFE_INTEGER + 2 + i, e.id, e.stream, e.revision, e.type, e.data, e.metadata, `${2n ** 60n + BigInt(i)}`]);
    const chunk = verifier(false, false).verify(0, rows);
    expect(chunk.count).toBe(6);
    expect(chunk.positionTexts?.[5]).toBe(`${2n ** 60n + 5n}`);
  });

  const tampers: [string, (rows: LogRow[]) => void, string][] = [
    ['data that is not JSON', (rows) => (rows[2][5] = '{"n":'), 'json'],
    ['data stored as a blob', (rows) => (rows[2][5] = Buffer.from('{}')), 'row'],
    ['a revision that is not an integer', (rows) => (rows[2][3] = '1'), 'row'],
    ['a changed data value', (rows) => (rows[2][5] = (rows[2][5] as string).replace('"n":1', '"n":2')), 'data-hash'],
    ['an event with no envelope', (rows) => (rows[2][6] = '{}'), 'unsealed'],
  ];
  it.each(tampers.flatMap(([label, tamper, kind]) => (['jcs', 'stringify'] as const).map((dataAs) => [label, dataAs, tamper, kind] as const)))(
    'stops at %s (data stored as %s) and names where it is',
    (_label, dataAs, tamper, kind) => {
      const rows = asRows(log, 100, dataAs);
      tamper(rows);
      const chunk = verifier().verify(0, rows);
      expect(chunk.count).toBe(2);
      expect(chunk.failure).toMatchObject({ kind, position: 102, ...(kind === 'row' && rows[2][3] === '1' ? {} : { stream: 'document-a', revision: 1 }) });
    },
  );

  describe('data stored as text', () => {
    const parsed = (rows: LogRow[]): LogRow[] => rows.map((row) => [row[0], row[1], row[2], row[3], row[4], JSON.parse(row[5] as string), JSON.parse(row[6] as string)]);
    const textEvent = (row: LogRow): StoredEvent => ({ id: row[1] as string, stream: row[2] as string, revision: row[3] as number, type: row[4] as string, data: undefined, metadata: JSON.parse(row[6] as string) });

    it('hashes data stored as its JCS text as it is, and parses and canonicalizes any other text', () => {
      const keys = keyring.keyMap();
      for (const row of asRows(log, 100, 'jcs')) expect(passesFastPath(textEvent(row), keys, false, row[5] as string)).toBe(true);
      for (const row of asRows(log, 100, 'stringify')) expect(passesFastPath(textEvent(row), keys, false, row[5] as string)).toBe(false);
      const spaced = asRows(log, 100).map((row): LogRow => [row[0], row[1], row[2], row[3], row[4], JSON.stringify(JSON.parse(row[5] as string), null, 2), row[6]]);
      for (const rows of [asRows(log, 100, 'jcs'), asRows(log, 100, 'stringify'), spaced]) {
        for (const full of [true, false]) expect(verifier(full).verify(0, rows)).toMatchObject({ count: 6, checkpoints: [{ index: 3, treeSize: 3 }] });
      }
    });

    it('names a changed byte of the data the same way whether the text was canonical or not', () => {
      const byte = (rows: LogRow[]) => (rows[2][5] = (rows[2][5] as string).replace('ct-document-a-1', 'ct-document-a-X'));
      const failures = (['jcs', 'stringify'] as const).map((dataAs) => {
        const rows = asRows(log, 100, dataAs);
        byte(rows);
        return verifier(false).verify(0, rows).failure;
      });
      expect(failures[0]).toMatchObject({ kind: 'data-hash', stream: 'document-a', revision: 1, position: 102 });
      expect(failures[1]).toEqual(failures[0]);
    });

    it('does not take a dataHash over non-canonical text for H(JCS(data)): that event fails as verifyEvent says', () => {
      // A writer that hashed the text it stored, not its JCS (members out of order), with a trusted key.
      const [event] = sealedEvents(keyring, 'document-z', 1);
      const text = '{"title":{"$jwe":"x"},"documentId":"document-z"}';
      const m = { ...(event.metadata as EventMetadata), dataHash: sha256Hex(text) };
      m.hash = sha256Hex(canonicalizeWithout(m, ['hash', 'sig']));
      m.sig = keyring.sign(m.hash);
      const forged: StoredEvent = { ...event, data: JSON.parse(text), metadata: m };
      expect(verifyEvent(forged, keyring.keyMap())).toMatchObject({ ok: false, reason: 'data-hash' });
      const rows: LogRow[] = [[1, event.id, event.stream, 0, event.type, text, JSON.stringify(m)]];
      for (const full of [true, false]) expect(verifier(full).verify(0, rows).failure).toMatchObject({ kind: 'data-hash', position: 1 });
    });

    it('gives the verdict of parsed rows for any edit of a stored data text', () => {
      const significant = ['"', '\\', ' ', ',', '}', '{', '0', '1', 'a', 'é', '\ud800'];
      fc.assert(
        fc.property(fc.integer({ min: 0, max: log.length - 1 }), fc.nat(), fc.constantFrom(...significant), fc.boolean(), fc.constantFrom('jcs', 'stringify'), (k, at, char, insert, dataAs: 'jcs' | 'stringify') => {
          const rows = asRows(log, 100, dataAs);
          const text = rows[k][5] as string;
          const i = at % text.length;
          rows[k][5] = text.slice(0, i) + char + text.slice(insert ? i : i + 1);
          let expected;
          try {
            expected = verifier(false, false).verify(0, parsed(rows)).failure;
          } catch {
            expected = undefined;
          }
          const actual = verifier(false).verify(0, rows).failure;
          if (expected === undefined && actual?.kind === 'json') return;
          expect(actual).toEqual(expected);
        }),
        { numRuns: 300 },
      );
    });
  });

  it('reports the first failure in log order whether it is a signature (checked last, in a batch) or not', async () => {
    const mallory = await Keyring.create({ signingKey: generateEd25519Pem() });
    const forged = (e: StoredEvent): StoredEvent => ({ ...e, metadata: { ...(e.metadata as EventMetadata), sig: mallory.sign((e.metadata as EventMetadata).hash) } });
    const badSig = forged(a[1]);
    const badData = { ...b[1], data: { ...(b[1].data as object), n: 99 } };
    expect(verifier().verify(0, asRows([a[0], b[0], badSig, badData], 1)).failure).toMatchObject({ kind: 'unknown-key', stream: 'document-a', revision: 1, position: 3 });
    expect(verifier().verify(0, asRows([a[0], b[0], a[1], badData], 1))).toMatchObject({ count: 3, failure: { kind: 'data-hash', position: 4 } });
    const wrongSig = { ...a[1], metadata: { ...(a[1].metadata as EventMetadata), sig: (a[0].metadata as EventMetadata).sig } };
    const chunk = verifier().verify(0, asRows([a[0], b[0], wrongSig, badData], 1));
    expect(chunk).toMatchObject({ count: 2, failure: { kind: 'signature', position: 3 } });
    expect(verifier(false).verify(0, asRows([a[0], b[0], wrongSig, badData], 1)).failure).toMatchObject({ kind: 'data-hash', position: 4 });
  });

  it.each<[string, () => StoredEvent, string]>([
    ['a note signed by another key', () => checkpointEvent(signedCheckpointData(3, Buffer.alloc(32, 9), generateKeyPairSync('ed25519').privateKey)), 'checkpoint-note'],
    ['data that disagrees with its note', () => checkpointEvent({ ...signedCheckpointData(3), treeSize: 4 }), 'checkpoint-mismatch'],
    ['another event type', () => checkpointEvent(signedCheckpointData(3), 'CheckpointForged'), 'checkpoint-event'],
    ['data without a note', () => checkpointEvent({ treeSize: 3, rootHash: 'x' }), 'checkpoint-event'],
  ])('rejects a checkpoint event with %s, in fast mode too', (_label, event, kind) => {
    const chunk = verifier(false).verify(0, asRows([a[0], event()], 1));
    expect(chunk.count).toBe(1);
    expect(chunk.failure).toMatchObject({ kind, stream: 'audit-checkpoints', revision: 0, position: 2 });
  });
});
