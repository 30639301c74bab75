import { planFor, readPlan, readPlanAsync, type ProofPlan, type ProofRanges } from './proof-plan';
import { assertTreeInteger, splitPoint, type BatchNodeReader, type NodeReader } from './subtree';
import { nodeHash } from './tree-hash';

/** The leaf ranges of PATH(index, D[0:size]) (RFC 9162 §2.1.3.1), leaf's sibling first. */
export function inclusionProofRanges(index: number, size: number): ProofRanges {
  assertTreeInteger('index', index);
  assertTreeInteger('size', size);
  if (index >= size) throw new RangeError(`leaf ${index} is not in a tree of size ${size}`);
  const ranges: ProofRanges = [];
  path(index, 0, size, ranges);
  return ranges;
}

function path(m: number, start: number, end: number, out: ProofRanges): void {
  const n = end - start;
  if (n <= 1) return;
  const k = splitPoint(n);
  if (m < k) {
    path(m, start, start + k, out);
    out.push([start + k, end]);
  } else {
    path(m - k, start + k, end, out);
    out.push([start, start + k]);
  }
}

/** The complete nodes an inclusion proof reads: at most 2·log2(size), each complete at `size`. */
export function inclusionProofPlan(index: number, size: number): ProofPlan {
  return planFor(inclusionProofRanges(index, size));
}

/**
 * RFC 9162 §2.1.3.1 inclusion proof of leaf `index` in the tree of the first `size` leaves, built from
 * stored nodes. `read(level, i)` is only asked for perfect aligned subtrees complete at `size`.
 */
export function inclusionProof(index: number, size: number, read: NodeReader): Buffer[] {
  return readPlan(inclusionProofPlan(index, size), read);
}

/** inclusionProof with one batched, possibly async node read (e.g. a single SQL query). */
export function inclusionProofAsync(index: number, size: number, read: BatchNodeReader): Promise<Buffer[]> {
  return readPlanAsync(inclusionProofPlan(index, size), read);
}

/**
 * RFC 9162 §2.1.3.2: does `proof` show that `leafHash` is leaf `index` of the tree of `size` leaves
 * with root `root`? Every hash must be 32 bytes; any proof of the wrong length fails.
 */
export function verifyInclusion(leafHash: Uint8Array, index: number, size: number, proof: readonly Uint8Array[], root: Uint8Array): boolean {
  const computed = rootFromInclusionProof(leafHash, index, size, proof);
  return computed !== undefined && root.length === 32 && Buffer.compare(computed, root) === 0;
}

/** The root that `proof` implies for `leafHash` at `index` of `size`, or undefined when the proof's shape is wrong. */
export function rootFromInclusionProof(leafHash: Uint8Array, index: number, size: number, proof: readonly Uint8Array[]): Uint8Array | undefined {
  if (!Number.isSafeInteger(index) || !Number.isSafeInteger(size) || index < 0 || index >= size) return undefined;
  if (leafHash.length !== 32) return undefined;
  let fn = index;
  let sn = size - 1;
  let r: Uint8Array = leafHash;
  for (const p of proof) {
    if (sn === 0 || p.length !== 32) return undefined;
    if (fn % 2 === 1 || fn === sn) {
      r = nodeHash(p, r);
      if (fn % 2 === 0) {
        while (fn % 2 === 0 && fn !== 0) {
          fn /= 2;
          sn = Math.floor(sn / 2);
        }
      }
    } else {
      r = nodeHash(r, p);
    }
    fn = Math.floor(fn / 2);
    sn = Math.floor(sn / 2);
  }
  return sn === 0 ? r : undefined;
}
