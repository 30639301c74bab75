import * as fs from 'node:fs';
import * as path from 'node:path';
import fc from 'fast-check';
import { canonicalize, canonicalizeToBuffer, canonicalizeWithout } from './canonical-json';
import { CanonicalJsonError } from './integrity.errors';
import { VECTORS_DIR } from './test-support/vectors';

const JCS_DIR = path.join(VECTORS_DIR, 'jcs');
const names = fs.readdirSync(path.join(JCS_DIR, 'input')).map((f) => path.basename(f, '.json'));

describe('canonicalize (RFC 8785)', () => {
  it('finds the shared JCS vectors', () => {
    expect(names.length).toBeGreaterThanOrEqual(6);
  });

  describe.each(names)('vector %s', (name) => {
    const input = JSON.parse(fs.readFileSync(path.join(JCS_DIR, 'input', `${name}.json`), 'utf8'));

    it('matches the expected output text', () => {
      const expected = fs.readFileSync(path.join(JCS_DIR, 'output', `${name}.json`), 'utf8').replace(/\n$/, '');
      expect(canonicalize(input)).toBe(expected);
    });

    it('matches the expected UTF-8 bytes', () => {
      const hex = fs.readFileSync(path.join(JCS_DIR, 'outhex', `${name}.txt`), 'utf8').replace(/\s+/g, '');
      expect(canonicalizeToBuffer(input).toString('hex')).toBe(hex);
    });
  });

  it('formats numbers as ECMAScript Number::toString', () => {
    expect(canonicalize([0, -0, 1e21, 1e-7, 123456789012345680000, 0.1 + 0.2, -1.5e-10, 5e-324])).toBe(
      '[0,0,1e+21,1e-7,123456789012345680000,0.30000000000000004,-1.5e-10,5e-324]',
    );
  });

  it('sorts member names by UTF-16 code units, not code points', () => {
    // U+FB33 (one unit 0xFB33) sorts after U+1F602 (surrogates 0xD83D 0xDE02) in UTF-16 order.
    expect(canonicalize({ '\ufb33': 1, '\u{1f602}': 2, a: 3 })).toBe('{"a":3,"\u{1f602}":2,"\ufb33":1}');
  });

  it('accepts objects without a prototype', () => {
    const obj = Object.create(null) as Record<string, unknown>;
    obj.b = 1;
    obj.a = 2;
    expect(canonicalize(obj)).toBe('{"a":2,"b":1}');
  });

  it.each([
    ['NaN', { a: NaN }, /at \$\.a: number NaN/],
    ['Infinity', [1, Infinity], /at \$\[1\]: number Infinity/],
    ['undefined member', { a: { b: undefined } }, /at \$\.a\.b: undefined/],
    ['undefined item', [undefined], /at \$\[0\]/],
    ['function', { f: () => 1 }, /function/],
    ['bigint', { n: 1n }, /bigint/],
    ['symbol', Symbol('x'), /symbol/],
    ['Date', { d: new Date(0) }, /a Date is not a JSON value/],
    ['Buffer', Buffer.from('x'), /Buffer/],
    ['lone surrogate value', { s: '\ud800' }, /lone surrogate/],
    ['lone surrogate name', { '\udc00': 1 }, /lone surrogate/],
  ])('rejects %s', (_label, value, message) => {
    expect(() => canonicalize(value)).toThrow(CanonicalJsonError);
    expect(() => canonicalize(value)).toThrow(message);
  });

  it('rejects cycles instead of overflowing the stack', () => {
    const cyclic: Record<string, unknown> = {};
    cyclic.self = cyclic;
    expect(() => canonicalize(cyclic)).toThrow(/deeper than/);
  });

  it('agrees with JSON.parse round trips for arbitrary JSON values', () => {
    fc.assert(
      fc.property(fc.jsonValue(), (value) => {
        const text = canonicalize(value);
        // Canonical text is valid JSON, re-canonicalizes to itself, and is independent of member order.
        const parsed = JSON.parse(text);
        expect(canonicalize(parsed)).toBe(text);
        expect(canonicalize(JSON.parse(JSON.stringify(value)))).toBe(text);
      }),
      { numRuns: 300 },
    );
  });

  it('canonicalizeWithout omits only the named top-level members', () => {
    const value = { hash: 'h', sig: 's', b: { hash: 1 }, a: 1 };
    expect(canonicalizeWithout(value, ['hash', 'sig'])).toBe('{"a":1,"b":{"hash":1}}');
    expect(canonicalizeWithout({ hash: 1 }, ['hash'])).toBe('{}');
  });
});
