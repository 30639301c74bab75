import * as crypto from 'node:crypto';
import { canonicalize, canonicalizeWithout } from '../canonical-json';
import { verifyDetachedJws } from '../detached-jws';
import { sha256Hex } from '../hash';
import { EnvelopeError } from '../integrity.errors';
import { generateEd25519Pem } from '../keys/key-files';
import type { KeyMap } from '../keys/jwks';
import { Keyring } from '../keys/keyring';
import { clone, sealedStream } from '../test-support/sealed-events';
import { ZERO_HASH, type EventMetadata, type SealInput, type StoredEvent } from './envelope.types';
import { sealEvent, sealEventWithData } from './seal-event';
import { verifyChain, verifyChainAsync } from './verify-chain';
import { verifyEvent } from './verify-event';

let keyring: Keyring;
let keys: KeyMap;
let stranger: Keyring;
beforeAll(async () => {
  keyring = await Keyring.create({ signingKey: generateEd25519Pem() });
  keys = keyring.keyMap();
  stranger = await Keyring.create({ signingKey: generateEd25519Pem() });
});

function input(overrides: Partial<SealInput> = {}): SealInput {
  const id = '0f8e4c1a-8a7b-4c1e-9d7a-1b2c3d4e5f60';
  return {
    id,
    stream: 'document-7f3',
    revision: 0,
    type: 'DocumentCreated',
    time: '2026-11-28T01:18:20.123Z',
    actor: { kind: 'user', id: 'user_2ab', mfa: true },
    correlationId: id,
    causationId: id,
    data: { title: { $jwe: 'x.y.z' }, size: 3 },
    ...overrides,
  };
}

function stored(metadata: EventMetadata, data: Record<string, unknown> = input().data): StoredEvent {
  return { id: metadata.id, type: metadata.type, stream: metadata.stream, revision: metadata.revision, data, metadata };
}

describe('sealEvent', () => {
  it('writes every §3 member in order and hashes per the spec', () => {
    const metadata = sealEvent(input(), keyring);
    expect(Object.keys(metadata)).toEqual(['v', 'id', 'stream', 'revision', 'type', 'time', 'actor', '$correlationId', '$causationId', 'dataHash', 'prev', 'hash', 'sig']);
    expect(metadata.prev).toBe(ZERO_HASH);
    expect(metadata.dataHash).toBe(sha256Hex(canonicalize(input().data)));
    const { hash, sig, ...rest } = metadata;
    expect(hash).toBe(sha256Hex(canonicalize(rest)));
    expect(verifyDetachedJws(sig, hash, keys)).toEqual({ ok: true, kid: keyring.activeKid });
  });

  it('hands back JCS(data), the text dataHash covers, with the same envelope (sealEventWithData)', () => {
    const sealed = sealEventWithData(input(), keyring);
    expect(sealed.dataJcs).toBe('{"size":3,"title":{"$jwe":"x.y.z"}}');
    expect(sealed.metadata.dataHash).toBe(sha256Hex(sealed.dataJcs));
    expect(sealed.metadata).toEqual(sealEvent(input(), keyring));
  });

  it('covers extra members with the hash', () => {
    const metadata = sealEvent(input({ extra: { source: 'import', reason: { code: 7 } } }), keyring);
    expect(metadata.source).toBe('import');
    expect(metadata.hash).toBe(sha256Hex(canonicalizeWithout(metadata, ['hash', 'sig'])));
    expect(verifyEvent(stored(metadata), keys)).toEqual({ ok: true });
    const tampered = clone(metadata);
    (tampered.reason as { code: number }).code = 8;
    expect(verifyEvent(stored(tampered), keys)).toMatchObject({ ok: false, reason: 'hash' });
  });

  it('accepts a Date for time', () => {
    expect(sealEvent(input({ time: new Date(Date.UTC(2026, 0, 2, 3, 4, 5, 6)) }), keyring).time).toBe('2026-01-02T03:04:05.006Z');
  });

  it.each<[string, Partial<SealInput>]>([
    ['an uppercase id', { id: '0F8E4C1A-8A7B-4C1E-9D7A-1B2C3D4E5F60' }],
    ['a negative revision', { revision: -1 }],
    ['a time without milliseconds', { time: '2026-11-28T01:18:20Z' }],
    ['a time with an offset', { time: '2026-11-28T01:18:20.123+01:00' }],
    ['an impossible date', { time: '2026-02-30T01:18:20.123Z' }],
    ['an unknown actor kind', { actor: { kind: 'robot', id: 'r' } as never }],
    ['an actor without id', { actor: { kind: 'user', id: '' } }],
    ['array data', { data: [] as never }],
    ['a reserved extra member', { extra: { hash: 'x' } }],
    ['revision 0 with a prev hash', { prevHash: 'a'.repeat(64) }],
    ['revision 1 without a prev hash', { revision: 1 }],
    ['a malformed prev hash', { revision: 1, prevHash: 'xyz' }],
  ])('rejects %s', (_label, overrides) => {
    expect(() => sealEvent(input(overrides), keyring)).toThrow(EnvelopeError);
  });

  it('refuses data that has no canonical form', () => {
    expect(() => sealEvent(input({ data: { n: NaN } }), keyring)).toThrow(/NaN/);
  });
});

describe('verifyEvent', () => {
  let metadata: EventMetadata;
  beforeAll(() => {
    metadata = sealEvent(input(), keyring);
  });

  it('accepts a sealed event, in full and fast mode', () => {
    expect(verifyEvent(stored(metadata), keys)).toEqual({ ok: true });
    expect(verifyEvent(stored(metadata), new Map(), { checkSignature: false })).toEqual({ ok: true });
  });

  it('accepts data that was stored with its members in another order', () => {
    expect(verifyEvent(stored(metadata, { size: 3, title: { $jwe: 'x.y.z' } }), keys)).toEqual({ ok: true });
  });

  type Tamper = (event: StoredEvent & { metadata: Record<string, unknown>; data: Record<string, unknown> }) => void;
  it.each<[string, Tamper, string]>([
    ['no envelope', (e) => (e.metadata = { $correlationId: 'x' }), 'unsealed'],
    ['v 2', (e) => (e.metadata.v = 2), 'unsealed'],
    ['a changed data value', (e) => (e.data.size = 4), 'data-hash'],
    ['an added data member', (e) => (e.data.extra = true), 'data-hash'],
    ['a changed actor', (e) => ((e.metadata.actor as { id: string }).id = 'user_evil'), 'hash'],
    ['a changed time', (e) => (e.metadata.time = '2026-11-28T01:18:20.124Z'), 'hash'],
    ['an added metadata member', (e) => (e.metadata.note = 'hi'), 'hash'],
    ['a recomputed dataHash', (e) => ((e.data.size = 4), (e.metadata.dataHash = sha256Hex(canonicalize(e.data)))), 'hash'],
    ['a changed stored id', (e) => (e.id = crypto.randomUUID()), 'id-mismatch'],
    ['a changed stored stream', (e) => (e.stream = 'document-other'), 'stream-mismatch'],
    ['a changed stored revision', (e) => (e.revision = 1), 'revision-mismatch'],
    ['a changed stored type', (e) => (e.type = 'DocumentDeleted'), 'type-mismatch'],
    ['a missing sig', (e) => delete e.metadata.sig, 'envelope'],
    ['a bad time', (e) => (e.metadata.time = 'yesterday'), 'envelope'],
    ['a bad actor', (e) => (e.metadata.actor = { kind: 'user' }), 'envelope'],
    ['an uppercase hash', (e) => (e.metadata.hash = (e.metadata.hash as string).toUpperCase()), 'envelope'],
    ['a non-zero prev at revision 0', (e) => (e.metadata.prev = '1'.repeat(64)), 'prev'],
    ['a sig from another key', (e) => (e.metadata.sig = stranger.sign(e.metadata.hash as string)), 'unknown-key'],
    ['a sig over another hash', (e) => (e.metadata.sig = keyring.sign(sha256Hex('other'))), 'signature'],
    ['data with a lone surrogate', (e) => (e.data.s = '\ud800'), 'data-hash'],
  ])('rejects %s', (_label, tamper, reason) => {
    const event = clone(stored(metadata)) as Parameters<Tamper>[0];
    tamper(event);
    expect(verifyEvent(event, keys)).toMatchObject({ ok: false, reason });
  });

  it('still spots a wrong signature form in fast mode', () => {
    const event = clone(stored(metadata));
    (event.metadata as Record<string, unknown>).sig = 'nope';
    expect(verifyEvent(event, keys, { checkSignature: false })).toMatchObject({ ok: false, reason: 'signature' });
  });
});

describe('verifyChain', () => {
  let events: StoredEvent[];
  beforeAll(() => {
    events = sealedStream(keyring, 'document-abc', 6);
  });

  it('accepts a whole stream and reports its head', () => {
    expect(verifyChain(events, keys)).toEqual({ ok: true, count: 6, head: { revision: 5, hash: (events[5].metadata as EventMetadata).hash } });
    expect(verifyChain([], keys)).toEqual({ ok: true, count: 0 });
  });

  it('accepts an async source', async () => {
    async function* source() {
      yield* events;
    }
    await expect(verifyChainAsync(source(), keys)).resolves.toMatchObject({ ok: true, count: 6 });
  });

  it('names a gap by revision', () => {
    expect(verifyChain([...events.slice(0, 3), ...events.slice(4)], keys)).toMatchObject({ ok: false, revision: 4, reason: 'gap', count: 3 });
  });

  it('names a stream that does not start at 0', () => {
    expect(verifyChain(events.slice(1), keys)).toMatchObject({ ok: false, revision: 1, reason: 'start' });
  });

  it('names reordered and repeated revisions', () => {
    expect(verifyChain([events[0], events[2], events[1]], keys)).toMatchObject({ ok: false, revision: 2, reason: 'gap' });
    expect(verifyChain([events[0], events[1], events[1]], keys)).toMatchObject({ ok: false, revision: 1, reason: 'order' });
  });

  it('names a broken prev link even when each event is validly sealed', () => {
    // A forked revision 3, correctly signed but chained to the wrong predecessor.
    const fork = sealedStream(keyring, 'document-abc', 1, { from: 3, prevHash: (events[1].metadata as EventMetadata).hash });
    expect(verifyChain([...events.slice(0, 3), fork[0]], keys)).toMatchObject({ ok: false, revision: 3, reason: 'chain' });
  });

  it('names a foreign stream', () => {
    const other = sealedStream(keyring, 'document-xyz', 2);
    expect(verifyChain([events[0], other[1]], keys)).toMatchObject({ ok: false, revision: 1, reason: 'stream' });
  });

  it('names a tampered event by revision', () => {
    const tampered = clone(events);
    (tampered[4].data as { n: number }).n = 99;
    expect(verifyChain(tampered, keys)).toMatchObject({ ok: false, revision: 4, reason: 'data-hash', count: 4 });
  });

  it('verifies across a key rotation: A-sealed events and B-sealed events with A retired', async () => {
    const ringA = await Keyring.create({ signingKey: generateEd25519Pem() });
    const first = sealedStream(ringA, 'account-u1', 3);
    const ringB = await Keyring.create({ signingKey: generateEd25519Pem(), retired: ringA.jwks() });
    const rest = sealedStream(ringB, 'account-u1', 3, { from: 3, prevHash: (first[2].metadata as EventMetadata).hash });
    expect(verifyChain([...first, ...rest], ringB.keyMap())).toEqual({ ok: true, count: 6, head: expect.any(Object) });
    expect(verifyChain([...first, ...rest], (await Keyring.create({ signingKey: ringB.signingKey() })).keyMap())).toMatchObject({ ok: false, revision: 0, reason: 'unknown-key' });
  });
});
