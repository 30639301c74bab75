import { newestFirst } from './newest-first';

const at = (...positions: number[]) => positions.map((p) => ({ p: BigInt(p) }));
const positions = (rows: { p: bigint }[]) => rows.map((row) => Number(row.p));
const byP = (row: { p: bigint }) => row.p;

describe('newestFirst (a caller\'s own and shared documents as one page)', () => {
  it('interleaves the two lists by position, newest first', () => {
    expect(positions(newestFirst(at(9, 5, 2), at(8, 7, 1), 10, byP))).toEqual([9, 8, 7, 5, 2, 1]);
  });

  it('cuts the page to the count asked', () => {
    expect(positions(newestFirst(at(9, 5, 2), at(8, 7, 1), 4, byP))).toEqual([9, 8, 7, 5]);
  });

  it('takes either list whole when the other is empty', () => {
    expect(positions(newestFirst(at(3, 2), [], 5, byP))).toEqual([3, 2]);
    expect(positions(newestFirst([], at(3, 2), 5, byP))).toEqual([3, 2]);
    expect(newestFirst([], [], 5, byP)).toEqual([]);
  });

  it('compares positions beyond 2^53 exactly', () => {
    const big = 2n ** 60n;
    expect(newestFirst([{ p: big + 1n }], [{ p: big + 2n }], 2, byP).map(byP)).toEqual([big + 2n, big + 1n]);
  });
});
