/**
 * RFC 9162 splits a range [start, end) at the largest power of two smaller than its size. Every
 * range that splitting reaches is either a perfect, aligned subtree — stored by the notary as
 * node (level, index) — or a right-edge range that is split again. So the hash of any range,
 * and so any root, inclusion or consistency proof, needs O(log n) stored nodes.
 */
export interface NodeCoordinate {
  level: number;
  index: number;
}

export function largestPowerOfTwoBelow(size: number): number {
  let k = 1;
  while (k * 2 < size) k *= 2;
  return k;
}

function isPerfectAligned(start: number, size: number): boolean {
  return size > 0 && (size & (size - 1)) === 0 && start % size === 0;
}

/** The stored perfect subtrees that, hashed together right to left, give the hash of [start, end). */
export function perfectSubtreesOf(start: number, end: number): NodeCoordinate[] {
  const out: NodeCoordinate[] = [];
  let from = start;
  while (from < end) {
    const size = end - from;
    if (isPerfectAligned(from, size)) {
      out.push({ level: Math.log2(size), index: from / size });
      break;
    }
    const k = largestPowerOfTwoBelow(size);
    // The left part of an RFC 9162 split of a range that starts aligned is perfect and aligned.
    if (!isPerfectAligned(from, k)) throw new Error(`range [${start}, ${end}) is not reachable by RFC 9162 splits`);
    out.push({ level: Math.log2(k), index: from / k });
    from += k;
  }
  return out;
}
