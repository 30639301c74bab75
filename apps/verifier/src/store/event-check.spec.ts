import fc from 'fast-check';
import { canonicalize, generateEd25519Pem, Keyring, sealEvent, verifyEvent, type KeyMap, type StoredEvent } from '@ledgerline/integrity';
import { checkEvent, passesFastPath } from './event-check';
import { clone, sealedEvents } from './sealed-log.spec-helper';

let keyring: Keyring;
let keys: KeyMap;
let events: StoredEvent[];
beforeAll(async () => {
  keyring = await Keyring.create({ signingKey: generateEd25519Pem() });
  keys = keyring.keyMap();
  events = sealedEvents(keyring, 'document-7f3', 3);
});

/** The data's JCS text, as the sealed write path stores it (undefined when it has none). */
function storedText(data: unknown): string | undefined {
  try {
    return canonicalize(data);
  } catch {
    return undefined;
  }
}

/**
 * checkEvent must give verifyEvent's verdict and reason, always; its fast path may only accept what verifyEvent
 * accepts, with the data as an object or as its stored JCS text.
 */
function agree(event: StoredEvent, checkSignature: boolean): void {
  const expected = verifyEvent(event, keys, { checkSignature });
  if (passesFastPath(event, keys, checkSignature)) expect(expected).toEqual({ ok: true });
  const text = storedText(event.data);
  if (text !== undefined && passesFastPath({ ...event, data: undefined }, keys, checkSignature, text)) expect(expected).toEqual({ ok: true });
  const actual = checkEvent(event, keys, checkSignature);
  expect(actual.ok ? { ok: true } : { ok: false, reason: actual.reason }).toEqual(expected.ok ? { ok: true } : { ok: false, reason: expected.reason });
}

const jsonValue = fc.oneof(
  fc.string(),
  fc.string({ unit: 'binary' }),
  fc.integer(),
  fc.double({ noNaN: false }),
  fc.boolean(),
  fc.constant(null),
  fc.constant('\ud800'),
  fc.constant(1e400),
  fc.dictionary(fc.string(), fc.string(), { maxKeys: 3 }),
  fc.array(fc.integer(), { maxLength: 3 }),
);
const member = fc.constantFrom('v', 'id', 'stream', 'revision', 'type', 'time', 'actor', '$correlationId', '$causationId', 'dataHash', 'prev', 'hash', 'sig', 'extra', '__proto__');

describe('checkEvent (fast path of verifyEvent)', () => {
  it('accepts sealed events in full and fast mode, also with extra members (slow path)', () => {
    for (const event of events) {
      expect(passesFastPath(event, keys, true)).toBe(true);
      expect(checkEvent(event, keys, true)).toMatchObject({ ok: true });
      expect(checkEvent(event, keys, false)).toMatchObject({ ok: true });
    }
    const id = '0f8e4c1a-8a7b-4c1e-9d7a-1b2c3d4e5f60';
    const data = { n: 1 };
    const metadata = sealEvent(
      { id, stream: 's-1', revision: 0, type: 'T', time: '2026-11-28T01:18:20.123Z', actor: { kind: 'system', id: 'x' }, correlationId: id, causationId: id, data, extra: { source: 'import' } },
      keyring,
    );
    const withExtra = { id, stream: 's-1', revision: 0, type: 'T', data, metadata };
    expect(passesFastPath(withExtra, keys, true)).toBe(false);
    expect(checkEvent(withExtra, keys, true).ok).toBe(true);
  });

  it('agrees with verifyEvent on events sealed from arbitrary data, actors, streams and causes', () => {
    const text = fc.string({ unit: 'grapheme', maxLength: 12 });
    fc.assert(
      fc.property(
        fc.dictionary(text, fc.oneof(text, fc.integer(), fc.double({ noNaN: true, noDefaultInfinity: true }), fc.boolean(), fc.constant(null), fc.array(text, { maxLength: 2 }))),
        fc.dictionary(text, fc.oneof(text, fc.boolean())),
        text.filter((s) => s.length > 0),
        text.filter((s) => s.length > 0),
        text,
        fc.boolean(),
        (data, actorExtra, stream, type, correlationId, full) => {
          const id = '0f8e4c1a-8a7b-4c1e-9d7a-1b2c3d4e5f60';
          const actor = { ...actorExtra, kind: 'user' as const, id: 'user_1' };
          const metadata = sealEvent({ id, stream, revision: 0, type, time: '2026-11-28T01:18:20.123Z', actor, correlationId, causationId: id, data }, keyring);
          const event = JSON.parse(JSON.stringify({ id, stream, revision: 0, type, data, metadata })) as StoredEvent;
          // Strings with something to escape or a surrogate (emoji) are left to verifyEvent.
          const plain = [stream, type, correlationId].every((s) => /^[^"\\\u0000-\u001f\ud800-\udfff]*$/.test(s));
          expect(passesFastPath(event, keys, full)).toBe(plain);
          // The stored JCS text is hashed as it is unless a member name holds an escape (then verifyEvent decides).
          const plainNames = !/["\\\u0000-\u001f]/.test(Object.keys(data).join(''));
          expect(passesFastPath({ ...event, data: undefined }, keys, full, canonicalize(event.data))).toBe(plain && plainNames);
          agree(event, full);
        },
      ),
      { numRuns: 200 },
    );
  });

  it('gives verifyEvent\'s verdict for any change of a metadata member', () => {
    fc.assert(
      fc.property(fc.constantFrom(...events), member, jsonValue, fc.boolean(), (original, name, value, full) => {
        const event = clone(original);
        (event.metadata as Record<string, unknown>)[name] = value;
        agree(event, full);
      }),
      { numRuns: 400 },
    );
  });

  it('gives verifyEvent\'s verdict for any change of a data or actor member, or a deleted member', () => {
    fc.assert(
      fc.property(fc.constantFrom(...events), fc.constantFrom('data', 'actor', 'delete'), fc.string(), jsonValue, fc.boolean(), (original, where, name, value, full) => {
        const event = clone(original);
        const metadata = event.metadata as Record<string, Record<string, unknown>>;
        if (where === 'data') (event.data as Record<string, unknown>)[name] = value;
        else if (where === 'actor') metadata.actor[name] = value;
        else delete metadata[name];
        agree(event, full);
      }),
      { numRuns: 300 },
    );
  });

  it('gives verifyEvent\'s verdict when the store\'s columns disagree with the envelope', () => {
    // Column values are what a store row holds: text or numbers (verifyEvent throws on a null-prototype object there).
    const columnValue = fc.oneof(fc.string(), fc.constant(''), fc.integer(), fc.double(), fc.constant('\ud800'));
    fc.assert(
      fc.property(fc.constantFrom(...events), fc.constantFrom('id', 'stream', 'revision', 'type'), columnValue, (original, column, value) => {
        const event = clone(original) as unknown as Record<string, unknown>;
        event[column] = value;
        agree(event as unknown as StoredEvent, true);
      }),
      { numRuns: 200 },
    );
  });

  it('rejects a prev in uppercase or of the wrong length, as verifyEvent does', () => {
    for (const prev of [(events[1].metadata as { prev: string }).prev.toUpperCase().replace(/^./, 'A'), 'ab'.repeat(31), 'g'.repeat(64), 'ab'.repeat(33)]) {
      const event = clone(events[1]);
      (event.metadata as Record<string, unknown>).prev = prev;
      expect(checkEvent(event, keys, false)).toMatchObject({ ok: false, reason: 'envelope' });
      agree(event, false);
    }
  });

  it.each<[string, (m: Record<string, unknown>, e: StoredEvent) => void, string]>([
    ['a lone surrogate in $correlationId', (m) => (m.$correlationId = '\udc00'), 'envelope'],
    ['a stream with a quote, agreeing with the store', (m, e) => ((m.stream = 'doc"x'), ((e as { stream: string }).stream = 'doc"x')), 'hash'],
    ['an actor with a nested object', (m) => ((m.actor as Record<string, unknown>).org = { id: 'org_1' }), 'hash'],
    ['unsealed metadata', (m) => delete m.v, 'unsealed'],
    ['a non-zero prev at revision 0', (m) => (m.prev = 'a'.repeat(64)), 'prev'],
  ])('rejects %s with verifyEvent\'s reason', (_label, tamper, reason) => {
    const event = clone(events[0]);
    tamper(event.metadata as Record<string, unknown>, event);
    expect(checkEvent(event, keys, true)).toMatchObject({ ok: false, reason });
    agree(event, true);
  });
});
