import { planFor, readPlan, readPlanAsync, type ProofPlan, type ProofRanges } from './proof-plan';
import { assertTreeInteger, isPowerOfTwo, splitPoint, type BatchNodeReader, type NodeReader } from './subtree';
import { EMPTY_ROOT, nodeHash } from './tree-hash';

/** The leaf ranges of PROOF(size1, D[0:size2]) (RFC 9162 §2.1.4.1); empty when size1 = size2. */
export function consistencyProofRanges(size1: number, size2: number): ProofRanges {
  assertTreeInteger('size1', size1);
  assertTreeInteger('size2', size2);
  if (size1 === 0 || size1 > size2) throw new RangeError(`no consistency proof from size ${size1} to size ${size2}`);
  const ranges: ProofRanges = [];
  subproof(size1, 0, size2, true, ranges);
  return ranges;
}

function subproof(m: number, start: number, end: number, complete: boolean, out: ProofRanges): void {
  const n = end - start;
  if (m === n) {
    if (!complete) out.push([start, end]);
    return;
  }
  const k = splitPoint(n);
  if (m <= k) {
    subproof(m, start, start + k, complete, out);
    out.push([start + k, end]);
  } else {
    subproof(m - k, start + k, end, false, out);
    out.push([start, start + k]);
  }
}

/** The complete nodes a consistency proof reads: O(log size2), each complete at `size2`. */
export function consistencyProofPlan(size1: number, size2: number): ProofPlan {
  return planFor(consistencyProofRanges(size1, size2));
}

/** RFC 9162 §2.1.4.1 consistency proof between the trees of `size1` and `size2` leaves (0 < size1 ≤ size2). */
export function consistencyProof(size1: number, size2: number, read: NodeReader): Buffer[] {
  return readPlan(consistencyProofPlan(size1, size2), read);
}

/** consistencyProof with one batched, possibly async node read. */
export function consistencyProofAsync(size1: number, size2: number, read: BatchNodeReader): Promise<Buffer[]> {
  return readPlanAsync(consistencyProofPlan(size1, size2), read);
}

/**
 * RFC 9162 §2.1.4.2: does `proof` show that the tree of `size2` leaves with `root2` extends the tree of
 * `size1` leaves with `root1`? Equal sizes need an empty proof and equal roots (the empty root at 0);
 * a proof from size 0 to a larger tree is meaningless and fails.
 */
export function verifyConsistency(size1: number, size2: number, proof: readonly Uint8Array[], root1: Uint8Array, root2: Uint8Array): boolean {
  if (!Number.isSafeInteger(size1) || !Number.isSafeInteger(size2) || size1 < 0 || size2 < size1) return false;
  if (size1 === size2) {
    if (proof.length !== 0 || Buffer.compare(root1, root2) !== 0) return false;
    return size1 !== 0 || Buffer.compare(EMPTY_ROOT, root1) === 0;
  }
  if (size1 === 0 || proof.length === 0) return false;
  if (root1.length !== 32 || root2.length !== 32 || proof.some((p) => p.length !== 32)) return false;

  const path = isPowerOfTwo(size1) ? [root1, ...proof] : proof;
  let fn = size1 - 1;
  let sn = size2 - 1;
  while (fn % 2 === 1) {
    fn = (fn - 1) / 2;
    sn = Math.floor(sn / 2);
  }
  let fr: Uint8Array = path[0];
  let sr: Uint8Array = path[0];
  for (let i = 1; i < path.length; i++) {
    const c = path[i];
    if (sn === 0) return false;
    if (fn % 2 === 1 || fn === sn) {
      fr = nodeHash(c, fr);
      sr = nodeHash(c, sr);
      if (fn % 2 === 0) {
        while (fn % 2 === 0 && fn !== 0) {
          fn /= 2;
          sn = Math.floor(sn / 2);
        }
      }
    } else {
      sr = nodeHash(sr, c);
    }
    fn = Math.floor(fn / 2);
    sn = Math.floor(sn / 2);
  }
  return sn === 0 && Buffer.compare(fr, root1) === 0 && Buffer.compare(sr, root2) === 0;
}
