import { collectEncryptedValues, redactDeep, replaceEncryptedValues } from './deep-values';

const a = { $jwe: 'A..i.c.t' };
const b = { $jwe: 'B..i.c.t' };

describe('deep values', () => {
  const doc = {
    id: 'd1',
    title: a,
    meta: { tags: ['x', b], note: null, count: 3, look: { $jwe: 'x', alike: true } },
    list: [[a]],
  };

  it('collects every encrypted value, however deep', () => {
    expect(collectEncryptedValues(doc)).toEqual([a, b, a]);
    expect(collectEncryptedValues(a)).toEqual([a]);
    expect(collectEncryptedValues('plain')).toEqual([]);
  });

  it('redacts every encrypted value and nothing else, without touching the input', () => {
    const before = JSON.stringify(doc);
    expect(redactDeep(doc)).toEqual({
      id: 'd1',
      title: '[encrypted]',
      meta: { tags: ['x', '[encrypted]'], note: null, count: 3, look: { $jwe: 'x', alike: true } },
      list: [['[encrypted]']],
    });
    expect(JSON.stringify(doc)).toBe(before);
    expect(redactDeep(a)).toBe('[encrypted]');
  });

  it('keeps non-plain objects as they are', () => {
    const when = new Date(0);
    const out = replaceEncryptedValues({ when, a }, (v) => v.$jwe.length);
    expect(out.when).toBe(when);
    expect(out.a).toBe(8);
  });
});
