/**
 * Two lists, each newest first by `positionOf`, merged newest first and cut to `count`. Positions are
 * global log positions, so no two rows share one.
 */
export function newestFirst<T>(a: readonly T[], b: readonly T[], count: number, positionOf: (row: T) => bigint): T[] {
  const merged: T[] = [];
  let i = 0;
  let j = 0;
  while (merged.length < count && (i < a.length || j < b.length)) {
    const takeA = j >= b.length || (i < a.length && positionOf(a[i]) > positionOf(b[j]));
    merged.push(takeA ? a[i++] : b[j++]);
  }
  return merged;
}
