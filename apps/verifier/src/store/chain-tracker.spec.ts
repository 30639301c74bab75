import fc from 'fast-check';
import { StreamHeads, ZERO_HASH } from '@ledgerline/integrity';
import { ChainTracker } from './chain-tracker';

const words = (hex: string): Uint32Array => new Uint32Array(Uint8Array.from(Buffer.from(hex, 'hex')).buffer);

describe('ChainTracker', () => {
  it('gives StreamHeads\' verdict (complete mode) on every event of any sequence', () => {
    const hash = fc.constantFrom(ZERO_HASH, 'a'.repeat(64), 'b'.repeat(64), 'c'.repeat(64));
    const event = fc.record({ stream: fc.constantFrom('s-1', 's-2', 's-3'), revision: fc.nat(4), prev: hash, hash });
    fc.assert(
      fc.property(fc.array(event, { maxLength: 30 }), (events) => {
        const heads = new StreamHeads();
        const tracker = new ChainTracker();
        for (const e of events) {
          const expected = heads.link(e.stream, e.revision, e.prev, e.hash, true);
          const actual = tracker.link(tracker.slot(e.stream), e.revision, words(e.prev), words(e.hash), 0);
          expect(actual && { kind: actual.kind, reason: actual.reason }).toEqual(expected && { kind: expected.reason, reason: expected.detail });
        }
        expect(tracker.streams).toBe(heads.size);
      }),
      { numRuns: 500 },
    );
  });

  it('keeps the heads of thousands of streams apart', () => {
    const tracker = new ChainTracker();
    const hashOf = (s: number, r: number) => (s.toString(16).padStart(8, '0') + r.toString(16).padStart(8, '0')).repeat(4);
    for (let r = 0; r < 3; r++) {
      for (let s = 0; s < 3000; s++) {
        const prev = r === 0 ? ZERO_HASH : hashOf(s, r - 1);
        expect(tracker.link(tracker.slot(`s-${s}`), r, words(prev), words(hashOf(s, r)), 0)).toBeUndefined();
      }
    }
    expect(tracker.link(tracker.slot('s-7'), 3, words(hashOf(8, 2)), words(hashOf(7, 3)), 0)).toMatchObject({ kind: 'chain' });
  });
});
