import fc from 'fast-check';
import { canonicalize, canonicalizeWithout, generateEd25519Pem, Keyring, sealEvent, sha256Hex, verifyEvent, type Actor, type EventMetadata, type KeyMap, type StoredEvent } from '@ledgerline/integrity';
import { sealedEvents } from './sealed-log.spec-helper';
import { storedEnvelopeLinks } from './stored-envelope';

let keyring: Keyring;
let keys: KeyMap;
let events: StoredEvent[];
beforeAll(async () => {
  keyring = await Keyring.create({ signingKey: generateEd25519Pem() });
  keys = keyring.keyMap();
  events = sealedEvents(keyring, 'document-7f3', 3);
});
const ID = '0f8e4c1a-8a7b-4c1e-9d7a-1b2c3d4e5f60';

/** An event as its SQLite row holds it: data as its JCS text, metadata as JSON.stringify wrote it. */
interface Row {
  id: string;
  stream: string;
  revision: number;
  type: string;
  dataText: string;
  metadataText: string;
}

const rowOf = (e: StoredEvent): Row => ({ id: e.id, stream: e.stream, revision: e.revision, type: e.type, dataText: canonicalize(e.data), metadataText: JSON.stringify(e.metadata) });
const linksOf = (r: Row) => storedEnvelopeLinks(r.id, r.stream, r.revision, r.type, r.dataText, r.metadataText);

/** What verifyEvent says in fast mode of the row, parsed as the slow path parses it (undefined: not JSON). */
function verdict(r: Row): boolean {
  let event: StoredEvent;
  try {
    event = { id: r.id, stream: r.stream, revision: r.revision, type: r.type, data: JSON.parse(r.dataText), metadata: JSON.parse(r.metadataText) };
  } catch {
    return false;
  }
  return verifyEvent(event, keys, { checkSignature: false }).ok;
}

/** The reader may only accept what verifyEvent accepts, and then hands over the envelope's own links. */
function sound(r: Row): boolean {
  const links = linksOf(r);
  if (links === undefined) return false;
  expect(verdict(r)).toBe(true);
  const m = JSON.parse(r.metadataText) as EventMetadata;
  expect(links).toEqual({ hash: m.hash, prev: m.prev, sig: m.sig });
  return true;
}

function sealedRow(actor: Actor, overrides: { stream?: string; type?: string; correlationId?: string; data?: Record<string, unknown>; revision?: number } = {}): Row {
  const { stream = 'document-1', type = 'DocumentCreated', correlationId = ID, data = { n: 1 }, revision = 0 } = overrides;
  const prevHash = revision === 0 ? undefined : 'ab'.repeat(32);
  const metadata = sealEvent({ id: ID, stream, revision, type, time: '2026-11-28T01:18:20.123Z', actor, correlationId, causationId: ID, data, prevHash }, keyring);
  return rowOf({ id: ID, stream, revision, type, data, metadata });
}

describe('storedEnvelopeLinks (the stored layout read without JSON.parse)', () => {
  it('reads every actor shape the API writes', () => {
    const actors: Actor[] = [
      { kind: 'user', id: 'user_2abc', session: 'sess_1', mfa: true },
      { kind: 'user', id: 'user_2abc', session: 'sess_1', org: 'org_9', mfa: false },
      { kind: 'webhook', id: 'stripe', ref: 'evt_1' },
      { kind: 'system', id: 'notary' },
      { kind: 'system', id: 'é 🙂'.slice(0, 2) },
    ];
    for (const actor of actors) expect(sound(sealedRow(actor))).toBe(true);
    for (const event of events) expect(sound(rowOf(event))).toBe(true);
    expect(sound(sealedRow({ kind: 'user', id: 'u' }, { revision: 7 }))).toBe(true);
  });

  it('leaves other layouts to the slow path: another actor shape or order, an escape, a surrogate, whitespace, non-JCS data', () => {
    const cases: Row[] = [
      sealedRow({ kind: 'user', id: 'u', mfa: true, session: 's' }),
      sealedRow({ kind: 'user', id: 'u', team: 'x' }),
      sealedRow({ kind: 'system', id: 'x' }, { stream: 'doc"1' }),
      sealedRow({ kind: 'system', id: 'x' }, { correlationId: 'a\\b' }),
      sealedRow({ kind: 'system', id: 'x' }, { type: 'T\u0001' }),
      sealedRow({ kind: 'system', id: '🙂' }),
    ];
    for (const row of cases) {
      expect(verdict(row)).toBe(true);
      expect(linksOf(row)).toBeUndefined();
    }
    const base = sealedRow({ kind: 'system', id: 'x' }, { data: { b: 1, a: [1, 2] } });
    expect(linksOf({ ...base, metadataText: JSON.stringify(JSON.parse(base.metadataText), null, 1) })).toBeUndefined();
    expect(linksOf({ ...base, dataText: JSON.stringify({ b: 1, a: [1, 2] }) })).toBeUndefined();
    expect(sound(base)).toBe(true);
  });

  it('refuses a row whose columns disagree with the envelope', () => {
    const row = rowOf(events[1]);
    for (const change of [{ id: events[0].id }, { stream: 'document-7f4' }, { revision: 2 }, { type: 'DocumentCreated' }, { revision: 1.5 }]) {
      expect(linksOf({ ...row, ...change })).toBeUndefined();
    }
  });

  it('refuses impossible dates and a genesis prev other than zeros, even under a hash made over them', () => {
    // What only a key holder could write (fast mode does not check sig): the change with hash recomputed.
    const resealed = (row: Row, change: Partial<EventMetadata>): Row => {
      const metadata = { ...(JSON.parse(row.metadataText) as EventMetadata), ...change };
      metadata.hash = sha256Hex(canonicalizeWithout(metadata, ['hash', 'sig']));
      return { ...row, metadataText: JSON.stringify(metadata) };
    };
    const row = sealedRow({ kind: 'system', id: 'x' }, { revision: 1 });
    for (const time of ['2028-02-29T00:00:00.000Z', '2000-02-29T23:59:59.999Z']) expect(sound(resealed(row, { time }))).toBe(true);
    for (const time of ['2027-02-29T00:00:00.000Z', '1900-02-29T00:00:00.000Z', '2026-04-31T00:00:00.000Z', '2026-13-01T00:00:00.000Z', '2026-00-10T00:00:00.000Z', '2026-01-01T24:00:00.000Z', '2026-01-01T00:60:00.000Z']) {
      const changed = resealed(row, { time });
      expect([linksOf(changed), verdict(changed)]).toEqual([undefined, false]);
    }
    const forked = resealed(sealedRow({ kind: 'system', id: 'x' }), { prev: 'ab'.repeat(32) });
    expect([linksOf(forked), verdict(forked)]).toEqual([undefined, false]);
  });

  it('accepts only what verifyEvent accepts, whatever one character of the metadata or data text becomes', () => {
    const rows = [...events.map(rowOf), sealedRow({ kind: 'webhook', id: 'stripe', ref: 'evt_1' }), sealedRow({ kind: 'user', id: 'u', session: 's', org: 'o', mfa: false })];
    const replacement = fc.constantFrom('"', '\\', '0', '1', 'a', 'f', 'g', 'A', ',', ':', '{', '}', ' ', '.', '\u0000', '\ud800', 'é', '');
    fc.assert(
      fc.property(fc.constantFrom(...rows), fc.boolean(), fc.nat(), replacement, (row, inMetadata, at, ch) => {
        const text = inMetadata ? row.metadataText : row.dataText;
        const i = at % text.length;
        const changed = text.slice(0, i) + ch + text.slice(i + 1);
        const tampered = inMetadata ? { ...row, metadataText: changed } : { ...row, dataText: changed };
        // Accepted only when verifyEvent accepts too: no change at all, or one inside sig (fast mode only checks its form).
        if (sound(tampered) && changed !== text) expect(inMetadata && i > row.metadataText.indexOf('"sig":"')).toBe(true);
      }),
      { numRuns: 1000 },
    );
  });

  it('agrees with verifyEvent on events sealed from arbitrary streams, types, causes and actor ids', () => {
    const text = fc.string({ unit: 'grapheme', maxLength: 12 });
    fc.assert(
      fc.property(text.filter((s) => s.length > 0), text.filter((s) => s.length > 0), text, text.filter((s) => s.length > 0), fc.option(text, { nil: undefined }), (stream, type, correlationId, actorId, session) => {
        const actor: Actor = session === undefined ? { kind: 'user', id: actorId } : { kind: 'user', id: actorId, session };
        const row = sealedRow(actor, { stream, type, correlationId });
        const plain = [stream, type, correlationId, actorId, session ?? ''].every((s) => /^[^"\\\u0000-\u001f\ud800-\udfff]*$/.test(s));
        expect(sound(row)).toBe(plain);
      }),
      { numRuns: 300 },
    );
  });
});
