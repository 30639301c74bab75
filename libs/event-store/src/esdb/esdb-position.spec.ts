import fc from 'fast-check';
import { isUnknownPosition, toEsdbPosition, toPortPosition } from './esdb-position';

const UINT64_MAX = (1n << 64n) - 1n;
const half = fc.bigInt({ min: 0n, max: UINT64_MAX });

describe('EventStoreDB position ↔ port position', () => {
  it('round-trips every (commit, prepare) pair exactly, including halves beyond 2^53 and 2^63', () => {
    fc.assert(
      fc.property(half, half, (commit, prepare) => {
        const port = toPortPosition({ commit, prepare });
        expect(toEsdbPosition(port)).toEqual({ commit, prepare });
      }),
    );
    const big = { commit: 2n ** 53n + 1n, prepare: UINT64_MAX };
    expect(toPortPosition(big)).toBe(((2n ** 53n + 1n) << 64n) + UINT64_MAX);
    expect(toEsdbPosition(toPortPosition(big))).toEqual(big);
  });

  it('orders port positions exactly as the server orders (commit, prepare)', () => {
    fc.assert(
      fc.property(half, half, half, half, (c1, p1, c2, p2) => {
        const server = c1 !== c2 ? (c1 < c2 ? -1 : 1) : p1 === p2 ? 0 : p1 < p2 ? -1 : 1;
        const a = toPortPosition({ commit: c1, prepare: p1 });
        const b = toPortPosition({ commit: c2, prepare: p2 });
        expect(a === b ? 0 : a < b ? -1 : 1).toBe(server);
      }),
    );
  });

  it('refuses values that are not 64-bit halves or 128-bit folds', () => {
    expect(() => toPortPosition({ commit: -1n, prepare: 0n })).toThrow(RangeError);
    expect(() => toPortPosition({ commit: 0n, prepare: UINT64_MAX + 1n })).toThrow(RangeError);
    expect(() => toEsdbPosition(-1n)).toThrow(RangeError);
    expect(() => toEsdbPosition(1n << 128n)).toThrow(RangeError);
  });

  it("recognises the server's 'no position' (2^64-1 twice) that pre-22.6 servers send on stream reads", () => {
    expect(isUnknownPosition({ commit: UINT64_MAX, prepare: UINT64_MAX })).toBe(true);
    expect(isUnknownPosition(undefined)).toBe(true);
    expect(isUnknownPosition({ commit: UINT64_MAX, prepare: 0n })).toBe(false);
  });
});
