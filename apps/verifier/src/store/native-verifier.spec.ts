import fc from 'fast-check';
import { canonicalizeWithout, generateEd25519Pem, Keyring, leafHash, sha256, sha256Hex, type Actor, type EventMetadata } from '@ledgerline/integrity';
import { nativeLinks, streamKey } from './native-verifier';
import { builtNativeVerifier } from './native-verifier.spec-helper';
import { API_ACTORS, oneCharacterEdit, ROW_ID as ID, sealRow, type StoredRow } from './sealed-log.spec-helper';
import { storedEnvelopeLinks } from './stored-envelope';

const native = builtNativeVerifier();
const describeBuilt = native ? describe : describe.skip;

const keyring = new Keyring({ signingKey: generateEd25519Pem() });
const CAPACITY = 4;
// Hashes, prevs and leaf hashes of CAPACITY events, one after the other, after 8 spare bytes, then their stream numbers.
const out = new Uint8Array(8 + 3 * 32 * CAPACITY + 4 * CAPACITY);
const HASHES = 8;
const PREVS = HASHES + 32 * CAPACITY;
const LEAVES = PREVS + 32 * CAPACITY;
const STREAMS = LEAVES + 32 * CAPACITY;
const streamNumberAt = (index: number) => new DataView(out.buffer).getUint32(STREAMS + 4 * index, true);

type Row = StoredRow;
const sealedRow = (actor: Actor, overrides: Parameters<typeof sealRow>[2] = {}): Row => sealRow(keyring, actor, overrides);

/** The row with its metadata changed and `hash` recomputed over the change: what only a key holder could write (sig is not checked here). */
function resealed(row: Row, change: Partial<EventMetadata>): Row {
  const metadata = { ...(JSON.parse(row.metadataText) as EventMetadata), ...change };
  metadata.hash = sha256Hex(canonicalizeWithout(metadata, ['hash', 'sig']));
  return { ...row, metadataText: JSON.stringify(metadata) };
}

const table = native?.createStreamTable();

function check(row: Row, index = 0, streams = table): number {
  const n = native as NonNullable<typeof native>;
  n.bindOutput(streams as NonNullable<typeof table>, out, HASHES, PREVS, LEAVES, STREAMS, CAPACITY);
  out.fill(0);
  return n.checkStoredEvent(row.id, row.stream, row.revision, row.type, row.dataText, row.metadataText, index);
}

const hex = (at: number) => Buffer.from(out.subarray(at, at + 32)).toString('hex');
const typescript = (r: Row) => storedEnvelopeLinks(r.id, r.stream, r.revision, r.type, r.dataText, r.metadataText);
const isAscii = (text: string) => /^[\u0000-\u007f]*$/.test(text);

/** The C check may only accept what the TypeScript check accepts, and then writes the same links and the leaf hash. */
function agrees(row: Row, index = 0): boolean {
  const sigAt = check(row, index);
  if (sigAt <= 0) return false;
  const links = typescript(row);
  expect(links).toBeDefined();
  expect(nativeLinks(row.metadataText, sigAt)).toEqual({ hash: links?.hash, sig: links?.sig });
  const at = 32 * index;
  expect([hex(HASHES + at), hex(PREVS + at)]).toEqual([links?.hash, links?.prev]);
  expect(Buffer.from(out.subarray(LEAVES + at, LEAVES + at + 32)).equals(leafHash(Buffer.from(links?.hash ?? '', 'hex')))).toBe(true);
  return true;
}

describeBuilt('the C module (verifier-native.c)', () => {
  it('accepts every actor shape the API writes and data of objects, arrays, integers and literals, at any output index', () => {
    const actors: Actor[] = [...API_ACTORS, { kind: 'user', id: 'user_2abc', org: '' }];
    for (const actor of actors) expect(agrees(sealedRow(actor))).toBe(true);
    const data = { a: [1, -2, 0, 999999999999999, [], {}], b: { c: null, d: true, e: false, f: 'x y~\u007f' }, '': 'empty name' };
    expect(agrees(sealedRow({ kind: 'system', id: 'x' }, { data, revision: 7 }), 3)).toBe(true);
  });

  it('leaves to TypeScript what is outside its subset: non-ASCII, escapes, fractions, exponents, long integers, deep nesting', () => {
    const outside: Row[] = [
      sealedRow({ kind: 'system', id: 'é' }),
      sealedRow({ kind: 'system', id: 'x' }, { stream: 'document-é' }),
      sealedRow({ kind: 'system', id: 'x' }, { data: { t: 'é' } }),
      sealedRow({ kind: 'system', id: 'x' }, { data: { t: 'a"b\\c\n' } }),
      sealedRow({ kind: 'system', id: 'x' }, { data: { n: 1.5 } }),
      sealedRow({ kind: 'system', id: 'x' }, { data: { n: 1e21 } }),
      sealedRow({ kind: 'system', id: 'x' }, { data: { n: 1234567890123456 } }),
    ];
    for (const row of outside) {
      expect(typescript(row)).toBeDefined();
      expect(check(row)).toBe(0);
    }
    // Deeper than either follows: both leave it to the parse.
    const deep = sealedRow({ kind: 'system', id: 'x' }, { data: { n: JSON.parse(`${'['.repeat(300)}1${']'.repeat(300)}`) as unknown } });
    expect([check(deep), typescript(deep)]).toEqual([0, undefined]);
  });

  it('refuses a row whose columns disagree with the envelope, and an index outside the bound output', () => {
    const row = sealedRow({ kind: 'user', id: 'u' }, { revision: 2 });
    for (const change of [{ id: ID.replace('0f', '1f') }, { stream: 'document-2' }, { revision: 3 }, { revision: 2.5 }, { type: 'DocumentEdited' }]) {
      expect(check({ ...row, ...change })).toBe(0);
    }
    expect(check(row, CAPACITY)).toBe(0);
    expect(check(row, -1)).toBe(0);
    expect(check(row, CAPACITY - 1)).toBeGreaterThan(0);
    // Once unbound (before the chunk's buffer is transferred) it writes nothing and decides nothing.
    const n = native as NonNullable<typeof native>;
    n.unbindOutput();
    out.fill(0);
    expect(n.checkStoredEvent(row.id, row.stream, row.revision, row.type, row.dataText, row.metadataText, 0)).toBe(0);
    expect(out.every((byte) => byte === 0)).toBe(true);
  });

  it('checks the calendar and the genesis prev as TypeScript does, even under a hash made over them', () => {
    const row = sealedRow({ kind: 'system', id: 'x' }, { revision: 1 });
    const times = ['2028-02-29T00:00:00.000Z', '2000-02-29T23:59:59.999Z', '2027-02-29T00:00:00.000Z', '1900-02-29T00:00:00.000Z', '2026-04-31T00:00:00.000Z', '2026-13-01T00:00:00.000Z', '2026-00-10T00:00:00.000Z', '2026-01-01T24:00:00.000Z', '2026-01-01T00:60:00.000Z'];
    for (const time of times) {
      const changed = resealed(row, { time });
      expect(check(changed) > 0).toBe(typescript(changed) !== undefined);
    }
    expect(check(resealed(row, { time: times[0] }))).toBeGreaterThan(0);
    const genesis = sealedRow({ kind: 'system', id: 'x' });
    const forked = resealed(genesis, { prev: 'ab'.repeat(32) });
    expect([check(forked), typescript(forked)]).toEqual([0, undefined]);
  });

  it('decides exactly as TypeScript, whatever one character of the metadata or data text becomes', () => {
    const rows = [sealedRow({ kind: 'webhook', id: 'stripe', ref: 'evt_1' }, { data: { a: [1, { b: 'c' }], n: 10 } }), sealedRow({ kind: 'user', id: 'u', session: 's', org: 'o', mfa: false }, { revision: 5 })];
    const replacements = ['"', '\\', '0', '1', '9', 'a', 'f', 'g', 'A', '-', '_', ',', ':', '{', '}', '[', ']', ' ', '.', 'e', '\u0000', '\u007f', '\ud800', 'é', ''];
    fc.assert(
      fc.property(oneCharacterEdit(rows, replacements), ({ tampered }) => {
        const accepted = agrees(tampered);
        // Within its subset it decides everything itself: never a needless detour through TypeScript.
        if (isAscii(tampered.metadataText + tampered.dataText) && !tampered.dataText.includes('\\')) expect(accepted).toBe(typescript(tampered) !== undefined);
      }),
      { numRuns: 2000 },
    );
  });

  it('agrees with TypeScript on events sealed from arbitrary streams, causes and actor ids', () => {
    const text = fc.string({ maxLength: 12 });
    fc.assert(
      fc.property(text.filter((s) => s.length > 0), text, text.filter((s) => s.length > 0), (stream, correlationId, actorId) => {
        const row = sealedRow({ kind: 'user', id: actorId }, { stream, correlationId });
        const accepted = agrees(row);
        if (isAscii(row.metadataText)) expect(accepted).toBe(typescript(row) !== undefined);
      }),
      { numRuns: 300 },
    );
  });

  it('numbers streams densely in the order first seen, one number per stream, shared with the TypeScript path', () => {
    const n = native as NonNullable<typeof native>;
    const own = n.createStreamTable();
    const rowOf = (stream: string, revision = 0) => sealedRow({ kind: 'system', id: 'x' }, { stream, revision });
    /** The number the C check gave the row's stream (check clears the output first). */
    const numberOf = (row: Row, index: number) => (check(row, index, own) > 0 ? streamNumberAt(index) : undefined);
    expect([numberOf(rowOf('document-a'), 0), numberOf(rowOf('document-b'), 1), numberOf(rowOf('document-a', 1), 2)]).toEqual([0, 1, 0]);
    // A refused row gets no number: the next new stream still gets 2.
    expect(numberOf({ ...rowOf('document-z'), type: 'Other' }, 3)).toBeUndefined();
    expect(n.streamNumber(own, streamKey('document-b'))).toBe(1);
    expect(n.streamNumber(own, streamKey('document-é'))).toBe(2);
    expect(numberOf(rowOf('document-c'), 3)).toBe(3);
    // Distinct strings stay distinct, whatever UTF-8 would make of a lone surrogate.
    expect(new Set(['s\ud800', 's\ufffd', 's\udc00', 's"', 's\\"'].map((name) => n.streamNumber(own, streamKey(name)))).size).toBe(5);
    // Another verifier numbers its own streams from 0.
    expect(check(rowOf('document-c'), 0, n.createStreamTable()) > 0 && streamNumberAt(0)).toBe(0);
  });

  it('sha256Within hashes a range of an array into the same array, and refuses ranges outside it', () => {
    const n = native as NonNullable<typeof native>;
    const bytes = Buffer.alloc(200);
    for (let i = 0; i < 65; i++) bytes[10 + i] = i * 7;
    n.sha256Within(bytes, 10, 65, 100);
    expect(bytes.subarray(100, 132).equals(sha256(bytes.subarray(10, 75)))).toBe(true);
    // (Errors made in C belong to Node's main realm, not the spec's: matched by message.)
    expect(() => n.sha256Within(bytes, 150, 65, 0)).toThrow('the input or the digest does not fit');
    expect(() => n.sha256Within(bytes, 0, 65, 190)).toThrow('the input or the digest does not fit');
    expect(() => n.sha256Within(bytes, -1, 65, 0)).toThrow('must be integers within the array');
    const own = n.createStreamTable();
    expect(() => n.bindOutput(own, out, 0, 0, out.length - 31, 0, 1)).toThrow('capacity hashes do not fit');
    expect(() => n.bindOutput(own, out, 0, 0, 0, out.length - 3, 1)).toThrow('capacity hashes do not fit');
    expect(() => n.bindOutput(own, out, 0, 0, 0, 2, 1)).toThrow('4-byte aligned');
    expect(() => n.bindOutput(own, new Float64Array(4) as unknown as Uint8Array, 0, 0, 0, 0, 0)).toThrow('bindOutput(table, bytes: Uint8Array');
    expect(() => n.bindOutput({} as typeof own, out, 0, 0, 0, 0, 0)).toThrow('bindOutput(table, bytes: Uint8Array');
    expect(() => n.streamNumber(own, 5 as unknown as string)).toThrow('streamNumber(table, name: string)');
  });
});
