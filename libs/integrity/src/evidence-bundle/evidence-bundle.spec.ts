import * as crypto from 'node:crypto';
import type { EventMetadata, StoredEvent } from '../envelope/envelope.types';
import { generateEd25519Pem } from '../keys/key-files';
import type { Jwks } from '../keys/jwks';
import { Keyring } from '../keys/keyring';
import { InMemoryMerkleTree } from '../merkle/in-memory-merkle-tree';
import { signCheckpoint } from '../note/checkpoint';
import { encodeVerifierKey } from '../note/verifier-key';
import { clone, sealedStream } from '../test-support/sealed-events';
import { verifyBundle, verifyBundleLines } from './bundle-reader';
import { BundleWriter, type BundleEventInput, type BundleEventTextInput } from './bundle-writer';

const ORIGIN = 'localhost/ledgerline';

/** A small ledger: three interleaved streams in one global log, a tree over it and a signed checkpoint. */
function ledger(keyring: Keyring, logPrivate = crypto.generateKeyPairSync('ed25519').privateKey) {
  const a = sealedStream(keyring, 'document-a', 5);
  const b = sealedStream(keyring, 'document-b', 4);
  const c = sealedStream(keyring, 'account-c', 3);
  const log: StoredEvent[] = [];
  for (let i = 0; i < 5; i++) for (const s of [a, b, c]) if (s[i]) log.push(s[i]);
  const tree = new InMemoryMerkleTree();
  for (const e of log) tree.appendLeafInput(Buffer.from((e.metadata as EventMetadata).hash, 'hex'));
  const checkpoint = signCheckpoint({ origin: ORIGIN, size: tree.size, rootHash: tree.root() }, logPrivate);
  return { keyring, logPrivate, logKey: encodeVerifierKey(ORIGIN, logPrivate), log, tree, checkpoint };
}

type Ledger = ReturnType<typeof ledger>;

function eventInputs(l: Ledger, filter: (e: StoredEvent) => boolean = () => true): BundleEventInput[] {
  return l.log.flatMap((e, leafIndex) => (filter(e) ? [{ leafIndex, ...e, inclusionProof: l.tree.inclusionProof(leafIndex) }] : []));
}

function writeBundle(l: Ledger, events: BundleEventInput[], query: Record<string, unknown> = {}, options: { pending?: number; signer?: Keyring } = {}): string {
  const signer = options.signer ?? l.keyring;
  const writer = new BundleWriter(signer);
  const parts = [writer.header({ generatedAt: new Date(0), query, checkpoint: l.checkpoint, logKey: l.logKey, jwks: signer.jwks() })];
  for (const e of events) parts.push(writer.event(e));
  parts.push(writer.end({ pending: options.pending }));
  return Buffer.concat(parts).toString('utf8');
}

/** Re-signs already-written lines as the genuine server would (a server bug, not an attacker). */
function resign(l: Ledger, lines: string[]): string {
  const [header, ...rest] = lines.map((line) => JSON.parse(line));
  return writeBundle(l, rest.filter((x) => x.kind === 'event'), header.query);
}

let base: Ledger;
let bundle: string;
let lines: string[];
let pins: { pinnedLogKey: string; pinnedJwks: Jwks };
beforeAll(async () => {
  base = ledger(await Keyring.create({ signingKey: generateEd25519Pem() }));
  bundle = writeBundle(base, eventInputs(base));
  lines = bundle.split('\n').slice(0, -1);
  pins = { pinnedLogKey: base.logKey, pinnedJwks: base.keyring.jwks() };
});

describe('BundleWriter', () => {
  it('writes a header, one line per event by leaf index and a signed trailer over every preceding byte', () => {
    expect(lines).toHaveLength(base.log.length + 2);
    const header = JSON.parse(lines[0]);
    expect(Object.keys(header)).toEqual(['format', 'generatedAt', 'query', 'checkpoint', 'logKey', 'jwks']);
    expect(header.format).toBe('ledgerline-evidence/1');
    const event = JSON.parse(lines[1]);
    expect(Object.keys(event)).toEqual(['kind', 'leafIndex', 'id', 'stream', 'revision', 'type', 'data', 'metadata', 'inclusionProof']);
    expect(event.inclusionProof.every((h: string) => Buffer.from(h, 'base64').length === 32)).toBe(true);
    const trailer = JSON.parse(lines[lines.length - 1]);
    const preceding = bundle.slice(0, bundle.length - lines[lines.length - 1].length - 1);
    expect(trailer).toMatchObject({ kind: 'end', count: base.log.length, sha256: crypto.createHash('sha256').update(preceding).digest('hex') });
    expect(Object.keys(trailer)).toEqual(['kind', 'count', 'sha256', 'sig']);
  });

  it('enforces header, increasing leaf indexes, then one trailer', () => {
    const writer = new BundleWriter(base.keyring);
    expect(() => writer.event(eventInputs(base)[0])).toThrow(/between/);
    writer.header({ generatedAt: '2026-01-01T00:00:00.000Z', query: {}, checkpoint: base.checkpoint, logKey: base.logKey, jwks: base.keyring.jwks() });
    writer.event(eventInputs(base)[3]);
    expect(() => writer.event(eventInputs(base)[3])).toThrow(/does not follow/);
    writer.end();
    expect(() => writer.end()).toThrow();
  });

  it('writes the same line from data and metadata as JSON text (spliced unparsed) as from the parsed objects', () => {
    const inputs = eventInputs(base);
    const asText = (e: BundleEventInput, dataJson = JSON.stringify(e.data), metadataJson = JSON.stringify(e.metadata)) => {
      const { data, metadata, ...rest } = e;
      void data;
      void metadata;
      return { ...rest, dataJson, metadataJson };
    };
    // The line JSON.stringify writes for the parsed event, member for member.
    const stringified = (e: BundleEventInput) =>
      `${JSON.stringify({ kind: 'event', leafIndex: e.leafIndex, id: e.id, stream: e.stream, revision: e.revision, type: e.type, data: e.data, metadata: e.metadata, inclusionProof: e.inclusionProof.map((h) => (typeof h === 'string' ? h : Buffer.from(h).toString('base64'))) })}\n`;
    const writer = new BundleWriter(base.keyring);
    const parts = [writer.header({ generatedAt: new Date(0), query: {}, checkpoint: base.checkpoint, logKey: base.logKey, jwks: base.keyring.jwks() }).toString('utf8')];
    for (const e of inputs) {
      const line = writer.eventText(asText(e));
      expect(line).toBe(stringified(e));
      parts.push(line);
    }
    parts.push(writer.end().toString('utf8'));
    expect(parts.join('')).toBe(bundle);

    // Text that is not one line holding an object is parsed and written again: one event per line.
    const spread = new BundleWriter(base.keyring);
    spread.header({ generatedAt: new Date(0), query: {}, checkpoint: base.checkpoint, logKey: base.logKey, jwks: base.keyring.jwks() });
    const line = spread.eventText(asText(inputs[0], JSON.stringify(inputs[0].data, null, 2)));
    expect(line).toBe(`${lines[1]}\n`);
    expect(() => spread.eventText(asText(inputs[1], '{"unterminated":'))).toThrow(SyntaxError);
  });
});

describe('BundleWriter.eventInto', () => {
  const header = (writer: BundleWriter): void =>
    void writer.header({ generatedAt: new Date(0), query: {}, checkpoint: base.checkpoint, logKey: base.logKey, jwks: base.keyring.jwks() });
  const asText = (e: BundleEventInput): BundleEventTextInput => ({
    leafIndex: e.leafIndex,
    id: e.id,
    stream: e.stream,
    revision: e.revision,
    type: e.type,
    dataJson: JSON.stringify(e.data),
    metadataJson: JSON.stringify(e.metadata),
    inclusionProof: e.inclusionProof,
  });

  it('writes the bytes eventText returns, one line after another into one buffer, and the same bundle', () => {
    const byText = new BundleWriter(base.keyring);
    const byBytes = new BundleWriter(base.keyring);
    header(byText);
    header(byBytes);
    const target = Buffer.alloc(64 * 1024);
    let at = 0;
    const expected: string[] = [];
    for (const e of eventInputs(base)) {
      // Non-ASCII text, and proof strings that JSON must escape, take the slower paths.
      const proof = [...e.inclusionProof.slice(1), 'quote " and \\ backslash'];
      const input = { ...asText(e), type: `${e.type}·é`, inclusionProof: proof };
      const line = byText.eventText(input);
      const base64 = proof.map((h) => (typeof h === 'string' ? h : Buffer.from(h).toString('base64')));
      expect(line).toBe(`${JSON.stringify({ kind: 'event', leafIndex: e.leafIndex, id: e.id, stream: e.stream, revision: e.revision, type: input.type, data: e.data, metadata: e.metadata, inclusionProof: base64 })}\n`);
      expected.push(line);
      const end = byBytes.eventInto(input, target, at);
      expect(end).toBeGreaterThan(at);
      at = end;
    }
    expect(target.toString('utf8', 0, at)).toBe(expected.join(''));
    expect(byBytes.end().toString('utf8')).toBe(byText.end().toString('utf8'));
  });

  it('writes numbers digit by digit as JSON does', () => {
    const writer = new BundleWriter(base.keyring);
    header(writer);
    const e = eventInputs(base)[0];
    for (const [leafIndex, revision] of [
      [10, 0],
      [1_000_041, 99_999],
      [Number.MAX_SAFE_INTEGER, 1_234_567_890],
    ]) {
      const line = writer.eventText({ ...asText(e), leafIndex, revision });
      expect(JSON.parse(line)).toMatchObject({ leafIndex, revision });
      expect(line).toContain(`"leafIndex":${leafIndex},`);
      expect(line).toContain(`"revision":${revision},`);
    }
  });

  it('writes nothing and counts nothing when the line might not fit', () => {
    const writer = new BundleWriter(base.keyring);
    header(writer);
    const input = asText(eventInputs(base)[0]);
    const bound = writer.eventBytesBound(input);
    expect(writer.eventInto(input, Buffer.alloc(bound - 1), 0)).toBe(-1);
    expect(writer.eventInto(input, Buffer.alloc(bound + 10), 11)).toBe(-1);
    expect(writer.count).toBe(0);
    const end = writer.eventInto(input, Buffer.alloc(bound), 0);
    expect(end).toBeGreaterThan(0);
    expect(writer.count).toBe(1);
  });
});

describe('verifyBundle', () => {
  it('accepts a genuine bundle with header keys, and says they are self-asserted', async () => {
    const report = await verifyBundle(bundle);
    expect(report).toMatchObject({ ok: true, count: base.log.length, keysSelfAsserted: true, checkpoint: { origin: ORIGIN, size: base.log.length } });
    expect(report.firstFailure).toBeUndefined();
  });

  it('accepts it with pinned keys, in fast mode, from chunks and from pre-split lines', async () => {
    expect(await verifyBundle(bundle, pins)).toMatchObject({ ok: true, keysSelfAsserted: false, warnings: [] });
    expect(await verifyBundle(bundle, { checkSignatures: false })).toMatchObject({ ok: true });
    async function* chunks() {
      const bytes = Buffer.from(bundle);
      for (let i = 0; i < bytes.length; i += 7) yield bytes.subarray(i, i + 7);
    }
    expect(await verifyBundle(chunks(), pins)).toMatchObject({ ok: true, count: base.log.length });
    expect(await verifyBundleLines(lines, pins)).toMatchObject({ ok: true, count: base.log.length });
  });

  it('accepts a trailer without its final newline, and reports pending events', async () => {
    expect(await verifyBundle(bundle.slice(0, -1))).toMatchObject({ ok: true });
    expect(await verifyBundle(writeBundle(base, eventInputs(base), {}, { pending: 3 }))).toMatchObject({ ok: true, pending: 3 });
  });

  it('accepts a filtered bundle whose streams have gaps, linking only adjacent revisions', async () => {
    const onlyEven = writeBundle(base, eventInputs(base, (e) => e.revision % 2 === 0), { type: 'x' });
    expect(await verifyBundle(onlyEven, pins)).toMatchObject({ ok: true, count: 7 });
  });

  it('fails on every flipped byte of an event line', async () => {
    const target = 4;
    const offset = lines.slice(0, target).reduce((n, line) => n + Buffer.byteLength(line) + 1, 0);
    const bytes = Buffer.from(bundle);
    for (let i = 0; i < Buffer.byteLength(lines[target]); i++) {
      const tampered = Buffer.from(bytes);
      tampered[offset + i] ^= 0x01;
      const report = await verifyBundle(tampered, { ...pins, checkSignatures: false });
      expect(report.ok).toBe(false);
      expect(report.firstFailure?.line).toBeGreaterThanOrEqual(target + 1);
    }
  });

  it('names the event check that a re-signed altered line fails', async () => {
    const altered = clone(lines);
    const event = JSON.parse(altered[3]);
    event.data.n = 42;
    altered[3] = JSON.stringify(event);
    expect((await verifyBundle(resign(base, altered), pins)).firstFailure).toMatchObject({ line: 4, reason: 'data-hash' });
    const badProof = JSON.parse(lines[5]);
    badProof.inclusionProof[0] = Buffer.alloc(32).toString('base64');
    expect((await verifyBundle(resign(base, [...lines.slice(0, 5), JSON.stringify(badProof), ...lines.slice(6)]), pins)).firstFailure).toMatchObject({ line: 6, reason: 'inclusion' });
  });

  it.each([
    ['a dropped event line', () => [...lines.slice(0, 3), ...lines.slice(4)].join('\n') + '\n', 'count'],
    ['an altered trailer hash', () => bundle.replace(/"sha256":"[0-9a-f]/, '"sha256":"g'), 'sha256'],
    ['a duplicated event line', () => [...lines.slice(0, 4), lines[3], ...lines.slice(4)].join('\n') + '\n', 'order'],
    ['two swapped event lines', () => [lines[0], lines[2], lines[1], ...lines.slice(3)].join('\n') + '\n', 'order'],
    ['a dropped trailer', () => lines.slice(0, -1).join('\n') + '\n', 'truncated'],
    ['a truncated last line', () => bundle.slice(0, bundle.length - 40), 'line'],
    ['a line after the trailer', () => `${bundle}${lines[1]}\n`, 'trailing-data'],
    ['an empty bundle', () => '', 'empty'],
    ['a foreign format', () => bundle.replace('ledgerline-evidence/1', 'ledgerline-evidence/2'), 'header'],
  ])('rejects %s', async (_label, build, reason) => {
    expect((await verifyBundle(build(), pins)).firstFailure?.reason).toBe(reason);
  });

  describe('with an asynchronous Ed25519 (verifySignature, as in a browser)', () => {
    /** node:crypto behind a promise that settles late and out of order, as a browser's crypto threads may. */
    const lateVerify = (message: Uint8Array, key: crypto.KeyObject, signature: Uint8Array) =>
      new Promise<boolean>((resolve) => setTimeout(() => resolve(crypto.verify(null, message, key, signature)), Math.random() * 3));

    it('gives the synchronous verdict on every flipped byte of an event line, first failing line included', async () => {
      const target = 4;
      const offset = lines.slice(0, target).reduce((n, line) => n + Buffer.byteLength(line) + 1, 0);
      const bytes = Buffer.from(bundle);
      for (let i = 0; i < Buffer.byteLength(lines[target]); i += 7) {
        const tampered = Buffer.from(bytes);
        tampered[offset + i] ^= 0x01;
        expect(await verifyBundle(tampered, { ...pins, verifySignature: lateVerify })).toEqual(await verifyBundle(tampered, pins));
      }
      expect(await verifyBundle(bundle, { ...pins, verifySignature: lateVerify })).toEqual(await verifyBundle(bundle, pins));
    });

    it('names the line of a forged event signature even when a later line fails first', async () => {
      const forged = clone(lines).map((line) => JSON.parse(line));
      const sig: string = forged[2].metadata.sig;
      forged[2].metadata.sig = `${sig.slice(0, sig.indexOf('..') + 2)}${Buffer.alloc(64, 1).toString('base64url')}`;
      forged[6].inclusionProof[0] = Buffer.alloc(32).toString('base64');
      const text = `${forged.map((line) => JSON.stringify(line)).join('\n')}\n`;
      expect((await verifyBundle(text, { ...pins, verifySignature: lateVerify })).firstFailure).toMatchObject({ line: 3, reason: 'signature' });
      expect((await verifyBundle(text, pins)).firstFailure).toMatchObject({ line: 3, reason: 'signature' });
    });
  });

  it('rejects a bundle an attacker re-signed with their own keys once keys are pinned', async () => {
    const forged = ledger(await Keyring.create({ signingKey: generateEd25519Pem() }));
    const forgedBundle = writeBundle(forged, eventInputs(forged));
    const selfAsserted = await verifyBundle(forgedBundle);
    expect(selfAsserted).toMatchObject({ ok: true, keysSelfAsserted: true });
    const pinned = await verifyBundle(forgedBundle, pins);
    expect(pinned.firstFailure).toMatchObject({ line: 1, reason: 'checkpoint' });
    expect(pinned.warnings).toHaveLength(2);
    const pinnedJwksOnly = await verifyBundle(forgedBundle, { pinnedJwks: base.keyring.jwks() });
    expect(pinnedJwksOnly).toMatchObject({ keysSelfAsserted: true, firstFailure: { line: 2, reason: 'unknown-key' } });
  });

  it('verifies events sealed before a key rotation with the rotated JWKS', async () => {
    const rotated = await Keyring.create({ signingKey: generateEd25519Pem(), retired: base.keyring.jwks() });
    const after = writeBundle(base, eventInputs(base), {}, { signer: rotated });
    expect(await verifyBundle(after, { pinnedLogKey: base.logKey, pinnedJwks: rotated.jwks() })).toMatchObject({ ok: true });
  });

  describe('with a stream query', () => {
    let streamEvents: BundleEventInput[];
    beforeAll(() => {
      streamEvents = eventInputs(base, (e) => e.stream === 'document-a');
    });

    it('accepts the whole stream from revision 0', async () => {
      expect(await verifyBundle(writeBundle(base, streamEvents, { stream: 'document-a' }), pins)).toMatchObject({ ok: true, count: 5 });
    });

    it.each([
      ['a gap', () => [...streamEvents.slice(0, 2), ...streamEvents.slice(3)], 'gap', 4],
      ['a missing revision 0', () => streamEvents.slice(1), 'start', 2],
      ['another stream', () => eventInputs(base, (e) => e.stream === 'document-a' || (e.stream === 'document-b' && e.revision === 1)), 'query', 4],
    ])('rejects %s even when the server signed it', async (_label, events, reason, line) => {
      expect((await verifyBundle(writeBundle(base, events(), { stream: 'document-a' }), pins)).firstFailure).toEqual({ line, reason, detail: expect.any(String) });
    });
  });

  it('rejects an event beyond the checkpoint', async () => {
    const extra = sealedStream(base.keyring, 'document-z', 1)[0];
    const events = [...eventInputs(base), { leafIndex: base.log.length, ...extra, inclusionProof: [] }];
    expect((await verifyBundle(writeBundle(base, events), pins)).firstFailure).toMatchObject({ line: base.log.length + 2, reason: 'leaf-index' });
  });

  it('rejects a trailer with a wrong count or a forged signature', async () => {
    const trailer = JSON.parse(lines[lines.length - 1]);
    const wrongCount = [...lines.slice(0, -1), JSON.stringify({ ...trailer, count: trailer.count + 1 })].join('\n');
    expect((await verifyBundle(wrongCount, pins)).firstFailure?.reason).toBe('count');
    const forgedSig = (await Keyring.create({ signingKey: generateEd25519Pem() })).sign(trailer.sha256);
    const forged = [...lines.slice(0, -1), JSON.stringify({ ...trailer, sig: forgedSig })].join('\n');
    expect((await verifyBundle(forged, pins)).firstFailure?.reason).toBe('trailer-signature');
  });
});
