import fc from 'fast-check';
import { generateEd25519Pem, Keyring, verifyEvent, type Actor, type EventMetadata, type StoredEvent } from '@ledgerline/integrity';
import { API_ACTORS, oneCharacterEdit, sealedEvents, sealRow, storedRowOf, type StoredRow } from './sealed-log.spec-helper';
import { storedEnvelopeLinks } from './stored-envelope';

const keyring = new Keyring({ signingKey: generateEd25519Pem() });
const keys = keyring.keyMap();
const events = sealedEvents(keyring, 'document-7f3', 3);
type Row = StoredRow;
const rowOf = storedRowOf;
const sealedRow = (actor: Actor, overrides: Parameters<typeof sealRow>[2] = {}): Row => sealRow(keyring, actor, overrides);
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


describe('storedEnvelopeLinks (the stored layout read without JSON.parse)', () => {
  it('reads every actor shape the API writes', () => {
    const actors: Actor[] = [...API_ACTORS, { kind: 'system', id: 'é 🙂'.slice(0, 2) }];
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

  it('accepts only what verifyEvent accepts, whatever one character of the metadata or data text becomes', () => {
    const rows = [...events.map(rowOf), sealedRow({ kind: 'webhook', id: 'stripe', ref: 'evt_1' }), sealedRow({ kind: 'user', id: 'u', session: 's', org: 'o', mfa: false })];
    const replacements = ['"', '\\', '0', '1', 'a', 'f', 'g', 'A', ',', ':', '{', '}', ' ', '.', '\u0000', '\ud800', 'é', ''];
    fc.assert(
      fc.property(oneCharacterEdit(rows, replacements), ({ row, tampered, inMetadata, at, changed }) => {
        // Accepted only when verifyEvent accepts too: no change at all, or one inside sig (fast mode only checks its form).
        if (sound(tampered) && changed) expect(inMetadata && at > row.metadataText.indexOf('"sig":"')).toBe(true);
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
