import fc from 'fast-check';
import { isUnknownPosition, toEsdbPosition, toPortPosition } from './esdb-position';

const UINT64_MAX = (1n << 64n) - 1n;

describe('EventStoreDB position ↔ port position', () => {
  const offset = fc.bigInt({ min: 0n, max: (1n << 63n) - 1n });

  it('maps a non-transaction event (commit = prepare) to its log offset and back, exactly, beyond 2^53', () => {
    fc.assert(
      fc.property(offset, (at) => {
        const port = toPortPosition({ commit: at, prepare: at });
        expect(port).toBe(at);
        expect(toEsdbPosition(port)).toEqual({ commit: at, prepare: at });
      }),
    );
    const big = 2n ** 62n + 12_345n;
    expect(toEsdbPosition(toPortPosition({ commit: big, prepare: big }))).toEqual({ commit: big, prepare: big });
  });

  it('orders port positions exactly as the server orders the events', () => {
    fc.assert(
      fc.property(offset, offset, (a, b) => {
        const server = a === b ? 0 : a < b ? -1 : 1;
        const x = toPortPosition({ commit: a, prepare: a });
        const y = toPortPosition({ commit: b, prepare: b });
        expect(x === y ? 0 : x < y ? -1 : 1).toBe(server);
      }),
    );
  });

  it('keeps every position within the read models\' signed 64-bit columns, and names explicit-transaction events', () => {
    expect(() => toPortPosition({ commit: -1n, prepare: -1n })).toThrow(RangeError);
    expect(() => toPortPosition({ commit: 1n << 63n, prepare: 1n << 63n })).toThrow(RangeError);
    expect(() => toPortPosition({ commit: 4096n, prepare: 2048n })).toThrow(/explicit transaction/);
    expect(() => toEsdbPosition(-1n)).toThrow(RangeError);
    expect(() => toEsdbPosition(1n << 63n)).toThrow(RangeError);
  });

  it("recognises the server's 'no position' (2^64-1 twice) that pre-22.6 servers send on stream reads", () => {
    expect(isUnknownPosition({ commit: UINT64_MAX, prepare: UINT64_MAX })).toBe(true);
    expect(isUnknownPosition(undefined)).toBe(true);
    expect(isUnknownPosition({ commit: UINT64_MAX, prepare: 0n })).toBe(false);
  });
});
