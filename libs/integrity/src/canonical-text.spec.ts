import fc from 'fast-check';
import { canonicalize } from './canonical-json';
import { isCanonicalObjectText } from './canonical-text';

/** What "true" must mean: the text is exactly JCS of what it parses to. */
function isJcsOfItself(text: string): boolean {
  try {
    return canonicalize(JSON.parse(text)) === text;
  } catch {
    return false;
  }
}

/** True when no member name anywhere in `value` needs an escape in JSON (the check leaves those to a parse). */
function namesNeedNoEscape(value: unknown): boolean {
  if (Array.isArray(value)) return value.every(namesNeedNoEscape);
  if (typeof value !== 'object' || value === null) return true;
  return Object.entries(value).every(([name, member]) => !/[\u0000-\u001f"\\]/.test(name) && namesNeedNoEscape(member));
}

/** JCS of `value`, or undefined when it has none (a lone surrogate). */
function jcsOf(value: unknown): string | undefined {
  try {
    return canonicalize(JSON.parse(JSON.stringify(value)));
  } catch {
    return undefined;
  }
}

describe('isCanonicalObjectText', () => {
  it.each([
    '{}',
    '{"a":[]}',
    '{"":0,"a":{}}',
    '{"a":1,"b":-2.5,"c":1e+21,"d":5e-7,"e":0,"f":-1e-7,"g":123456789012345680000}',
    '{"a":true,"b":false,"c":null,"d":[null,true,[{}]]}',
    '{"s":"é ✓ 😀 \\" \\\\ \\b \\f \\n \\r \\t \\u0000 \\u001f \\u000b \u007f"}',
    '{"$jwe":"eyJhbGciOiJkaXIifQ..iv.ct.tag","documentId":"7f3","title":{"$jwe":"x"}}',
    '{"B":1,"a":2,"é":3,"😀":4,"ｆ":5}',
  ])('accepts the JCS text %s', (text) => {
    expect(isJcsOfItself(text)).toBe(true);
    expect(isCanonicalObjectText(text)).toBe(true);
  });

  it.each([
    ['whitespace', '{"a": 1}'],
    ['members out of order', '{"b":1,"a":2}'],
    ['a duplicate member', '{"a":1,"a":1}'],
    ['-0', '{"a":-0}'],
    ['a trailing fraction zero', '{"a":1.0}'],
    ['an exponent JCS does not write', '{"a":1E+21}'],
    ['a number JCS writes with an exponent', '{"a":1000000000000000000000}'],
    ['a leading zero', '{"a":01}'],
    ['an escaped solidus', '{"a":"\\/"}'],
    ['a needless \\u escape', '{"a":"\\u0041"}'],
    ['\\u00xx where a short escape exists', '{"a":"\\u000a"}'],
    ['uppercase hex', '{"a":"\\u001F"}'],
    ['an escaped lone surrogate', '{"a":"\\ud800"}'],
    ['a raw lone surrogate', '{"a":"\ud800x"}'],
    ['a raw low surrogate first', '{"a":"\udc00\ud800"}'],
    ['a raw control character', '{"a":"\u0001"}'],
    ['trailing text', '{"a":1}x'],
    ['an unclosed object', '{"a":1'],
    ['an array', '[1]'],
    ['a string', '"a"'],
    ['a trailing comma', '{"a":1,}'],
    ['a truncated literal', '{"a":tru}'],
  ])('refuses %s', (_label, text) => {
    expect(isCanonicalObjectText(text)).toBe(false);
  });

  it('leaves names with escapes and very deep nesting to a parse (false, though canonical)', () => {
    expect(isJcsOfItself('{"a\\nb":1}')).toBe(true);
    expect(isCanonicalObjectText('{"a\\nb":1}')).toBe(false);
    const deep = '{"a":'.repeat(300) + '1' + '}'.repeat(300);
    expect(isJcsOfItself(deep)).toBe(true);
    expect(isCanonicalObjectText(deep)).toBe(false);
  });

  it('accepts the JCS text of any JSON object whose member names need no escape', () => {
    fc.assert(
      fc.property(fc.dictionary(fc.string({ unit: 'binary' }), fc.jsonValue()), (value) => {
        const text = jcsOf(value);
        if (text !== undefined && namesNeedNoEscape(value)) expect(isCanonicalObjectText(text)).toBe(true);
      }),
      { numRuns: 500 },
    );
  });

  it('is true only for the JCS text of what the text parses to, however the text was changed', () => {
    const significant = [' ', ',', ':', '"', '\\', '0', '1', '-', '+', 'e', 'E', '.', '{', '}', '[', ']', 'u', 'a', 'n', '\ud800', '\udc00', '\u0001', '/'];
    const edit = fc.oneof(
      fc.record({ kind: fc.constant('insert'), at: fc.nat(), char: fc.constantFrom(...significant) }),
      fc.record({ kind: fc.constant('delete'), at: fc.nat(), char: fc.constant('') }),
      fc.record({ kind: fc.constant('replace'), at: fc.nat(), char: fc.constantFrom(...significant) }),
    );
    fc.assert(
      fc.property(fc.dictionary(fc.string({ unit: 'binary', maxLength: 4 }), fc.jsonValue({ maxDepth: 3 }), { maxKeys: 5 }), fc.array(edit, { minLength: 1, maxLength: 3 }), fc.boolean(), (value, edits, unsorted) => {
        let text = unsorted ? JSON.stringify(value) : (jcsOf(value) ?? JSON.stringify(value));
        for (const { kind, at, char } of edits) {
          const i = text.length === 0 ? 0 : at % text.length;
          text = kind === 'insert' ? text.slice(0, i) + char + text.slice(i) : text.slice(0, i) + char + text.slice(i + 1);
        }
        if (isCanonicalObjectText(text)) expect(isJcsOfItself(text)).toBe(true);
      }),
      { numRuns: 3000 },
    );
  });

  it('agrees with canonicalize on texts JSON.stringify wrote, member order aside', () => {
    fc.assert(
      fc.property(fc.dictionary(fc.string({ maxLength: 3 }), fc.jsonValue({ maxDepth: 2 }), { maxKeys: 6 }), (value) => {
        const text = JSON.stringify(value);
        const jcs = isJcsOfItself(text);
        if (isCanonicalObjectText(text)) expect(jcs).toBe(true);
        if (jcs && namesNeedNoEscape(value)) expect(isCanonicalObjectText(text)).toBe(true);
      }),
      { numRuns: 500 },
    );
  });
});
