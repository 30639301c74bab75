import { largestPowerOfTwoBelow } from './subtree-ranges';

/** A range [start, end) of leaves whose subtree hash is one element of a proof. */
export interface LeafRange {
  start: number;
  end: number;
}

/** RFC 9162 §2.1.3.1 PATH(m, D[start:end]): the ranges whose hashes form an inclusion proof, leaf level first. */
export function inclusionProofRanges(leafIndex: number, treeSize: number): LeafRange[] {
  if (!Number.isInteger(leafIndex) || !Number.isInteger(treeSize) || leafIndex < 0 || leafIndex >= treeSize) {
    throw new RangeError(`leaf ${leafIndex} is not in a tree of size ${treeSize}`);
  }
  const path = (m: number, start: number, end: number): LeafRange[] => {
    const n = end - start;
    if (n === 1) return [];
    const k = largestPowerOfTwoBelow(n);
    return m < k
      ? [...path(m, start, start + k), { start: start + k, end }]
      : [...path(m - k, start + k, end), { start, end: start + k }];
  };
  return path(leafIndex, 0, treeSize);
}

/** RFC 9162 §2.1.4.1 PROOF(m, D[n]) = SUBPROOF(m, D[n], true): the ranges of a consistency proof. */
export function consistencyProofRanges(oldSize: number, newSize: number): LeafRange[] {
  if (!Number.isInteger(oldSize) || !Number.isInteger(newSize) || oldSize < 0 || oldSize > newSize) {
    throw new RangeError(`no consistency proof from size ${oldSize} to ${newSize}`);
  }
  if (oldSize === 0 || oldSize === newSize) return [];
  const subproof = (m: number, start: number, end: number, complete: boolean): LeafRange[] => {
    const n = end - start;
    if (m === n) return complete ? [] : [{ start, end }];
    const k = largestPowerOfTwoBelow(n);
    return m <= k
      ? [...subproof(m, start, start + k, complete), { start: start + k, end }]
      : [...subproof(m - k, start + k, end, false), { start, end: start + k }];
  };
  return subproof(oldSize, 0, newSize, true);
}
