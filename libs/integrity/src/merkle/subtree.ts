import { nodeHash } from './tree-hash';

/**
 * A perfect, aligned subtree of the log: the 2^level leaves [index·2^level, (index+1)·2^level).
 * Level 0 nodes are leaf hashes. Once complete, such a node never changes, so stores can keep it.
 */
export interface NodeId {
  level: number;
  index: number;
}

/** Reads one complete node; the proof generators only ask for nodes that are complete at the proof's tree size. */
export type NodeReader = (level: number, index: number) => Buffer;

/** Reads many nodes at once (one query to a database), answering in the order asked. */
export type BatchNodeReader = (nodes: readonly NodeId[]) => Promise<readonly Buffer[]> | readonly Buffer[];

/** Largest power of two strictly below n (n ≥ 2): the split point k of RFC 9162 §2.1.1. */
export function splitPoint(n: number): number {
  let k = 1;
  while (k * 2 < n) k *= 2;
  return k;
}

/**
 * The perfect subtrees, left to right, whose RFC 9162 combination is the hash of leaves [start, end).
 * Proof ranges always start on a multiple of a power of two at least as large as their left part, so
 * every piece is an aligned node; popcount(end - start) pieces.
 */
export function rangeNodes(start: number, end: number, out: NodeId[] = []): NodeId[] {
  const n = end - start;
  if (n <= 0) throw new RangeError(`empty range [${start}, ${end})`);
  if (isPowerOfTwo(n) && start % n === 0) {
    out.push({ level: log2(n), index: start / n });
    return out;
  }
  const k = splitPoint(n);
  if (start % k !== 0) throw new RangeError(`range [${start}, ${end}) is not made of aligned subtrees`);
  out.push({ level: log2(k), index: start / k });
  return rangeNodes(start + k, end, out);
}

/** Combines the hashes of rangeNodes(start, end) into the range's hash (right to left, as RFC 9162 nests them). */
export function foldRange(hashes: readonly Buffer[]): Buffer {
  let h = hashes[hashes.length - 1];
  for (let i = hashes.length - 2; i >= 0; i--) h = nodeHash(hashes[i], h);
  return h;
}

/** Hash of leaves [start, end) from stored nodes. */
export function hashRange(start: number, end: number, read: NodeReader): Buffer {
  return foldRange(rangeNodes(start, end).map((node) => read(node.level, node.index)));
}

export function isPowerOfTwo(n: number): boolean {
  if (n < 1) return false;
  while (n % 2 === 0) n /= 2;
  return n === 1;
}

function log2(powerOfTwo: number): number {
  let level = 0;
  for (let p = powerOfTwo; p > 1; p /= 2) level++;
  return level;
}

/** Checks that a tree position is a non-negative safe integer. */
export function assertTreeInteger(name: string, value: number): void {
  if (!Number.isSafeInteger(value) || value < 0) throw new RangeError(`${name} must be a non-negative safe integer, got ${value}`);
}
